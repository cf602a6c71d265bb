/**
 * Delimited framing (CSV and pipe exports): one header row of field names,
 * then one row per month or run. Parsing and quoting by csv-parse/csv-stringify.
 * An unquoted file in GBK or GB18030 is split on its bytes (delimited-bytes.ts,
 * the same records without decoding what repeats); other files are decoded
 * and their text split here.
 */
import { open } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parse as parseSync } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import iconv from 'iconv-lite';
import type { DelimitedFraming } from '../mapping.ts';
import type { ContributionRecord, Position } from '../record.ts';
import type { LegacyRow } from '../rows.ts';
import { BOM, wrongEncoding } from '../encoding.ts';
import { LIMIT_OPTIONS } from '../limits.ts';
import { BATCH, RecordError, type RecordBatch } from './delimited-batch.ts';
import { splitRecordBytes, splitsOnBytes } from './delimited-bytes.ts';
import { rowFromBytes } from './bytes-values.ts';
import { Sink, decodedText, fileChunks, contributionRows, decodeFields, encodeFields, personValues, recordLabel, LINE_LABELS, type DecodeContext, type RecordLabel, type EncodeContext } from './common.ts';

/**
 * The file's records with their line numbers, batch by text chunk. A line
 * without a quote character is split on the delimiter as it is (what RFC 4180
 * parsing gives for it, without a parser's per-character bookkeeping); a line
 * holding one (only where the format quotes) is joined with the lines that
 * follow until its quotes balance, and that record is parsed by csv-parse.
 * Lines end as the first line of the file ends (CR LF, LF or CR alone, as
 * csv-parse detects them); empty lines are skipped; a leading BOM is dropped.
 */
export async function* splitRecords(texts: AsyncIterable<string>, framing: DelimitedFraming, recordLength: number, fieldLength: number): AsyncGenerator<RecordBatch> {
  const quoted = framing.quoting !== 'none';
  const delim = framing.delimiter;
  let eol: string | undefined;
  let carry = '';
  let lineNo = 0;
  let first = true;
  /** A quoted record being gathered over several lines: its text so far and first line. */
  let open: { text: string; line: number } | undefined;
  const quotesBalanced = (t: string): boolean => {
    let n = 0;
    for (let i = t.indexOf('"'); i >= 0; i = t.indexOf('"', i + 1)) n++;
    return n % 2 === 0;
  };
  const parseQuoted = (text: string, line: number): string[] => {
    try {
      return (parseSync(text, { delimiter: delim, quote: '"', relax_column_count: true }) as string[][])[0] ?? [];
    } catch (err) {
      throw new RecordError(`line ${line}: ${(err as Error).message}`, (err as { code?: string }).code ?? 'CSV_INVALID', line);
    }
  };
  const newBatch = (suspect: boolean): RecordBatch => ({ records: [], lines: [], suspect, long: false });
  const push = (out: RecordBatch, record: string[], line: number, text: string): void => {
    out.records.push(record);
    out.lines.push(line);
    if (text.length > fieldLength) out.long = true;
  };
  const take = (line: string, out: RecordBatch): void => {
    lineNo++;
    if (open) {
      open.text += eol + line;
      if (open.text.length > recordLength) throw new RecordError('record too large', 'CSV_MAX_RECORD_SIZE', open.line);
      if (quotesBalanced(open.text)) {
        // gathered over several chunks: its own check, not the chunk's
        if (open.text.includes('\uFFFD')) out.suspect = true;
        push(out, parseQuoted(open.text, open.line), open.line, open.text);
        open = undefined;
      }
      return;
    }
    if (line.length === 0) return;
    if (line.length > recordLength) throw new RecordError('record too large', 'CSV_MAX_RECORD_SIZE', lineNo);
    if (quoted && line.includes('"')) {
      if (quotesBalanced(line)) push(out, parseQuoted(line, lineNo), lineNo, line);
      else open = { text: line, line: lineNo };
      return;
    }
    push(out, line.split(delim), lineNo, line);
  };
  for await (let text of texts) {
    if (first) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    text = carry + text;
    if (eol === undefined) {
      const lf = text.indexOf('\n');
      const cr = text.indexOf('\r');
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        if (cr === text.length - 1) {
          carry = text;
          continue; // CR at the end of the chunk: LF may follow
        }
        eol = text[cr + 1] === '\n' ? '\r\n' : '\r';
      } else if (lf >= 0) eol = '\n';
      else {
        carry = text;
        if (carry.length > recordLength) throw new RecordError('record too large', 'CSV_MAX_RECORD_SIZE', 1);
        continue;
      }
    }
    const suspect = text.includes('\uFFFD');
    let out = newBatch(suspect);
    let pos = 0;
    for (let end = text.indexOf(eol, pos); end >= 0; end = text.indexOf(eol, pos)) {
      take(text.slice(pos, end), out);
      pos = end + eol.length;
      if (out.records.length >= BATCH) {
        // small batches: a row's objects die young (a whole chunk's rows alive at once outlived the young generation)
        yield out;
        out = newBatch(suspect);
      }
    }
    carry = text.slice(pos);
    if (carry.length > recordLength) throw new RecordError('record too large', 'CSV_MAX_RECORD_SIZE', lineNo + 1);
    if (out.records.length) yield out;
  }
  const out = newBatch(carry.includes('\uFFFD'));
  if (carry.length) take(carry, out);
  if (open) throw new RecordError(`line ${open.line}: a quoted field is not closed before the end of the file`, 'CSV_QUOTE_NOT_CLOSED', open.line);
  if (out.records.length) yield out;
}

/** How a file is split: `text` forces the text path where the bytes would be split (the equivalence tests); `chunkSize` is the read size (1 MB). */
export interface SplitOptions {
  text?: boolean;
  chunkSize?: number;
}

export async function* readDelimited(path: string, ctx: DecodeContext, split: SplitOptions = {}): AsyncGenerator<LegacyRow[]> {
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

  const names = framing.fields.map((f) => f.name);
  let lastLine = 0;
  let batch: LegacyRow[] = [];
  let sawHeader = false;
  const records =
    !split.text && splitsOnBytes(framing, mapping.encoding)
      ? splitRecordBytes(fileChunks(path, ctx, split.chunkSize), framing, mapping.encoding, recordLength, fieldLength, rowFromBytes(framing.fields, mapping))
      : splitRecords(decodedText(path, ctx, split.chunkSize), framing, recordLength, fieldLength);
  /** The row being decoded (one getter for every row, not a closure a row). */
  let record: string[] = [];
  const rawOf = (_f: unknown, i: number): string => record[i];
  const fieldCount = names.length;
  try {
    for await (const chunk of records) {
      const { records: recs, lines, suspect, long: mayBeLong, values: read } = chunk;
      for (let r = 0; r < recs.length; r++) {
        const line = lines[r];
        lastLine = line;
        const readValues = read?.[r];
        if (readValues !== undefined) {
          // read from its bytes (never the header): the values decodeFields gives its texts, without a problem
          batch.push({ role: 'row', values: readValues, at: { line } });
          continue;
        }
        record = recs[r];
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
        const broken = suspect ? record.findIndex((v) => v.includes('\uFFFD')) : -1;
        if (broken >= 0) {
          // bytes invalid in the encoding: what follows them on the line cannot be trusted (a lead byte may have swallowed a delimiter)
          issues.error('legacy-encoding', `bytes invalid in ${mapping.encoding} in ${names[broken] ?? `field ${broken + 1}`}`, `${names[broken] ?? `第 ${broken + 1} 个字段`} 含有非法的 ${mapping.encoding} 字节`, { ...at, ...(names[broken] ? { field: names[broken] } : {}) }, { value: record[broken] });
          continue;
        }
        if (record.length !== fieldCount) {
          issues.error('legacy-record-length', `row has ${record.length} fields, expected ${names.length}`, `该行有 ${record.length} 个字段，应为 ${names.length} 个`, at, { value: record.length });
          continue;
        }
        const long = mayBeLong ? record.findIndex((v) => v.length > fieldLength) : -1;
        if (long >= 0) {
          issues.error('legacy-field-too-large', `${names[long]} is ${record[long].length} characters long`, `${names[long]} 长达 ${record[long].length} 个字符`, { ...at, field: names[long] });
          continue;
        }
        const values = decodeFields(framing.fields, rawOf, at, ctx, !suspect);
        if (values) batch.push({ role: 'row', values, at });
      }
      if (issues.fatal) break;
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    const e = err as { code?: string; message: string; lines?: number; line?: number };
    if (!issues.fatal) {
      const tooLarge = e.code === 'CSV_MAX_RECORD_SIZE';
      issues.add('fatal', tooLarge ? 'legacy-record-too-large' : 'legacy-syntax', tooLarge ? `a row is larger than ${recordLength} characters (${LIMIT_OPTIONS.recordLength.option})` : `not readable as ${mapping.name}: ${e.message}`, tooLarge ? `某行超过 ${recordLength} 个字符（${LIMIT_OPTIONS.recordLength.option}）` : `无法按 ${mapping.name} 读取：${e.message}`, { line: e.line ?? e.lines ?? lastLine + 1 });
    }
  } finally {
    await records.return(undefined);
  }
  if (batch.length) yield batch;
  if (!sawHeader && !issues.fatal) issues.error('legacy-header-mismatch', 'the file is empty: no header row', '文件为空：没有表头行', { line: 1 });
  else if (!issues.fatal && last[0] !== 0x0a && last[0] !== 0x0d) {
    issues.error('legacy-line-incomplete', `the last line has no line end: the file may have been cut short (${mapping.name} ends every line)`, `最后一行没有行尾：文件可能被截断（${mapping.name} 每行都有行尾）`, { line: lastLine, byteOffset: size });
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
