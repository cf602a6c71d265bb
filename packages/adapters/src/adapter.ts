/**
 * The adapters' public operations: decode and encode as streams, read and write
 * files, detect a file's format. Formats come from the registry (mapping files).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import type { Report } from '@jiexu/standard';
import { Issues } from './issues.ts';
import { checkWriterOptions, MappingError, type Mapping, type WriterOptions } from './mapping.ts';
import type { ContributionRecord } from './record.ts';
import { addFormatDir, dirUrl, formatEntries, hooksOf, loadFormatDir, type FormatEntry } from './registry.ts';
import { assemble } from './assemble.ts';
import { framingOf as registeredFraming, type Framing, type ReadSource, type WriteTarget } from './framing/index.ts';
import type { FileHeader, LegacyRow } from './rows.ts';
import { inPart, partOfPosition } from './framing/parts.ts';
import { groupByPerson } from './group.ts';
import { personContiguous } from './contiguity.ts';
import { passesGate } from './gate.ts';
import { resolveLimits, type Limits } from './limits.ts';
import { readCanonical, writeCanonical } from './canonical.ts';
import type { DecodeContext, EncodeContext } from './framing/common.ts';
import { BOM } from './encoding.ts';
import { keepTemp, removeTemp, tempDir, trackTemp } from './temp.ts';

/** The pseudo-format of canonical records as JSON Lines. */
export const CANONICAL = 'canonical';

/** A usage problem (unknown format, unreadable path): not a finding about the data. */
export class AdapterError extends Error {
  override name = 'AdapterError';
  /** `message` is English; `zh` the same in Chinese, for programs that speak Chinese (the CLI). */
  constructor(
    message: string,
    readonly zh?: string,
  ) {
    super(message);
  }
}

export interface FormatInfo {
  name: string;
  description: { zh: string; en: string };
  regions: string[];
  extensions: string[];
  /** The format's own issue codes (x-<format>-…), with their labels. */
  issueCodes?: { code: string; zh: string; en: string }[];
}

export interface DecodeOptions {
  /** Warnings count as errors. */
  strict?: boolean;
  /** The file name recorded in provenance and issues (defaults to the path's base name). */
  fileName?: string;
  /** Rows held in memory before grouping spills to a temporary file (default 1,000,000, or 64 MB of held rows first; given alone, only rows are counted). */
  rowsInMemory?: number;
  /** Overrides of the format's limits (see limits.ts). */
  limits?: Partial<Limits>;
}

export interface EncodeOptions {
  /** Write only this pooling region's records (needed when records span several regions). */
  region?: string;
  /** Export date-time written into headers (RFC 3339); defaults to now in +08:00. */
  exportedAt?: string;
  /** Writer options over the mapping's `writer` defaults (recordsPerPart, the framing's own such as pageSize). */
  writer?: WriterOptions;
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
  if (!e) throw new AdapterError(`unknown format "${name}"; known: ${[...formatEntries().keys(), CANONICAL].join(', ')}`, `未知格式 "${name}"；已知格式：${[...formatEntries().keys(), CANONICAL].join(', ')}`);
  return e;
}

function framingOf(m: Mapping): Framing<never> {
  const f = registeredFraming(m.framing.kind);
  if (!f) throw new AdapterError(`format ${m.name}: framing ${m.framing.kind} is not available`, `格式 ${m.name}：不支持文件结构 ${m.framing.kind}`);
  return f;
}

/** The format's hooks; a hooks file that cannot be loaded or lacks a named hook is a usage problem. */
async function hooksOfFormat(e: FormatEntry): Promise<Awaited<ReturnType<typeof hooksOf>>> {
  try {
    return await hooksOf(e);
  } catch (err) {
    throw new AdapterError((err as Error).message);
  }
}

/** Whether the format reads and writes a folder of parts by itself (pages). */
const isMultiPart = (m: Mapping): boolean => framingOf(m).multiPart?.(m.framing as never) ?? false;

const infoOf = (m: Mapping): FormatInfo => ({ name: m.name, description: m.description, regions: m.regions, extensions: m.extensions, ...(m.issueCodes ? { issueCodes: m.issueCodes } : {}) });

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
    throw new AdapterError(`cannot add the format in ${String(dir)}: ${(err as Error).message}`, `无法添加 ${String(dir)} 中的格式：${(err as Error).message}`);
  }
  return listed(entry);
}

function listed(entry: FormatEntry): FormatInfo {
  const known = formats.find((f) => f.name === entry.mapping.name);
  if (known) return known;
  const info = infoOf(entry.mapping);
  formats.push(info);
  return info;
}

/**
 * Adds format folders kept outside this package, each with its mapping.json
 * and, when it needs code, hooks.{mjs,js,ts} and its own framing.{mjs,js,ts}.
 * A mapping error names the file and the JSON pointer (one line per problem).
 */
export async function loadFormats(dirs: (string | URL)[]): Promise<FormatInfo[]> {
  const out: FormatInfo[] = [];
  for (const dir of dirs) {
    try {
      out.push(listed(await loadFormatDir(dirUrl(dir))));
    } catch (err) {
      if (err instanceof MappingError) throw new AdapterError(err.message);
      throw new AdapterError(`cannot add the format in ${String(dir)}: ${(err as Error).message}`);
    }
  }
  return out;
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
      if (!st || !(st.isFile() || st.isDirectory())) throw new AdapterError(`cannot read ${path}: ${st ? 'not a file or folder' : 'no such file or folder'}`, `无法读取 ${path}：${st ? '不是文件或文件夹' : '没有这个文件或文件夹'}`);
      this.progress.total = st.isFile() ? st.size : 0;
      if (this.format === CANONICAL) {
        if (st.isDirectory()) throw new AdapterError(`cannot read ${path}: canonical records are one JSON Lines file, not a folder`, `无法读取 ${path}：标准记录是一个 JSON Lines 文件，不是文件夹`);
        yield* readCanonical(path, this.issues, this.progress);
      } else {
        const e = entry(this.format);
        const source = await readSource(path, st.isDirectory(), e.mapping);
        const ctx = { mapping: e.mapping, issues: this.issues, hooks: await hooksOfFormat(e), header: {} as FileHeader, limits: resolveLimits(e.mapping.limits, this.opts.limits), progress: this.progress };
        const multiPart = isMultiPart(e.mapping);
        const rows = readRows(framingOf(e.mapping), source, ctx, multiPart);
        // a person-ordered single file streams as it comes; any other order (and a folder of parts) is grouped first
        const together = !source.folder && !multiPart && (await personContiguous(path, e.mapping));
        const records = assemble(together ? rows : groupByPerson(rows, { rowsInMemory: this.opts.rowsInMemory, together: () => ctx.header.personsTogether === true }), { mapping: e.mapping, issues: this.issues, header: ctx.header, file: this.issues.file });
        for await (const batch of source.folder || multiPart ? partsNamed(records) : records) {
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

/** The files of an input: the file itself, or the files of a folder (recursively, sorted, hidden ones left out). */
async function readSource(path: string, folder: boolean, m: Mapping): Promise<ReadSource> {
  if (!folder) return { path, folder, parts: [{ name: basename(path), path }] };
  const names = (await readdir(path, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile() && !d.name.startsWith('.'))
    .map((d) => relative(path, join(d.parentPath, d.name)).split(sep).join('/'))
    .filter((n) => m.extensions.includes(extname(n).toLowerCase()))
    .sort();
  if (!names.length) throw new AdapterError(`cannot read ${path}: the folder holds no ${m.extensions.join(' ')} file`);
  return { path, folder, parts: names.map((name) => ({ name, path: join(path, name) })) };
}

/** Rows of the source: a multi-part framing reads the folder itself; a single-file one is given each part in turn, its positions and issues naming the part. */
async function* readRows(framing: Framing<never>, source: ReadSource, ctx: DecodeContext, multiPart: boolean): AsyncGenerator<LegacyRow[]> {
  if (multiPart || !source.folder) {
    yield* framing.read(source, ctx);
    return;
  }
  const folderName = ctx.issues.file;
  try {
    for (const part of source.parts) {
      if (ctx.issues.fatal) return;
      ctx.issues.file = part.name;
      for await (const batch of framing.read({ path: part.path, folder: false, parts: [part] }, ctx)) {
        for (const row of batch) inPart(row.at, part.name);
        yield batch;
      }
    }
  } finally {
    ctx.issues.file = folderName;
  }
}

/** Records read from parts name their first part in provenance (the standard's positions carry no file). */
async function* partsNamed(batches: AsyncIterable<ContributionRecord[]>): AsyncGenerator<ContributionRecord[]> {
  for await (const batch of batches) {
    for (const r of batch) {
      const file = partOfPosition(r.provenance.at);
      if (file !== undefined) r.provenance.file = file;
    }
    yield batch;
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
  if (format !== CANONICAL && writesFolder(format, opts)) {
    throw new AdapterError(`${format} writes a folder of parts (pages or recordsPerPart): write it with writeRecords to a folder path`);
  }
  return encodeTo(format, records, { stream: output, part: () => { throw new AdapterError(`${format}: this output is one stream, not a folder`); } }, opts);
}

/** The writer options of a run: the mapping's defaults, then the caller's (checked against what the framing admits). */
function writerOptions(m: Mapping, opts: EncodeOptions): WriterOptions {
  if (opts.writer !== undefined) {
    const problems = checkWriterOptions(opts.writer, m.framing.kind, 'writer options', '');
    if (problems.length) throw new AdapterError(problems.join('\n'));
  }
  return { ...m.writer, ...opts.writer };
}

/** Whether writing `format` (with these options) gives a folder of parts rather than one file. */
export function writesFolder(format: string, opts: EncodeOptions = {}): boolean {
  if (format === CANONICAL) return false;
  const m = entry(format).mapping;
  return isMultiPart(m) || writerOptions(m, opts).recordsPerPart !== undefined;
}

/** Each part holds at most `per` records; a person's records stay in one part. Parts are named <format>-0001<ext>. */
async function writeInParts(framing: Framing<never>, records: AsyncIterable<ContributionRecord>, target: WriteTarget, ctx: EncodeContext, per: number): Promise<void> {
  const it = records[Symbol.asyncIterator]();
  let next = await it.next();
  for (let n = 1; !next.done; n++) {
    const out = target.part(`${ctx.mapping.name}-${String(n).padStart(4, '0')}${ctx.mapping.extensions[0]}`);
    if (ctx.mapping.bom) out.write(BOM);
    let count = 0;
    let lastId: string | undefined;
    const chunk = async function* (): AsyncGenerator<ContributionRecord> {
      while (!next.done) {
        const r = next.value;
        if (count >= per && r.person.id !== lastId) return;
        count++;
        lastId = r.person.id;
        yield r;
        next = await it.next();
      }
    };
    await framing.write(chunk(), { stream: out, part: target.part }, ctx);
    out.end();
  }
}

async function encodeTo(format: string, records: RecordSource, target: WriteTarget, opts: EncodeOptions): Promise<{ report: Report }> {
  const issues = new Issues();
  if (format === CANONICAL) {
    await writeCanonical(asAsync(records), target.stream!);
    return { report: issues.report() };
  }
  const e = entry(format);
  const writer = writerOptions(e.mapping, opts);
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
  const ctx: EncodeContext = { mapping: e.mapping, issues, hooks: await hooksOfFormat(e), region, exportedAt: opts.exportedAt ?? nowCst(), writer };
  const framing = framingOf(e.mapping);
  if (!isMultiPart(e.mapping) && writer.recordsPerPart !== undefined) {
    await writeInParts(framing, oneRegion(), target, ctx, writer.recordsPerPart);
  } else {
    if (e.mapping.bom && target.stream && !target.stream.writableEnded) target.stream.write(BOM);
    await framing.write(oneRegion(), target, ctx);
  }
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
  if (!format) throw new AdapterError(`cannot tell the format of ${path}; name it (one of ${[...formatEntries().keys()].join(', ')})`, `无法识别 ${path} 的格式，请指定（${[...formatEntries().keys()].join(', ')} 之一）`);
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
  if (writesFolder(format, opts)) return writeFolder(records, format, outPath, opts);
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.${Date.now()}.tmp`);
  trackTemp(tmp);
  const out = createWriteStream(tmp);
  await once(out, 'open').catch((err: NodeJS.ErrnoException) => {
    throw new AdapterError(`cannot write ${outPath}: ${err.code ?? err.message}`, `无法写入 ${outPath}：${err.code ?? err.message}`);
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

/**
 * Writes a folder of parts: into a temporary folder beside `outPath`, renamed
 * into place only when every part was written and the report has no error. An
 * existing empty folder is replaced; a non-empty one is refused.
 */
async function writeFolder(records: RecordSource, format: string, outPath: string, opts: EncodeOptions): Promise<{ report: Report }> {
  const existing = await stat(outPath).catch(() => undefined);
  if (existing && !(existing.isDirectory() && (await readdir(outPath)).length === 0)) throw new AdapterError(`cannot write ${outPath}: it exists (${format} writes a folder; give a new or empty folder)`);
  const tmp = join(dirname(outPath), `.${basename(outPath)}.${process.pid}.${Date.now()}.tmp`);
  await mkdir(tmp).catch((err: NodeJS.ErrnoException) => {
    throw new AdapterError(`cannot write ${outPath}: ${err.code ?? err.message}`);
  });
  const opened: Writable[] = [];
  const names = new Set<string>();
  const target: WriteTarget = {
    stream: undefined,
    part(name: string): Writable {
      if (!/^[^/\\]+$/.test(name) || name.startsWith('.') || names.has(name)) throw new AdapterError(`${format}: part name ${JSON.stringify(name)} is not a new plain file name`);
      names.add(name);
      const out = createWriteStream(join(tmp, name));
      opened.push(out);
      return out;
    },
  };
  try {
    const { report } = await encodeTo(format, records, target, opts);
    for (const out of opened) if (!out.writableEnded) out.end();
    await Promise.all(opened.map((out) => finished(out)));
    if (!report.valid) {
      await rm(tmp, { recursive: true, force: true });
      return { report };
    }
    if (existing) await rm(outPath, { recursive: true, force: true });
    await rename(tmp, outPath);
    return { report };
  } catch (err) {
    for (const out of opened) out.destroy();
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The format of a file, from its content (magic bytes, header line, root element), else its extension. */
export async function detectFormat(path: string): Promise<string | undefined> {
  const st = await stat(path).catch(() => undefined);
  if (st?.isDirectory()) {
    // a folder: the format whose extension its files carry, decided by its first such file
    const files = (await readdir(path, { recursive: true })).map(String).filter((f) => !basename(f).startsWith('.')).sort();
    for (const f of files) {
      const format = await detectFormat(join(path, f)).catch(() => undefined);
      if (format !== undefined && format !== CANONICAL) return format;
    }
    return undefined;
  }
  let head: Buffer;
  try {
    const fh = await open(path, 'r');
    head = Buffer.alloc(4096);
    const { bytesRead } = await fh.read(head, 0, head.length, 0);
    head = head.subarray(0, bytesRead);
    await fh.close();
  } catch {
    throw new AdapterError(`cannot read ${path}`, `无法读取 ${path}`);
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
  return framingOf(m).detect?.(head, m) ?? false;
}
