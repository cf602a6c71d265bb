/**
 * The adapters' public operations: decode and encode as streams, read and write
 * files, detect a file's format. Formats come from the registry (mapping files).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { open, rename, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type { Report } from '@jiexu/standard';
import { Issues } from './issues.ts';
import type { Mapping } from './mapping.ts';
import type { ContributionRecord } from './record.ts';
import { addFormatDir, formatEntries, hooksOf, type FormatEntry } from './registry.ts';
import { assemble } from './assemble.ts';
import { groupByPerson } from './group.ts';
import { personContiguous } from './contiguity.ts';
import { passesGate } from './gate.ts';
import { resolveLimits, type Limits } from './limits.ts';
import { framings, type FramingImpl } from './framing/index.ts';
import { readCanonical, writeCanonical } from './canonical.ts';
import { BOM, encodeText } from './encoding.ts';
import { keepTemp, removeTemp, tempDir, trackTemp } from './temp.ts';

/** The pseudo-format of canonical records as JSON Lines. */
export const CANONICAL = 'canonical';

/** A usage problem (unknown format, unreadable path): not a finding about the data. */
export class AdapterError extends Error {
  override name = 'AdapterError';
}

export interface FormatInfo {
  name: string;
  description: { zh: string; en: string };
  regions: string[];
  extensions: string[];
}

export interface DecodeOptions {
  /** Warnings count as errors. */
  strict?: boolean;
  /** The file name recorded in provenance and issues (defaults to the path's base name). */
  fileName?: string;
  /** Rows sorted in memory before grouping spills to a temporary file (default 100,000). */
  rowsInMemory?: number;
  /** Overrides of the format's limits (see limits.ts). */
  limits?: Partial<Limits>;
}

export interface EncodeOptions {
  /** Write only this pooling region's records (needed when records span several regions). */
  region?: string;
  /** Export date-time written into headers (RFC 3339); defaults to now in +08:00. */
  exportedAt?: string;
}

export type Input = string | Uint8Array | NodeJS.ReadableStream;
export type RecordSource = Iterable<ContributionRecord> | AsyncIterable<ContributionRecord>;

export interface Adapter extends FormatInfo {
  mapping: Mapping;
  decode(input: Input, opts?: DecodeOptions): Decoding;
  encode(records: RecordSource, output: Writable, opts?: EncodeOptions): Promise<{ report: Report }>;
}

function entry(name: string): FormatEntry {
  const e = formatEntries().get(name);
  if (!e) throw new AdapterError(`unknown format "${name}"; known: ${[...formatEntries().keys(), CANONICAL].join(', ')}`);
  return e;
}

async function framingOf(m: Mapping): Promise<FramingImpl> {
  const load = framings[m.framing.kind];
  if (!load) throw new AdapterError(`format ${m.name}: framing ${m.framing.kind} is not available`);
  return load();
}

const infoOf = (m: Mapping): FormatInfo => ({ name: m.name, description: m.description, regions: m.regions, extensions: m.extensions });

/** Every legacy format, as listed by `jiexu formats`. */
export const formats: FormatInfo[] = [...formatEntries().values()].map(({ mapping }) => infoOf(mapping));

/**
 * Adds a format declared outside this package: a folder holding its
 * mapping.json (and hooks.ts when it needs code). See docs/adapters.md.
 */
export function addFormat(dir: string | URL): FormatInfo {
  let entry: FormatEntry;
  try {
    entry = addFormatDir(typeof dir === 'string' ? pathToFileURL(dir) : dir);
  } catch (err) {
    throw new AdapterError(`cannot add the format in ${String(dir)}: ${(err as Error).message}`);
  }
  const info = infoOf(entry.mapping);
  formats.push(info);
  return info;
}

export function getAdapter(name: string): Adapter {
  const m = entry(name).mapping;
  return {
    name: m.name,
    description: m.description,
    regions: m.regions,
    extensions: m.extensions,
    mapping: m,
    decode: (input, opts) => decode(name, input, opts),
    encode: (records, output, opts) => encode(name, records, output, opts),
  };
}

/** Non-file input is copied to a temporary file first: some formats read a file twice (accounts first). */
async function asPath(input: Input): Promise<{ path: string; cleanup: () => Promise<void> }> {
  if (typeof input === 'string') return { path: input, cleanup: async () => undefined };
  const dir = tempDir('jiexu-in-');
  const path = join(dir, 'input');
  const source = input instanceof Uint8Array ? Readable.from([Buffer.from(input)]) : (input as NodeJS.ReadableStream);
  try {
    await pipeline(source, createWriteStream(path));
  } catch (err) {
    await removeTemp(dir);
    throw err;
  }
  return { path, cleanup: () => removeTemp(dir) };
}

/**
 * A streaming decode: iterate it for records (or `batches()` for arrays of them);
 * `report` is complete once iteration ends.
 */
export class Decoding implements AsyncIterable<ContributionRecord> {
  private issues: Issues;
  private done = false;
  /** Bytes of the input read so far, and its size once known (0 before; formats read by a library, bj-xlsx, report none). */
  readonly progress = { bytes: 0, total: 0 };
  constructor(
    private readonly format: string,
    private readonly input: Input,
    private readonly opts: DecodeOptions,
  ) {
    const file = opts.fileName ?? (typeof input === 'string' ? basename(input) : undefined);
    this.issues = new Issues(file);
  }

  get report(): Report {
    if (!this.done) throw new Error('the report is complete only after the records have been read');
    return this.issues.report(this.opts.strict);
  }

  async *batches(): AsyncGenerator<ContributionRecord[]> {
    const { path, cleanup } = await asPath(this.input);
    try {
      const st = await stat(path).catch(() => undefined);
      if (!st || !st.isFile()) throw new AdapterError(`cannot read ${path}: not a file`);
      this.progress.total = st.size;
      if (this.format === CANONICAL) {
        yield* readCanonical(path, this.issues, this.progress);
      } else {
        const e = entry(this.format);
        const ctx = { mapping: e.mapping, issues: this.issues, hooks: await hooksOf(e), header: {}, limits: resolveLimits(e.mapping.limits, this.opts.limits), progress: this.progress };
        const rows = (await framingOf(e.mapping)).read(path, ctx);
        // a person-ordered file streams as it comes; any other order is grouped first
        const together = await personContiguous(path, e.mapping);
        const records = assemble(together ? rows : groupByPerson(rows, { rowsInMemory: this.opts.rowsInMemory }), { mapping: e.mapping, issues: this.issues, header: ctx.header, file: this.issues.file });
        for await (const batch of records) {
          const passed = batch.filter((r) => passesGate(r, this.issues));
          if (passed.length) yield passed;
        }
      }
    } finally {
      this.done = true;
      await cleanup();
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<ContributionRecord> {
    for await (const batch of this.batches()) yield* batch;
  }
}

export function decode(format: string, input: Input, opts: DecodeOptions = {}): Decoding {
  if (format !== CANONICAL) entry(format);
  return new Decoding(format, input, opts);
}

/** Now as RFC 3339 in China Standard Time. */
function nowCst(): string {
  const t = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19);
  return `${t}+08:00`;
}

/** An array's records with each person's together (first appearance order kept); streams are taken as they come. */
function byPerson(records: ContributionRecord[]): ContributionRecord[] {
  const groups = new Map<string, ContributionRecord[]>();
  for (const r of records) {
    const g = groups.get(r.person.id);
    if (g) g.push(r);
    else groups.set(r.person.id, [r]);
  }
  return [...groups.values()].flat();
}

async function* asAsync(records: RecordSource): AsyncGenerator<ContributionRecord> {
  yield* records as AsyncIterable<ContributionRecord>;
}

/**
 * Encodes records into `output` in the given format. A legacy format holds one
 * region: `opts.region` selects it; without it, records of a second region are
 * refused. The report says what was not written and why.
 */
export async function encode(format: string, records: RecordSource, output: Writable, opts: EncodeOptions = {}): Promise<{ report: Report }> {
  const issues = new Issues();
  if (format === CANONICAL) {
    await writeCanonical(asAsync(records), output);
    return { report: issues.report() };
  }
  const e = entry(format);
  const it = asAsync(Array.isArray(records) ? byPerson(records) : records)[Symbol.asyncIterator]();
  const first = await it.next();
  const region = opts.region ?? (first.done ? e.mapping.regions[0] : first.value.region);
  let skipped = 0;
  let n = 0;
  const others = new Map<string, { first: number; count: number }>();
  async function* oneRegion(): AsyncGenerator<ContributionRecord> {
    let next = first;
    while (!next.done) {
      const r = next.value;
      n++;
      if (r.region === region) yield r;
      else if (opts.region !== undefined) skipped++;
      else {
        const o = others.get(r.region);
        if (o) o.count++;
        else others.set(r.region, { first: n, count: 1 });
      }
      next = await it.next();
    }
  }
  const ctx = { mapping: e.mapping, issues, hooks: await hooksOf(e), region, exportedAt: opts.exportedAt ?? nowCst() };
  if (e.mapping.bom && !output.writableEnded) output.write(BOM);
  await (await framingOf(e.mapping)).write(oneRegion(), output, ctx);
  for (const [other, { first: at, count }] of others) {
    issues.error(
      'legacy-region-mismatch',
      `${count} records (the first is record ${at}) are for region ${other}, but the file is for ${region}: ${format} holds one region's records; choose one with --region`,
      `${count} 条记录（第一条为第 ${at} 条）属于统筹地区 ${other}，而文件为 ${region}：${format} 只能含一个统筹地区的记录，请用 --region 选择`,
      { record: at },
      { pointer: '/region', value: other },
    );
  }
  if (skipped) {
    issues.add('information', 'records-not-in-region', `${skipped} records of other regions were not written (only ${region})`, `${skipped} 条其他统筹地区的记录未写出（只写 ${region}）`);
  }
  return { report: issues.report() };
}

/** Reads a whole legacy (or canonical JSONL) file. The format is detected when not given. */
export async function readRecords(path: string, opts: { format?: string; strict?: boolean; limits?: Partial<Limits> } = {}): Promise<{ records: ContributionRecord[]; report: Report }> {
  const format = opts.format ?? (await detectFormat(path));
  if (!format) throw new AdapterError(`cannot tell the format of ${path}; name it (one of ${[...formatEntries().keys()].join(', ')})`);
  const d = decode(format, path, { strict: opts.strict, limits: opts.limits });
  const records: ContributionRecord[] = [];
  for await (const batch of d.batches()) for (const r of batch) records.push(r);
  return { records, report: d.report };
}

/**
 * Writes records as a legacy (or canonical) file: into a temporary file beside
 * `outPath`, renamed into place only when the report has no error. A failed
 * run leaves no file.
 */
export async function writeRecords(records: RecordSource, format: string, outPath: string, opts: EncodeOptions = {}): Promise<{ report: Report }> {
  if (format !== CANONICAL) entry(format);
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.${Date.now()}.tmp`);
  trackTemp(tmp);
  const out = createWriteStream(tmp);
  await once(out, 'open').catch((err: NodeJS.ErrnoException) => {
    throw new AdapterError(`cannot write ${outPath}: ${err.code ?? err.message}`);
  });
  try {
    const { report } = await encode(format, records, out, opts);
    out.end();
    await finished(out);
    if (!report.valid) {
      await removeTemp(tmp);
      return { report };
    }
    await rename(tmp, outPath);
    keepTemp(tmp);
    return { report };
  } catch (err) {
    out.destroy();
    await removeTemp(tmp);
    throw err;
  }
}

/** The format of a file, from its content (magic bytes, header line, root element), else its extension. */
export async function detectFormat(path: string): Promise<string | undefined> {
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
    await fh.close();
  } catch {
    throw new AdapterError(`cannot read ${path}`);
  }
  const ext = extname(path).toLowerCase();
  const all = [...formatEntries().values()].map((e) => e.mapping);
  const byContent = all.filter((m) => matchesContent(head, m));
  if (byContent.length === 1) return byContent[0].name;
  const pool = byContent.length > 1 ? byContent : all;
  const byExt = pool.filter((m) => m.extensions.includes(ext));
  if (byExt.length === 1) return byExt[0].name;
  if (byContent.length === 0 && head.length > 0 && (head[0] === 0x7b || head[0] === 0x5b) && (ext === '.jsonl' || ext === '.json' || ext === '.ndjson')) return CANONICAL;
  return undefined;
}

function matchesContent(head: Buffer, m: Mapping): boolean {
  const f = m.framing;
  switch (f.kind) {
    case 'spreadsheet':
      return head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    case 'xml':
      return head.includes(Buffer.from(`<${f.root.element}`)) && head.includes(Buffer.from(f.namespace));
    case 'fixed': {
      const header = f.records.find((r) => r.role === 'header') ?? f.records[0];
      const eol = head.indexOf(m.lineEnd);
      return head[0] === header.type.charCodeAt(0) && eol === f.recordLength;
    }
    case 'delimited': {
      let text = head;
      if (text.subarray(0, 3).equals(BOM)) text = text.subarray(3);
      const eol = text.indexOf(0x0a);
      const first = text.subarray(0, eol < 0 ? text.length : eol).toString('latin1').replace(/\r$/, '');
      // compared as bytes in the format's encoding
      return first === encodeText(f.fields.map((x) => x.name).join(f.delimiter), m).toString('latin1');
    }
  }
}
