/**
 * The fuzz suite's mutations of a sample export, from a seeded generator (the
 * same seed gives the same variants): byte flips, truncation, re-encoding,
 * duplicated and deleted lines, NULs, BOMs, line-end changes, deep XML, and for
 * workbooks bombs, lying zip directories and flips inside the zip. Each variant
 * says where it changed the file (the line, when the format has lines).
 */
import iconv from 'iconv-lite';
import type { Mapping } from '../mapping.ts';
import { writeZip, type ZipEntry } from '../testing/zip.ts';

export interface Variant {
  kind: string;
  bytes: Buffer;
  /** 1-based line of the change, for line-based formats. */
  line?: number;
  /** For a sample that is a folder of parts: the part these bytes replace. */
  part?: string;
}

/** mulberry32: small, fast, good enough to pick offsets. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lineOf = (b: Buffer, offset: number): number => {
  let n = 1;
  for (let i = b.indexOf(10); i >= 0 && i < offset; i = b.indexOf(10, i + 1)) n++;
  return n;
};

/** gd-xml (or any XML export) with `depth` empty elements nested just inside its root's start tag; `line` is where they start. */
export function deepenXml(bytes: Buffer, depth: number, element = 'Person'): { bytes: Buffer; line: number } {
  const at = bytes.indexOf('>', bytes.indexOf('<InsuranceExport')) + 1;
  return { bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from(`<${element}>`.repeat(depth) + `</${element}>`.repeat(depth)), bytes.subarray(at)]), line: lineOf(bytes, at) };
}

/** A workbook's entries with a worksheet (the first, or the first whose name matches `which`) padded by `spaces` bytes of whitespace before its last 20 bytes: a zip bomb once deflated (whitespace packs about 1000 to 1). */
export function bombEntries(entries: ZipEntry[], spaces: number, which = /worksheets\/sheet\d+\.xml$/): ZipEntry[] {
  const sheet = entries.findIndex((e) => which.test(e.name));
  return entries.map((e, i) => (i === sheet ? { ...e, data: Buffer.concat([e.data.subarray(0, e.data.length - 20), Buffer.alloc(spaces, 0x20), e.data.subarray(e.data.length - 20)]) } : e));
}

/** Start offsets of the lines of a text file. */
function lineStarts(b: Buffer): number[] {
  const out = [0];
  for (let i = b.indexOf(10); i >= 0 && i < b.length - 1; i = b.indexOf(10, i + 1)) out.push(i + 1);
  return out;
}

export function textMutations(bytes: Buffer, mapping: Mapping, count: number, seed: number): Variant[] {
  const r = rng(seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const starts = lineStarts(bytes);
  const lineBytes = (i: number): [number, number] => [starts[i], i + 1 < starts.length ? starts[i + 1] : bytes.length];
  const makers: (() => Variant)[] = [
    () => {
      const o = pick(bytes.length);
      const b = Buffer.from(bytes);
      b[o] ^= 1 << pick(8);
      return { kind: 'byte-flip', bytes: b, line: lineOf(bytes, o) };
    },
    () => {
      const o = pick(bytes.length);
      return { kind: 'truncate', bytes: bytes.subarray(0, o), line: lineOf(bytes, o) };
    },
    () => {
      const i = 1 + pick(starts.length - 1);
      const [s, e] = lineBytes(i);
      return { kind: 'duplicate-line', bytes: Buffer.concat([bytes.subarray(0, e), bytes.subarray(s, e), bytes.subarray(e)]), line: i + 2 };
    },
    () => {
      const i = 1 + pick(starts.length - 1);
      const [s, e] = lineBytes(i);
      return { kind: 'delete-line', bytes: Buffer.concat([bytes.subarray(0, s), bytes.subarray(e)]), line: i + 1 };
    },
    () => {
      const o = pick(bytes.length);
      return { kind: 'nul', bytes: Buffer.concat([bytes.subarray(0, o), Buffer.from([0]), bytes.subarray(o)]), line: lineOf(bytes, o) };
    },
    () => {
      const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
      return { kind: bom ? 'bom-removed' : 'bom-added', bytes: bom ? bytes.subarray(3) : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]), line: 1 };
    },
    () => {
      const text = bytes.toString('latin1');
      const crlf = text.includes('\r\n');
      const to = pick(2) === 0 ? (crlf ? '\n' : '\r\n') : '\r';
      return { kind: `line-end-${to === '\r' ? 'cr' : to === '\n' ? 'lf' : 'crlf'}`, bytes: Buffer.from(text.replace(/\r?\n/g, to), 'latin1'), line: 1 };
    },
    () => {
      if (mapping.encoding === 'utf-8') return { kind: 're-encode-gb18030', bytes: iconv.encode(iconv.decode(bytes, 'utf-8'), 'gb18030'), line: 1 };
      return { kind: 're-encode-utf8', bytes: Buffer.from(iconv.decode(bytes, mapping.encoding), 'utf8'), line: 1 };
    },
  ];
  if (mapping.framing.kind !== 'xml') {
    makers.push(() => {
      // two lines swapped (another row order): the records must not change
      const i = 1 + pick(starts.length - 1);
      const j = 1 + pick(starts.length - 1);
      const [a, b] = [Math.min(i, j), Math.max(i, j)];
      if (a === b) return { kind: 'swap-lines', bytes, line: a + 1 };
      const [as, ae] = lineBytes(a);
      const [bs, be] = lineBytes(b);
      const la = bytes.subarray(as, ae);
      const lb = bytes.subarray(bs, be);
      if (!la.subarray(-1).equals(lb.subarray(-1))) return { kind: 'swap-lines', bytes, line: a + 1 };
      return { kind: 'swap-lines', bytes: Buffer.concat([bytes.subarray(0, as), lb, bytes.subarray(ae, bs), la, bytes.subarray(be)]), line: a + 1 };
    });
  }
  if (mapping.framing.kind === 'xml') {
    makers.push(() => {
      const depth = [20, 1000, 100_000][pick(3)];
      return { kind: `xml-depth-${depth}`, ...deepenXml(bytes, depth) };
    });
    makers.push(() => {
      const at = bytes.indexOf('<Period');
      return { kind: 'xml-entity', bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from('<!-- x -->&#65;'), bytes.subarray(at)]), line: lineOf(bytes, at) };
    });
  }
  const out: Variant[] = [];
  for (let n = 0; n < count; n++) out.push(makers[n % makers.length]());
  return out;
}

/** Workbook mutations: flips and cuts inside the zip, a bomb, a directory that lies about a size, too many entries. */
export function zipMutations(bytes: Buffer, entries: ZipEntry[], count: number, seed: number): Variant[] {
  const r = rng(seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const sheet = entries.findIndex((e) => /worksheets\/sheet\d+\.xml$/.test(e.name));
  const withSheet = (change: (e: ZipEntry) => ZipEntry): ZipEntry[] => entries.map((e, i) => (i === sheet ? change({ ...e }) : e));
  const makers: (() => Variant)[] = [
    () => {
      const b = Buffer.from(bytes);
      b[pick(b.length)] ^= 1 << pick(8);
      return { kind: 'zip-byte-flip', bytes: b };
    },
    () => ({ kind: 'zip-truncate', bytes: bytes.subarray(0, pick(bytes.length)) }),
    () => ({ kind: 'zip-bomb', bytes: writeZip(bombEntries(entries, (8 + pick(56)) << 20)) }),
    () => ({ kind: 'zip-lying-size', bytes: writeZip(withSheet((e) => ({ ...e, declaredSize: pick(e.data.length) }))) }),
    () => ({ kind: 'zip-many-entries', bytes: writeZip([...entries, ...Array.from({ length: 1200 }, (_, i) => ({ name: `x/${i}.bin`, data: Buffer.alloc(1) }))]) }),
    () => {
      const b = Buffer.from(bytes);
      b[pick(b.length)] ^= 1 << pick(8);
      b[pick(b.length)] ^= 1 << pick(8);
      return { kind: 'zip-byte-flip', bytes: b };
    },
  ];
  const out: Variant[] = [];
  for (let n = 0; n < count; n++) out.push(makers[n % makers.length]());
  return out;
}

/** dBase table mutations: flips in the header and the records, cuts, records deleted, duplicated, marked deleted, a lying record count, NULs. */
export function dbfMutations(bytes: Buffer, count: number, seed: number): Variant[] {
  const r = rng(seed);
  const pick = (n: number): number => Math.floor(r() * n);
  const headerLength = bytes.readUInt16LE(8);
  const recordLength = bytes.readUInt16LE(10);
  const records = bytes.readUInt32LE(4);
  const recordAt = (i: number): [number, number] => [headerLength + i * recordLength, headerLength + (i + 1) * recordLength];
  const makers: (() => Variant)[] = [
    () => {
      const b = Buffer.from(bytes);
      b[headerLength + pick(records * recordLength)] ^= 1 << pick(8);
      return { kind: 'dbf-record-byte-flip', bytes: b };
    },
    () => {
      const b = Buffer.from(bytes);
      b[pick(headerLength)] ^= 1 << pick(8);
      return { kind: 'dbf-header-byte-flip', bytes: b };
    },
    () => ({ kind: 'dbf-truncate', bytes: bytes.subarray(0, pick(bytes.length)) }),
    () => {
      const [s, e] = recordAt(pick(records));
      return { kind: 'dbf-delete-record', bytes: Buffer.concat([bytes.subarray(0, s), bytes.subarray(e)]) };
    },
    () => {
      const [s, e] = recordAt(pick(records));
      return { kind: 'dbf-duplicate-record', bytes: Buffer.concat([bytes.subarray(0, e), bytes.subarray(s, e), bytes.subarray(e)]) };
    },
    () => {
      const b = Buffer.from(bytes);
      b[recordAt(pick(records))[0]] = 0x2a;
      return { kind: 'dbf-mark-deleted', bytes: b };
    },
    () => {
      const b = Buffer.from(bytes);
      b.writeUInt32LE(records + (pick(2) ? 1 : -1), 4);
      return { kind: 'dbf-record-count', bytes: b };
    },
    () => {
      const o = headerLength + pick(records * recordLength);
      return { kind: 'dbf-nul', bytes: Buffer.concat([bytes.subarray(0, o), Buffer.from([0]), bytes.subarray(o)]) };
    },
  ];
  const out: Variant[] = [];
  for (let n = 0; n < count; n++) out.push(makers[n % makers.length]());
  return out;
}
