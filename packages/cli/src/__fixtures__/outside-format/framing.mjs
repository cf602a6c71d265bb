// A framing of its own, as a regional team would write one outside jiexu:
// "tagged lines", a person line `P|…` followed by that person's month lines `M|…`.
// It imports the SDK by its package name; the jiexu command maps that name to
// its own copy, so this folder needs no install, no symlink and no package.json.
import { defineFraming, decodeFields, encodeFields, personValues, contributionRows, recordLabel, lineBatches, decodeText, encodeText, Sink } from '@jiexu/adapters';

const level = {
  type: 'object',
  properties: { tag: { type: 'string', minLength: 1, maxLength: 1 }, fields: { type: 'array', items: { $ref: 'https://jiexu.org/adapters/mapping.schema.json#/$defs/field' } } },
  required: ['tag', 'fields'],
  additionalProperties: false,
};

export const framing = defineFraming({
  apiVersion: 1,
  kind: 'tagged-lines',
  text: true,
  optionsSchema: {
    type: 'object',
    properties: { kind: { const: 'tagged-lines' }, separator: { type: 'string', minLength: 1, maxLength: 1 }, person: level, row: level },
    required: ['kind', 'separator', 'person', 'row'],
    additionalProperties: false,
  },
  fields: (o) => [...o.person.fields, ...o.row.fields],
  async *read(source, ctx) {
    const o = ctx.mapping.framing;
    let person;
    for await (const batch of lineBatches(source.path, 1 << 16, (line) => ctx.issues.add('fatal', 'legacy-record-length', `line ${line} is too long`, `第 ${line} 行过长`, { line }))) {
      const rows = [];
      for (let i = 0; i < batch.starts.length; i++) {
        const text = decodeText(batch.buf.subarray(batch.starts[i], batch.starts[i] + batch.lengths[i]), ctx.mapping);
        if (text === '') continue;
        const at = { line: batch.firstLine + i };
        const [tag, ...cells] = text.split(o.separator);
        const spec = tag === o.person.tag ? o.person : tag === o.row.tag ? o.row : undefined;
        if (!spec) {
          // a code of the format's own, declared with its labels in mapping.json (issueCodes)
          ctx.issues.error('x-xt-tagged-tag-unknown', `line starts with "${tag}", expected ${o.person.tag} or ${o.row.tag}`, `行首为“${tag}”，应为 ${o.person.tag} 或 ${o.row.tag}`, at);
          continue;
        }
        if (cells.length !== spec.fields.length) {
          ctx.issues.error('legacy-record-length', `${tag} line has ${cells.length} fields, expected ${spec.fields.length}`, `${tag} 行有 ${cells.length} 个字段，应为 ${spec.fields.length} 个`, at);
          continue;
        }
        const values = decodeFields(spec.fields, (_f, k) => cells[k], at, ctx);
        if (spec === o.person) person = values;
        else if (!person) ctx.issues.error('legacy-record-order', 'a month line before any person line', '月度行出现在人员行之前', at);
        else if (values) rows.push({ role: 'row', values: { ...person, ...values }, at });
      }
      if (rows.length) yield rows;
    }
  },
  async write(records, target, ctx) {
    const o = ctx.mapping.framing;
    const sink = new Sink(target.stream);
    const line = (tag, raws) => encodeText(`${[tag, ...raws.map((v) => (v === undefined || v === null ? '' : String(v)))].join(o.separator)}${ctx.mapping.lineEnd}`, ctx.mapping);
    let n = 0;
    for await (const r of records) {
      n++;
      const where = recordLabel(n, r);
      const person = { ...personValues(r, n, ctx), region: r.region };
      const p = encodeFields(o.person.fields, person, where, ctx);
      if (!p) continue;
      await sink.write(line(o.person.tag, p));
      for (const row of contributionRows(r, person, ctx.mapping)) {
        const raws = encodeFields(o.row.fields, row, where, ctx);
        if (raws) await sink.write(line(o.row.tag, raws));
      }
    }
    await sink.flush();
  },
  detect: (head, m) => head.subarray(0, 2).toString('latin1') === `${m.framing.person.tag}${m.framing.separator}`,
});
