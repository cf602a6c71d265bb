/**
 * Delimited framing (CSV and pipe exports): one header row of field names,
 * then one row per month or run. Parsing and quoting by csv-parse/csv-stringify.
 */
import { once } from 'node:events';
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import type { DelimitedFraming } from '../mapping.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { LegacyRow } from '../rows.ts';
import { BOM, wrongEncoding } from '../encoding.ts';
import { LIMIT_OPTIONS } from '../limits.ts';
import { Sink, decodedText, contributionRows, decodeFields, encodeFields, personValues, recordLabel, LINE_LABELS, type DecodeContext, type RecordLabel, type EncodeContext } from './common.ts';

export async function* readDelimited(path: string, ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const { mapping, issues } = ctx;
  const { fieldLength, recordLength } = ctx.limits;
  const framing = mapping.framing as DelimitedFraming;
  const sample = Buffer.alloc(1 << 16);
  const fh = await open(path, 'r');
  const { bytesRead } = await fh.read(sample, 0, sample.length, 0);
  const { size } = await fh.stat();
  const last = Buffer.alloc(1);
  if (size > 0) await fh.read(last, 0, 1, size - 1);
  await fh.close();
  const head = sample.subarray(0, bytesRead);
  const wrong = wrongEncoding(head, mapping);
  if (wrong) {
    issues.add('fatal', 'legacy-encoding', wrong.en, wrong.zh, wrong.byteOffset !== undefined ? { byteOffset: wrong.byteOffset } : undefined);
    return;
  }
  const hasBom = head.subarray(0, 3).equals(BOM);
  if (mapping.bom && !hasBom) issues.warning('legacy-bom-missing', `${mapping.name} files start with a UTF-8 byte order mark; this one does not`, `${mapping.name} 文件应以 UTF-8 BOM 开头，此文件没有`, { line: 1 });
  const firstLf = head.indexOf(0x0a);
  const firstCr = head.indexOf(0x0d);
  if (firstCr >= 0 && head[firstCr + 1] !== 0x0a && (firstLf < 0 || firstCr < firstLf)) {
    issues.warning('legacy-line-end', `lines end in CR alone, ${mapping.name} uses ${mapping.lineEnd === '\r\n' ? 'CR LF' : 'LF'}`, `行尾仅为 CR，${mapping.name} 应为 ${mapping.lineEnd === '\r\n' ? 'CR LF' : 'LF'}`, { line: 1, byteOffset: firstCr });
  } else if (firstLf > 0) {
    const crlf = head[firstLf - 1] === 0x0d;
    if (crlf !== (mapping.lineEnd === '\r\n')) {
      issues.warning('legacy-line-end', `lines end in ${crlf ? 'CR LF' : 'LF'}, ${mapping.name} uses ${mapping.lineEnd === '\r\n' ? 'CR LF' : 'LF'}`, `行尾为 ${crlf ? 'CR LF' : 'LF'}，${mapping.name} 应为 ${mapping.lineEnd === '\r\n' ? 'CR LF' : 'LF'}`, { line: 1 });
    }
  }

  const parser = parse({
    delimiter: framing.delimiter,
    quote: framing.quoting === 'none' ? false : '"',
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    max_record_size: recordLength,
  });
  const feed = (async () => {
    try {
      for await (const text of decodedText(path, ctx)) {
        if (parser.destroyed) return;
        if (!parser.write(text)) {
          // wait for drain or close, then drop the other listener (else one 'close' listener leaks per wait)
          const ac = new AbortController();
          const opts = { signal: ac.signal };
          await Promise.race([once(parser, 'drain', opts).catch(() => undefined), once(parser, 'close', opts).catch(() => undefined)]);
          ac.abort();
        }
      }
    } finally {
      if (!parser.destroyed) parser.end();
    }
  })();
  feed.catch(() => undefined);

  const names = framing.fields.map((f) => f.name);
  let prevEnd = 0;
  let batch: LegacyRow[] = [];
  let sawHeader = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = prevEnd + 1;
      prevEnd = Math.max(info.lines - 1, line);
      const at: Position = { line };
      if (!sawHeader) {
        sawHeader = true;
        if (record.join('\u0000') !== names.join('\u0000')) {
          issues.add(
            'fatal',
            'legacy-header-mismatch',
            `the header row is not ${mapping.name}'s: expected ${names.join(framing.delimiter)}`,
            `表头行不是 ${mapping.name} 的表头：应为 ${names.join(framing.delimiter)}`,
            at,
            { value: record.join(framing.delimiter) },
          );
          break;
        }
        continue;
      }
      const broken = record.findIndex((v) => v.includes('\uFFFD'));
      if (broken >= 0) {
        // bytes invalid in the encoding: what follows them on the line cannot be trusted (a lead byte may have swallowed a delimiter)
        issues.error('legacy-encoding', `bytes invalid in ${mapping.encoding} in ${names[broken] ?? `field ${broken + 1}`}`, `${names[broken] ?? `第 ${broken + 1} 个字段`} 含有非法的 ${mapping.encoding} 字节`, { ...at, ...(names[broken] ? { field: names[broken] } : {}) }, { value: record[broken] });
        continue;
      }
      if (record.length !== names.length) {
        issues.error('legacy-record-length', `row has ${record.length} fields, expected ${names.length}`, `该行有 ${record.length} 个字段，应为 ${names.length} 个`, at, { value: record.length });
        continue;
      }
      const long = record.findIndex((v) => v.length > fieldLength);
      if (long >= 0) {
        issues.error('legacy-field-too-large', `${names[long]} is ${record[long].length} characters long`, `${names[long]} 长达 ${record[long].length} 个字符`, { ...at, field: names[long] });
        continue;
      }
      const values = decodeFields(framing.fields, (_f, i) => record[i], at, ctx);
      if (values) batch.push({ role: 'row', values, at });
      if (batch.length >= 512) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    const e = err as { code?: string; message: string; lines?: number };
    if (!issues.fatal) {
      const tooLarge = e.code === 'CSV_MAX_RECORD_SIZE';
      issues.add('fatal', tooLarge ? 'legacy-record-too-large' : 'legacy-syntax', tooLarge ? `a row is larger than ${recordLength} characters (${LIMIT_OPTIONS.recordLength.option})` : `not readable as ${mapping.name}: ${e.message}`, tooLarge ? `某行超过 ${recordLength} 个字符（${LIMIT_OPTIONS.recordLength.option}）` : `无法按 ${mapping.name} 读取：${e.message}`, { line: e.lines ?? prevEnd + 1 });
    }
  }
  parser.destroy();
  await feed.catch(() => undefined);
  if (batch.length) yield batch;
  if (!sawHeader && !issues.fatal) issues.error('legacy-header-mismatch', 'the file is empty: no header row', '文件为空：没有表头行', { line: 1 });
  else if (!issues.fatal && last[0] !== 0x0a && last[0] !== 0x0d) {
    issues.error('legacy-line-incomplete', `the last line has no line end: the file may have been cut short (${mapping.name} ends every line)`, `最后一行没有行尾：文件可能被截断（${mapping.name} 每行都有行尾）`, { line: prevEnd, byteOffset: size });
  }
}

export async function writeDelimited(records: AsyncIterable<ContributionRecord>, out: Writable, ctx: EncodeContext): Promise<void> {
  const { mapping } = ctx;
  const framing = mapping.framing as DelimitedFraming;
  const sink = new Sink(out);
  const encode = (text: string): Buffer => (mapping.encoding === 'utf-8' ? Buffer.from(text, 'utf8') : iconv.encode(text, mapping.encoding));
  const joinRow = (fields: string[], where: RecordLabel): string | undefined => {
    if (framing.quoting === 'rfc4180') {
      return stringify([fields], { delimiter: framing.delimiter, record_delimiter: mapping.lineEnd === '\r\n' ? 'windows' : 'unix', quoted_match: /[\r\n]/ });
    }
    const bad = fields.findIndex((v) => v.includes(framing.delimiter) || /[\r\n]/.test(v));
    if (bad >= 0) {
      ctx.issues.error('legacy-field-invalid', `${where.en}: ${framing.fields[bad].name} "${fields[bad]}" holds "${framing.delimiter}" or a line break, which ${mapping.name} cannot carry`, `${where.zh}：${framing.fields[bad].name}“${fields[bad]}”含有“${framing.delimiter}”或换行，${mapping.name} 无法表示`, { field: framing.fields[bad].name });
      return undefined;
    }
    return fields.join(framing.delimiter) + mapping.lineEnd;
  };
  await sink.write(encode(joinRow(framing.fields.map((f) => f.name), LINE_LABELS.header)!));
  let n = 0;
  for await (const r of records) {
    n++;
    const where = recordLabel(n, r);
    const person = personValues(r, n, ctx);
    if (r.account?.length && !mapping.accounts) {
      ctx.issues.add('information', 'legacy-account-not-written', `${where.en}: ${mapping.name} does not carry the individual account; its ${r.account.length} years are not written`, `${where.zh}：${mapping.name} 不含个人账户，${r.account.length} 个年度未写出`, { record: n });
    }
    for (const row of contributionRows(r, person, mapping)) {
      const raws = encodeFields(framing.fields, row, where, ctx);
      if (!raws) continue;
      const text = joinRow(raws.map((v) => (v === undefined || v === null ? '' : String(v))), where);
      if (text !== undefined) await sink.write(encode(text));
    }
  }
  await sink.flush();
}
