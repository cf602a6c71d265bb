/**
 * Fixed-width framing: records of `recordLength` bytes plus the line end, the
 * first byte giving the record type; widths in bytes of the file's encoding.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import iconv from 'iconv-lite';
import type { FieldSpec, FixedFraming, FixedRecordSpec } from '../mapping.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { LegacyRow, RowValues } from '../rows.ts';
import { decodeValue, isProblemValue, type Raw, type Value } from '../values.ts';
import { wrongEncoding } from '../encoding.ts';
import { memoByBytes } from './bytes-memo.ts';
import { Sink, lineBatches, accountRows, contributionRows, decodeFields, encodeFields, personValues, recordLabel, LINE_LABELS, accountLabel, type DecodeContext, type RecordLabel, type EncodeContext } from './common.ts';
import type { Writable } from 'node:stream';

const SPACE = 0x20;
/** Distinct non-ASCII values of a text field remembered by their bytes (a power of two): at most 65,536 × the field's width in bytes. */
const TEXT_MEMO_SLOTS = 1 << 16;

function framingOf(ctx: { mapping: { framing: unknown } }): FixedFraming {
  return ctx.mapping.framing as FixedFraming;
}

/** Raw text of a field of the record at `base`: ASCII fast path, else the file's encoding; trailing spaces removed. */
function fieldText(buf: Buffer, base: number, f: FieldSpec, encoding: string): string {
  const start = base + f.start! - 1;
  let end = start + f.width!;
  while (end > start && buf[end - 1] === SPACE) end--;
  for (let i = start; i < end; i++) {
    if (buf[i] >= 0x80) return iconv.decode(buf.subarray(start, end), encoding);
  }
  return buf.toString('latin1', start, end);
}

const FAIL = Symbol('fail');
type FastField = (buf: Buffer, base: number) => Value | typeof FAIL;

/**
 * A record type's fields compiled to decoders reading bytes directly (digits,
 * codes, YYYYMM months, text). Any value they cannot take falls back to the
 * general path, which reports the problem.
 */
function compileRecord(spec: FixedRecordSpec, ctx: DecodeContext): (buf: Buffer, base: number, at: Position) => RowValues | undefined {
  const { mapping } = ctx;
  const fast: { as: string | undefined; read: FastField }[] = spec.fields.map((f) => {
    const off = f.start! - 1;
    const w = f.width!;
    if ((f.type === 'fen' || f.type === 'integer') && w <= 15) {
      return {
        as: f.as,
        read: (buf, base) => {
          let n = 0;
          const s = base + off;
          for (let i = s; i < s + w; i++) {
            const d = buf[i] - 48;
            if (d < 0 || d > 9) return FAIL;
            n = n * 10 + d;
          }
          return n;
        },
      };
    }
    if (f.type === 'code') {
      const table = new Map(Object.entries(mapping.codes[f.codes!] ?? {}));
      if (w <= 2 && [...table.keys()].every((k) => /^[\x21-\x7e]+$/.test(k) && k.length <= w)) {
        // short ASCII codes: looked up by their bytes (right-padded with spaces), no string made
        const byBytes = new Map<number, string>();
        for (const [k, v] of table) byBytes.set(k.padEnd(w, ' ').split('').reduce((n, c) => n * 256 + c.charCodeAt(0), 0), v);
        return {
          as: f.as,
          read: (buf, base) => {
            let key = 0;
            for (let i = base + off; i < base + off + w; i++) key = key * 256 + buf[i];
            return byBytes.get(key) ?? FAIL;
          },
        };
      }
      return { as: f.as, read: (buf, base) => table.get(fieldText(buf, base, f, 'latin1')) ?? FAIL };
    }
    if (f.type === 'month' && f.format === 'YYYYMM' && w === 6) {
      const months = new Map<number, string>();
      return {
        as: f.as,
        read: (buf, base) => {
          const s = base + off;
          let n = 0;
          for (let i = s; i < s + 6; i++) {
            const d = buf[i] - 48;
            if (d < 0 || d > 9) return FAIL;
            n = n * 10 + d;
          }
          let month = months.get(n);
          if (month === undefined) {
            const year = Math.floor(n / 100);
            const m = n % 100;
            if (year < 1900 || year > 2099 || m < 1 || m > 12) return FAIL;
            month = `${year}-${String(m).padStart(2, '0')}`;
            if (months.size < 100_000) months.set(n, month);
          }
          return month;
        },
      };
    }
    if (f.type === 'text') {
      // consecutive records mostly repeat a person's identifier and name: the last bytes and text are kept;
      // text beyond ASCII (a name in GB18030) is also remembered by its bytes, for files not in person order
      const textValue = (t: string): string | typeof FAIL | undefined => (t === '' ? (f.optional ? undefined : FAIL) : t.includes('\uFFFD') ? FAIL : t);
      const decodeNonAscii = memoByBytes(w, TEXT_MEMO_SLOTS, (b, start) => textValue(fieldText(b, start - off, f, mapping.encoding)));
      const last = Buffer.alloc(w);
      let lastText: string | typeof FAIL | undefined = FAIL;
      let have = false;
      return {
        as: f.as,
        read: (buf, base) => {
          const s = base + off;
          if (have) {
            let same = true;
            for (let i = 0; i < w; i++) {
              if (buf[s + i] !== last[i]) {
                same = false;
                break;
              }
            }
            if (same) return lastText;
          }
          let ascii = true;
          for (let i = s; i < s + w; i++) {
            if (buf[i] >= 0x80) {
              ascii = false;
              break;
            }
          }
          lastText = ascii ? textValue(fieldText(buf, base, f, 'latin1')) : decodeNonAscii(buf, s);
          buf.copy(last, 0, s, s + w);
          have = true;
          return lastText;
        },
      };
    }
    return {
      as: f.as,
      read: (buf, base) => {
        const v = decodeValue(fieldText(buf, base, f, f.type === 'literal' ? 'latin1' : mapping.encoding), f, mapping);
        return isProblemValue(v) ? FAIL : v;
      },
    };
  });
  const general = (buf: Buffer, base: number, at: Position): RowValues | undefined =>
    decodeFields(spec.fields, (f) => (f.type === 'literal' || f.as !== undefined ? fieldText(buf, base, f, f.type === 'literal' ? 'latin1' : mapping.encoding) : undefined) as Raw, at, ctx);
  return (buf, base, at) => {
    const values: RowValues = {};
    for (const { as, read } of fast) {
      const v = read(buf, base);
      if (v === FAIL) return general(buf, base, at);
      if (as !== undefined && v !== undefined) values[as] = v;
    }
    return values;
  };
}

/** Reads the last record to learn what the trailer promises, so a file far larger is refused before reading it. */
async function trailerPromise(path: string, size: number, framing: FixedFraming, ctx: DecodeContext): Promise<number | undefined> {
  const trailer = framing.records.find((r) => r.role === 'trailer');
  if (!trailer) return undefined;
  const lineLen = framing.recordLength + ctx.mapping.lineEnd.length;
  if (size < lineLen) return undefined;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(lineLen);
    await fh.read(buf, 0, lineLen, size - lineLen);
    if (String.fromCharCode(buf[0]) !== trailer.type) return undefined;
    let records = 2; // header and trailer
    for (const f of trailer.fields) {
      if (f.as === 'trailer.rowCount' || f.as === 'trailer.accountCount') {
        const n = Number(fieldText(buf, 0, f, 'latin1'));
        if (!Number.isSafeInteger(n)) return undefined;
        records += n;
      }
    }
    return records * lineLen;
  } finally {
    await fh.close();
  }
}

export async function* readFixed(path: string, ctx: DecodeContext): AsyncGenerator<LegacyRow[]> {
  const framing = framingOf(ctx);
  const { mapping, issues } = ctx;
  const recLen = framing.recordLength;
  const byType = new Map<string, FixedRecordSpec>(framing.records.map((r) => [r.type, r]));
  const header = framing.records.find((r) => r.role === 'header');
  const trailer = framing.records.find((r) => r.role === 'trailer');
  const accountSpec = framing.records.find((r) => r.role === 'account');
  const size = (await stat(path)).size;

  const promised = await trailerPromise(path, size, framing, ctx);
  if (promised !== undefined && size > promised * 2 + (1 << 20)) {
    issues.add(
      'fatal',
      'legacy-file-too-large',
      `the file is ${size} bytes but its trailer accounts for ${promised}; refused without reading it`,
      `文件有 ${size} 字节，而尾记录只说明了 ${promised} 字节；拒绝读取`,
      { byteOffset: size - recLen - mapping.lineEnd.length },
    );
    return;
  }
  {
    const fh = await open(path, 'r');
    const sample = Buffer.alloc(Math.min(size, 1 << 16));
    await fh.read(sample, 0, sample.length, 0);
    await fh.close();
    const wrong = wrongEncoding(sample, mapping);
    if (wrong) {
      issues.add('fatal', 'legacy-encoding', wrong.en, wrong.zh, wrong.byteOffset !== undefined ? { byteOffset: wrong.byteOffset } : undefined);
      return;
    }
  }

  const tooLong = (line: number, offset: number): void =>
    issues.add('fatal', 'legacy-record-length', `line ${line} is longer than ${recLen} bytes without a line end; not a ${mapping.name} file`, `第 ${line} 行超过 ${recLen} 字节且无换行；不是 ${mapping.name} 文件`, { line, byteOffset: offset });

  const parsers = new Map(framing.records.map((r) => [r, compileRecord(r, ctx)]));
  /** Where each record type's fields end: the rest of the record is padding, spaces only. */
  const tails = new Map(framing.records.map((r) => [r, Math.max(1, ...r.fields.map((f) => f.start! - 1 + f.width!))]));
  const parse = (spec: FixedRecordSpec, buf: Buffer, base: number, at: Position): RowValues | undefined => {
    const tail = tails.get(spec)!;
    for (let i = base + tail; i < base + recLen; i++) {
      if (buf[i] !== SPACE) {
        issues.error(
          'legacy-record-tail',
          `bytes ${tail + 1}-${recLen} of a ${spec.type} record are unused and must be spaces; byte ${i - base + 1} is not (0x${buf[i].toString(16).padStart(2, '0')})`,
          `${spec.type} 记录第 ${tail + 1}-${recLen} 字节未使用，应为空格；第 ${i - base + 1} 字节不是（0x${buf[i].toString(16).padStart(2, '0')}）`,
          { ...at, column: i - base + 1 },
        );
        return undefined;
      }
    }
    return parsers.get(spec)!(buf, base, at);
  };

  // Side pass: the account records (written after all monthly records) are read first, so each
  // person's record can carry its account when the person's rows close. Found by searching for
  // "<line end><type>" (native speed); a record that is not where the fixed layout puts it is
  // left to the main pass, which reports what is wrong with it.
  if (accountSpec) {
    const eol = Buffer.from(mapping.lineEnd, 'latin1');
    const marker = Buffer.concat([eol, Buffer.from(accountSpec.type, 'latin1')]);
    const lineLen = recLen + eol.length;
    let carry: Buffer = Buffer.alloc(0);
    let carryOffset = 0;
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const bufOffset = carryOffset;
      const rows: LegacyRow[] = [];
      let pos = 0;
      let incomplete = -1;
      for (;;) {
        const hit = buf.indexOf(marker, pos);
        if (hit < 0) break;
        const start = hit + eol.length;
        if (start + lineLen > buf.length) {
          incomplete = hit;
          break;
        }
        pos = start;
        const fileOffset = bufOffset + start;
        if (fileOffset % lineLen !== 0 || !buf.subarray(start + recLen, start + lineLen).equals(eol)) continue;
        const at: Position = { line: fileOffset / lineLen + 1 };
        const values = parse(accountSpec, buf, start, at);
        if (values) rows.push({ role: 'account', values, at });
      }
      const keep = incomplete >= 0 ? incomplete : Math.max(pos, buf.length - marker.length + 1);
      carry = buf.subarray(keep);
      carryOffset = bufOffset + keep;
      if (rows.length) yield rows;
    }
  }

  const counts = new Map<string, number>();
  let employerSum = 0;
  let individualSum = 0;
  let trailerValues: RowValues | undefined;
  let trailerLine = 0;
  let lastLine = 0;
  let sawHeader = false;
  for await (const batch of lineBatches(path, recLen * 4, tooLong, ctx.progress)) {
    const rows: LegacyRow[] = [];
    const { buf } = batch;
    for (let i = 0; i < batch.starts.length; i++) {
      const base = batch.starts[i];
      const length = batch.lengths[i];
      const lineNo = batch.firstLine + i;
      lastLine = lineNo;
      const at: Position = { line: lineNo };
      if (length !== recLen) {
        issues.error('legacy-record-length', `record is ${length} bytes, not ${recLen}`, `记录长度为 ${length} 字节，应为 ${recLen} 字节`, { ...at, byteOffset: batch.offsets[i] }, { value: length });
        continue;
      }
      if (!batch.crlf[i] && mapping.lineEnd === '\r\n') {
        issues.error('legacy-line-end', 'record does not end in CR LF', '记录未以 CR LF 结尾', at);
      }
      const type = String.fromCharCode(buf[base]);
      const spec = byType.get(type);
      if (!spec) {
        issues.error('legacy-record-type', `unknown record type "${type}"`, `未知的记录类型“${type}”`, at, { value: type });
        continue;
      }
      counts.set(type, (counts.get(type) ?? 0) + 1);
      if (trailerValues !== undefined) {
        issues.error('legacy-record-order', `record after the trailer (line ${trailerLine})`, `尾记录（第 ${trailerLine} 行）之后还有记录`, at);
      }
      if (spec.role === 'header') {
        if (lineNo !== 1 || sawHeader) issues.error('legacy-record-order', 'the header must be the first record, once', '头记录必须是第一条记录且只有一条', at);
        sawHeader = true;
        const v = parse(spec, buf, base, at);
        if (v) {
          if (v.region !== undefined) ctx.header.region = v.region as string;
          if (v.exportedAt !== undefined) ctx.header.exportedAt = v.exportedAt as string;
        }
        continue;
      }
      if (!sawHeader && header && lineNo === 1) {
        issues.error('legacy-header-missing', `the file does not start with a header record "${header.type}"`, `文件未以头记录“${header.type}”开始`, at);
      }
      if (spec.role === 'trailer') {
        trailerValues = parse(spec, buf, base, at) ?? {};
        trailerLine = lineNo;
        continue;
      }
      if (spec.role === 'account') {
        // read in the side pass when it sits where the fixed layout puts it; else (after a record of the wrong length) here
        if (batch.offsets[i] % (recLen + mapping.lineEnd.length) !== 0 || batch.crlf[i] !== (mapping.lineEnd === '\r\n')) {
          const values = parse(spec, buf, base, at);
          if (values) rows.push({ role: 'account', values, at });
        }
        continue;
      }
      const values = parse(spec, buf, base, at);
      if (!values) continue;
      employerSum += (values.employerFen as number) ?? 0;
      individualSum += (values.individualFen as number) ?? 0;
      rows.push({ role: 'row', values, at });
    }
    if (rows.length) yield rows;
  }
  if (issues.fatal) return;
  if (trailer) {
    if (trailerValues === undefined) {
      issues.error('legacy-trailer-missing', `the file has no trailer record "${trailer.type}": it is incomplete`, `文件缺少尾记录“${trailer.type}”：文件不完整`, { line: lastLine });
      return;
    }
    const rowType = framing.records.find((r) => r.role === 'row')?.type ?? '';
    const actual: Record<string, number> = {
      'trailer.rowCount': counts.get(rowType) ?? 0,
      'trailer.accountCount': accountSpec ? counts.get(accountSpec.type) ?? 0 : 0,
      'trailer.employerFenSum': employerSum,
      'trailer.individualFenSum': individualSum,
    };
    for (const f of trailer.fields) {
      if (!f.as || trailerValues[f.as] === undefined) continue;
      if (trailerValues[f.as] !== actual[f.as]) {
        issues.error(
          'legacy-trailer-mismatch',
          `trailer says ${f.name} = ${String(trailerValues[f.as])} but the file holds ${actual[f.as]}: the file is incomplete or corrupt`,
          `尾记录${f.name}为 ${String(trailerValues[f.as])}，文件实际为 ${actual[f.as]}：文件不完整或已损坏`,
          { line: trailerLine, field: f.name },
          { value: trailerValues[f.as] },
        );
      }
    }
  }
}

/** One fixed-width line: fields placed at their byte positions, text space-padded, numbers zero-padded. */
function line(spec: FixedRecordSpec, raws: Raw[], recLen: number, encoding: string, where: RecordLabel, ctx: EncodeContext): Buffer | undefined {
  const buf = Buffer.alloc(recLen, SPACE);
  buf.write(spec.type, 0, 'latin1');
  let ok = true;
  spec.fields.forEach((f, i) => {
    const raw = raws[i];
    if (raw === undefined || raw === null) return;
    const s = String(raw);
    if (/[\x00-\x1f\x7f]/.test(s)) {
      ctx.issues.error('legacy-field-invalid', `${where.en}: ${f.name} holds a control character (line break, tab …), which a fixed-width record cannot carry`, `${where.zh}：${f.name} 含有控制字符（换行、制表符等），定长记录无法表示`, { field: f.name }, { value: s });
      ok = false;
      return;
    }
    const numeric = f.type === 'fen' || f.type === 'integer';
    const bytes = numeric ? Buffer.from(s.padStart(f.width!, '0'), 'latin1') : /^[\x00-\x7f]*$/.test(s) ? Buffer.from(s, 'latin1') : iconv.encode(s, encoding);
    if (bytes.length > f.width!) {
      ctx.issues.error(
        'legacy-field-too-large',
        `${where.en}: ${f.name} "${s}" takes ${bytes.length} bytes, more than its ${f.width}; the file cannot be written`,
        `${where.zh}：${f.name}“${s}”占 ${bytes.length} 字节，超过 ${f.width} 字节；无法写出文件`,
        { field: f.name },
        { value: s },
      );
      ok = false;
      return;
    }
    bytes.copy(buf, f.start! - 1);
  });
  return ok ? buf : undefined;
}

export async function writeFixed(records: AsyncIterable<ContributionRecord>, out: Writable, ctx: EncodeContext): Promise<void> {
  const framing = framingOf(ctx);
  const { mapping } = ctx;
  const sink = new Sink(out);
  const eol = Buffer.from(mapping.lineEnd, 'latin1');
  const recLen = framing.recordLength;
  const spec = (role: FixedRecordSpec['role']) => framing.records.find((r) => r.role === role);
  const header = spec('header');
  const rowSpec = spec('row')!;
  const accountSpec = spec('account');
  const trailer = spec('trailer');
  const emit = async (s: FixedRecordSpec, values: RowValues, where: RecordLabel): Promise<void> => {
    const raws = encodeFields(s.fields, values, where, ctx);
    if (!raws) return;
    const b = line(s, raws, recLen, mapping.encoding, where, ctx);
    if (b) {
      await sink.write(b);
      await sink.write(eol);
    }
  };
  if (header) await emit(header, { region: ctx.region, exportedAt: ctx.exportedAt.slice(0, 10) }, LINE_LABELS.header);
  let rowCount = 0;
  let employerSum = 0;
  let individualSum = 0;
  // account lines follow every monthly line: gathered here (one per person and year), written at the end
  const accountLines: RowValues[] = [];
  let n = 0;
  for await (const r of records) {
    n++;
    const where = recordLabel(n, r);
    const person = personValues(r, n, ctx);
    for (const row of contributionRows(r, person, mapping)) {
      await emit(rowSpec, row, where);
      rowCount++;
      employerSum += row.employerFen as number;
      individualSum += row.individualFen as number;
    }
    if (r.account?.length) {
      if (!accountSpec) continue;
      accountLines.push(...accountRows(r));
    }
  }
  if (accountSpec) for (const a of accountLines) await emit(accountSpec, a, accountLabel(a['person.id'], a['account.year']));
  if (trailer) {
    await emit(
      trailer,
      { 'trailer.rowCount': rowCount, 'trailer.accountCount': accountLines.length, 'trailer.employerFenSum': employerSum, 'trailer.individualFenSum': individualSum },
      LINE_LABELS.trailer,
    );
  }
  await sink.flush();
}
