/**
 * The byte path (delimited-bytes.ts) against the text path it replaces for
 * unquoted GBK/GB18030 files (iconv-lite decodes the whole file, the text is
 * split): the same rows, positions and issues, on the ln-jb sample and on
 * hostile bytes (invalid pairs, a lead byte before "|", a lead byte cut at a
 * chunk boundary or at the end of the file, four-byte GB18030 forms, BOMs,
 * CR-only and CR LF line ends, overlong records and fields), read in chunks
 * from 1 byte to 1 MB. Fixed seeds.
 *
 * Two levels: the reader's rows and issues, both ways, at each chunk size
 * where iconv-lite's streaming decoder gives the whole file's text (it drops
 * a character when a chunk's characters outnumber its bytes: a lead byte left
 * open by the chunk before, then a chunk of ASCII — the text path's flaw, not
 * one to copy); and at every chunk size, the records, line numbers and
 * refusal each splitter hands the reader (whose checks both share), the text
 * splitter given the whole file's text in the same chunks.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatEntries } from '../registry.ts';
import { Issues } from '../issues.ts';
import { resolveLimits, type Limits } from '../limits.ts';
import type { DelimitedFraming, Mapping } from '../mapping.ts';
import type { LegacyRow } from '../rows.ts';
import { readDelimited, splitRecords, type SplitOptions } from './delimited.ts';
import { splitRecordBytes, splitsOnBytes } from './delimited-bytes.ts';
import { rowFromBytes } from './bytes-values.ts';
import { decodeFields, type DecodeContext } from './common.ts';
import type { RecordBatch } from './delimited-batch.ts';
import { rng as random } from '../fuzz/mutations.ts'; // mulberry32, the fuzz suite's

const lnJb = (): Mapping => formatEntries().get('ln-jb')!.mapping;
/** ln-jb as a GB18030 file (four-byte forms, a byte order mark); hb-tsv in docs/adapters is such a format. */
const gb18030 = (): Mapping => ({ ...lnJb(), encoding: 'gb18030' });

async function read(path: string, mapping: Mapping, split: SplitOptions, limits?: Partial<Limits>): Promise<{ rows: LegacyRow[]; issues: unknown[] }> {
  const issues = new Issues('f');
  const ctx: DecodeContext = { mapping, issues, hooks: {}, header: {}, limits: resolveLimits(mapping.limits, limits) };
  const rows: LegacyRow[] = [];
  for await (const batch of readDelimited(path, ctx, split)) rows.push(...batch);
  return { rows, issues: issues.list };
}

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-delimited-bytes-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const chunksOf = (bytes: Buffer, size: number): Buffer[] => Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));

/** Whether iconv-lite's streaming decoder, fed these chunks, gives what decoding the whole at once gives. */
function streamsRight(bytes: Buffer, size: number, encoding: string): boolean {
  const dec = iconv.getDecoder(encoding);
  return chunksOf(bytes, size).map((c) => dec.write(c)).join('') + (dec.end() ?? '') === iconv.decode(bytes, encoding);
}

/** The text of each chunk as a decoder without that flaw gives it: what decoding each prefix from the start has given so far, then the rest at the end. */
async function* rightTexts(bytes: Buffer, size: number, encoding: string): AsyncGenerator<string> {
  let done = 0;
  let end = 0;
  for (const c of chunksOf(bytes, size)) {
    end += c.length;
    const so = iconv.getDecoder(encoding).write(bytes.subarray(0, end));
    yield so.slice(done);
    done = so.length;
  }
  const tail = iconv.decode(bytes, encoding).slice(done);
  if (tail) yield tail;
}

async function* asChunks(bytes: Buffer, size: number): AsyncGenerator<Buffer> {
  yield* chunksOf(bytes, size);
}

/** What a splitter hands the reader: its records and line numbers batch by batch, then the refusal that ended it. */
async function batches(split: AsyncGenerator<RecordBatch>): Promise<unknown[]> {
  const out: unknown[] = [];
  try {
    for await (const b of split) out.push({ records: b.records, lines: b.lines });
  } catch (err) {
    out.push({ refused: (err as { code: string }).code, line: (err as { line: number }).line });
  }
  return out;
}

/**
 * Rows read from their bytes (bytes-values.ts) against the same splitter's texts: at every record the same line;
 * where the byte path gave values, the texts are a row the reader takes (the declared number of fields, no
 * U+FFFD, none longer than the limit) that decodeFields turns into exactly those values (keys in the same
 * order) without an issue; the header is never read from its bytes. Returns how many rows were read from bytes.
 */
async function sameValues(bytes: Buffer, mapping: Mapping, size: number, recordLength: number, fieldLength: number): Promise<number> {
  const framing = mapping.framing as DelimitedFraming;
  const texts: { records: string[][]; lines: number[] }[] = [];
  const read: RecordBatch[] = [];
  const collect = async (split: AsyncGenerator<RecordBatch>, into: { records: string[][]; lines: number[] }[]): Promise<string | undefined> => {
    try {
      for await (const b of split) into.push(b);
    } catch (err) {
      return `${(err as { code: string }).code} ${(err as { line: number }).line}`;
    }
    return undefined;
  };
  const refusedTexts = await collect(splitRecordBytes(asChunks(bytes, size), framing, mapping.encoding, recordLength, fieldLength), texts);
  const refusedRead = await collect(splitRecordBytes(asChunks(bytes, size), framing, mapping.encoding, recordLength, fieldLength, rowFromBytes(framing.fields, mapping)), read);
  expect(refusedRead).toBe(refusedTexts);
  const flat = <T,>(xs: T[][]): T[] => xs.flat();
  const want = flat(texts.map((b) => b.records.map((r, i) => ({ r, line: b.lines[i] }))));
  const got = flat(read.map((b) => b.records.map((r, i) => ({ r, line: b.lines[i], values: b.values![i] }))));
  expect(got.map((x) => x.line)).toEqual(want.map((x) => x.line));
  const ctx: DecodeContext = { mapping, issues: new Issues('f'), hooks: {}, header: {}, limits: resolveLimits(mapping.limits, { recordLength, fieldLength }) };
  let fromBytes = 0;
  for (let i = 0; i < got.length; i++) {
    const texts = want[i].r;
    if (got[i].values === undefined) {
      expect(got[i].r).toEqual(texts);
      continue;
    }
    fromBytes++;
    expect(i, 'the header is read from its texts').toBeGreaterThan(0);
    expect(texts.length).toBe(framing.fields.length);
    expect(texts.some((t) => t.includes('\uFFFD') || t.length > fieldLength)).toBe(false);
    const values = decodeFields(framing.fields, (_f, k) => texts[k], { line: want[i].line }, ctx);
    expect(ctx.issues.list).toEqual([]);
    expect(JSON.stringify(got[i].values)).toBe(JSON.stringify(values));
  }
  return fromBytes;
}

/** Reads `bytes` both ways at each chunk size; expects the same (see above). Returns the text path's rows and issues. */
async function same(bytes: Buffer, mapping: Mapping, chunkSizes: number[], limits?: Partial<Limits>): Promise<{ rows: LegacyRow[]; issues: unknown[] }> {
  const path = join(dir, `f${n++}.txt`);
  await writeFile(path, bytes);
  const want = await read(path, mapping, { text: true, chunkSize: 1 << 20 }, limits);
  const framing = mapping.framing as DelimitedFraming;
  const { recordLength, fieldLength } = resolveLimits(mapping.limits, limits);
  const at = (size: number): string => `chunks of ${size} bytes: ${bytes.toString('hex').slice(0, 400)}`;
  for (const size of chunkSizes) {
    if (streamsRight(bytes, size, mapping.encoding)) expect(await read(path, mapping, { chunkSize: size }, limits), at(size)).toEqual(await read(path, mapping, { text: true, chunkSize: size }, limits));
    const text = await batches(splitRecords(rightTexts(bytes, size, mapping.encoding), framing, recordLength, fieldLength));
    expect(await batches(splitRecordBytes(asChunks(bytes, size), framing, mapping.encoding, recordLength, fieldLength)), at(size)).toEqual(text);
    await sameValues(bytes, mapping, size, recordLength, fieldLength);
  }
  return want;
}

const gbk = (s: string, encoding = 'cp936'): Buffer => iconv.encode(s, encoding);
const HEADER = 'AAC002|AAC003|AAC004|AAB001|AAB301|AAE140|AAE002|AAE180|DWJF|GRJF|AAE114';
const ROW = (name: string, month = '201001', id = '210124196001010001'): string => `${id}|${name}|2|91210100000000000A|210100|110|${month}|5000.00|800.00|400.00|2`;

describe('the byte path of unquoted GBK/GB18030 files', () => {
  it('reads ln-jb on its bytes and zj-csv (UTF-8, quoted) as text', () => {
    const zj = formatEntries().get('zj-csv')!.mapping;
    expect(splitsOnBytes(lnJb().framing as DelimitedFraming, lnJb().encoding)).toBe(true);
    expect(splitsOnBytes(zj.framing as DelimitedFraming, zj.encoding)).toBe(false);
    expect(splitsOnBytes({ ...(lnJb().framing as DelimitedFraming), quoting: 'rfc4180' }, 'cp936')).toBe(false);
    expect(splitsOnBytes({ ...(lnJb().framing as DelimitedFraming), delimiter: '5' }, 'cp936')).toBe(false);
  });

  it('gives the ln-jb sample the same rows and issues, in any chunk size', async () => {
    const sample = await readFile(new URL('../__fixtures__/ln-jb-210100.txt', import.meta.url));
    const r = await same(sample, lnJb(), [1 << 20, 65537, 4093]);
    expect(r.rows.length).toBeGreaterThan(2000);
    const { recordLength, fieldLength } = resolveLimits(lnJb().limits, undefined);
    expect(await sameValues(sample, lnJb(), 1 << 20, recordLength, fieldLength), 'rows read from their bytes').toBeGreaterThan(2000);
  });

  it('splits where iconv-lite decodes "|" alone: a lead byte before it takes it (81 7C), an invalid pair does not (A1 41)', async () => {
    const rows = [
      HEADER,
      ROW('张伟'),
      // 81 7C is one GBK character: the line has one field fewer
      Buffer.concat([gbk('210124196001010001|张'), Buffer.from([0x81]), gbk('|2|91210100000000000A|210100|110|201002|5000.00|800.00|400.00|2')]),
      // A1 41 is not a character: U+FFFD, then "A"
      Buffer.concat([gbk('210124196001010001|'), Buffer.from([0xa1, 0x41]), gbk('|2|91210100000000000A|210100|110|201003|5000.00|800.00|400.00|2')]),
      // a lead byte before the line end, 0x80 (€), 0xFF
      Buffer.concat([gbk('210124196001010001|张'), Buffer.from([0x80, 0xff]), gbk('|2|91210100000000000A|210100|110|201004|5000.00|800.00|400.00|2'), Buffer.from([0xb0])]),
      ROW('张伟', '201005'),
    ];
    const bytes = Buffer.concat(rows.flatMap((r) => [typeof r === 'string' ? gbk(r) : r, Buffer.from('\n')]));
    const r = await same(bytes, lnJb(), [1, 2, 3, 5, 7, 64, 1 << 20]);
    expect(r.issues.map((i) => (i as { code: string }).code)).toEqual(['legacy-record-length', 'legacy-encoding', 'legacy-encoding']);
  });

  it('agrees on hostile mutations of a small file, cp936 and GB18030, small chunks', async () => {
    const rnd = random(936);
    const names = ['郝𠮷萍', '王小明', '欧阳娜娜', '李', '张伟'];
    const hostile = [[0x81], [0x7c], [0xa1, 0x41], [0x81, 0x7c], [0x0a], [0x0d], [0x0d, 0x0a], [0x80], [0xff], [0xfe], [0x81, 0x30], [0x81, 0x30, 0x81], [0x84, 0x31, 0x95, 0x33], [0x30], [0xb0, 0xa1], [0x00]];
    for (const mapping of [lnJb(), gb18030()]) {
      for (let v = 0; v < 40; v++) {
        const lines = [HEADER];
        // person order (one identifier) or month order (identifiers interleaved: lines share the fields after it)
        const ids = rnd() < 0.5 ? ['210124196001010001'] : ['210124196001010001', '21012419600101002X', '210124196001010036'];
        for (let r = 0; r < 6; r++) lines.push(ROW(names[Math.floor(rnd() * names.length)], `2010${String(1 + Math.floor(r / ids.length)).padStart(2, '0')}`, ids[r % ids.length]));
        const eol = ['\n', '\r\n', '\r'][Math.floor(rnd() * 3)];
        let bytes = gbk(lines.join(eol) + (rnd() < 0.8 ? eol : ''), mapping.encoding);
        if (rnd() < 0.2) bytes = Buffer.concat([Buffer.from([0x84, 0x31, 0x95, 0x33]), bytes]);
        const edits = 1 + Math.floor(rnd() * 4);
        for (let k = 0; k < edits; k++) {
          const at = Math.floor(rnd() * (bytes.length + 1));
          const ins = Buffer.from(hostile[Math.floor(rnd() * hostile.length)]);
          const cut = rnd() < 0.5 ? ins.length : 0; // replace or insert
          bytes = Buffer.concat([bytes.subarray(0, at), ins, bytes.subarray(Math.min(bytes.length, at + cut))]);
        }
        await same(bytes, mapping, [1, 3, 64, 1 << 20]);
      }
    }
  });

  it('reads from their bytes only the values decodeFields gives the texts without a problem: hostile field values, person and month order', async () => {
    const rnd = random(1101);
    // every field of ROW, then values each field type refuses or reads otherwise (empty, signs, decimals, wide digits, control characters, unknown and inherited codes, months out of range)
    const hostile: Record<number, string[]> = {
      0: ['', '210124196001010001\u0001', '２１０１２４', '21012419600101000x', '张伟'],
      1: ['', '张\u0007伟', '\u007f', 'A|B', '郝𠮷萍', '€', '李'.repeat(70)],
      2: ['', '0', '3', '1 ', 'constructor', '__proto__', 'toString', '１'],
      3: ['', '91210100000000000A\t', '统一'],
      4: ['', '2101000', '21010', '２１０１００'],
      5: ['', '111', '110 ', 'hasOwnProperty'],
      6: ['', '201013', '201000', '189912', '210001', '2010-1', '2010.01', '20100', '２０１００１', '1999 1'],
      7: ['', '5000.1', '5000', '-5000.00', '+5000.00', '5,000.00', '.00', '1.000', '12345678901234.00', '1234567890123.00', ' 5000.00', '5000.00 ', '5e3.00', '５０００.００', '0.00', '00000000000.01'],
      8: ['', '800.0', '-0.00', '0800.00', '800.00\u0000'],
      9: ['', '400', '400.008', '四百.00'],
      10: ['', '3', '9', '１', 'valueOf'],
    };
    let fromBytes = 0;
    for (const mapping of [lnJb(), gb18030()]) {
      for (let v = 0; v < 30; v++) {
        const ids = rnd() < 0.5 ? ['210124196001010001'] : ['210124196001010001', '21012419600101002X', '210124196001010036'];
        const lines = [HEADER];
        for (let r = 0; r < 12; r++) {
          const fields = ROW(['张伟', '郝𠮷萍', '李'][r % 3], `2010${String(1 + Math.floor(r / ids.length)).padStart(2, '0')}`, ids[r % ids.length]).split('|');
          if (rnd() < 0.4) {
            const k = Math.floor(rnd() * fields.length);
            fields[k] = hostile[k][Math.floor(rnd() * hostile[k].length)];
          }
          if (rnd() < 0.05) fields.push('x'); // a field too many
          if (rnd() < 0.05) fields.pop(); // one too few
          lines.push(fields.join('|'));
        }
        const bytes = gbk(lines.join('\n') + '\n', mapping.encoding);
        await same(bytes, mapping, [1, 5, 64, 1 << 20], { fieldLength: 100 });
        const { recordLength } = resolveLimits(mapping.limits, undefined);
        for (const size of [1, 64, 1 << 20]) fromBytes += await sameValues(bytes, mapping, size, recordLength, 100);
      }
    }
    expect(fromBytes, 'rows read from their bytes').toBeGreaterThan(500);
  });

  it('refuses overlong records and fields at the same lines, counted in characters', async () => {
    const long = '张'.repeat(40); // 80 bytes, 40 characters
    const lines = [HEADER, ROW('张伟'), ROW(long, '201002'), ROW('张伟', '201003'), ROW(`${long}${long}`, '201004'), ROW('李', '201005')];
    for (const limits of [{ fieldLength: 50 }, { fieldLength: 30 }, { recordLength: 140 }, { recordLength: 120 }, { recordLength: 100 }, { recordLength: 60 }]) {
      for (const eol of ['\n', '\r']) {
        const bytes = gbk(lines.join(eol) + eol);
        await same(bytes, lnJb(), [1, 3, 64, 100, 1 << 20], limits);
        await same(bytes.subarray(0, bytes.length - 1), lnJb(), [1, 7, 1 << 20], limits); // no line end at the end
      }
    }
  });

  it('holds the first line end back while a lead byte after a CR is open at a chunk boundary or the end of the file', async () => {
    for (const tail of [[0x81], [0x81, 0x30], [0x81, 0x30, 0x81], [0x0a], []]) {
      for (const mapping of [lnJb(), gb18030()]) {
        const head = gbk(`${HEADER}\r`);
        const bytes = Buffer.concat([head, Buffer.from(tail), gbk(`${ROW('张伟')}\r`)]);
        await same(bytes, mapping, [head.length, head.length + 1, head.length + 2, 1, 1 << 20]);
        await same(Buffer.concat([head, Buffer.from(tail)]), mapping, [head.length, 1, 1 << 20]);
      }
    }
  });
});
