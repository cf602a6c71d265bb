/**
 * The validator's worker: reads a dropped file with the CLI's own code — @jiexu/adapters for a
 * legacy export (decode, as `jiexu validate --format` does), @jiexu/standard for canonical JSON,
 * JSON Lines or an envelope (validateCanonicalBytes, as `jiexu validate` does) — on an in-memory
 * file system, and posts progress, the report, the figures and the canonical JSON Lines. Nothing
 * is sent anywhere: the worker makes no request.
 */
import './node-env.ts';
import { AdapterError, decode, detectFormat, formats, loadFormats, preloadFormatCode } from '@jiexu/adapters';
import { codeList, SEVERITY_LABELS, validateCanonicalBytes, type ContributionRecord, type FileResult } from '@jiexu/standard';
import { vol } from 'memfs';
import { formatCode, formatDirs } from 'virtual:jiexu-format-code';
import { figuresOf } from '../validator/figures.ts';
import { placeBuffer, streamIntoBuffer } from './input-files.ts';
import { AUTO, CANONICAL_CHOICE, type ReadRequest, type WorkerMessage } from '../validator/protocol.ts';

const post = (m: WorkerMessage): void => (self as unknown as Worker).postMessage(m);

const CANONICAL_EXTENSIONS = /\.(json|jsonl|ndjson)$/i;

async function start(): Promise<void> {
  for (const [href, mod] of formatCode) preloadFormatCode(href, mod);
  if (formatDirs.length) await loadFormats(formatDirs);
  post({
    type: 'ready',
    formats: formats.map((f) => ({ name: f.name, description: f.description, extensions: f.extensions })),
    schemes: codeList('scheme').map(({ code, zh, en }) => ({ code, zh, en })),
    issueCodes: codeList('issue-code').map(({ code, zh, en }) => ({ code, zh, en })),
    severities: Object.entries(SEVERITY_LABELS).map(([code, l]) => ({ code, ...l })),
  });
}

/** A part's path inside its folder, safe in the file system: no absolute path, no `..`, no empty step. */
function safeRelative(path: string): string {
  const steps = path.split(/[/\\]/).filter((s) => s !== '' && s !== '.' && s !== '..');
  return steps.length ? steps.join('/') : '_';
}

/**
 * The chosen files in the in-memory file system, each in a folder of its own read (two reads never
 * meet): one file at /input/<n>/<name>, or a folder's parts under /input/<n>/<name>/. Returns the
 * path to read and, for one file, its Buffer (canonical JSON is validated from the bytes).
 */
async function place(req: ReadRequest, dir: string, onBytes: (read: number) => void): Promise<{ path: string; single?: Uint8Array }> {
  const name = req.name.replace(/[/\\]/g, '_') || '_';
  let done = 0;
  if (!req.folder) {
    vol.mkdirSync(dir, { recursive: true });
    const path = `${dir}/${name}`;
    const buf = await streamIntoBuffer(req.files[0]!.file, onBytes);
    placeBuffer(path, buf);
    return { path, single: buf };
  }
  const path = `${dir}/${name}`;
  for (const { path: rel, file } of req.files) {
    const to = `${path}/${safeRelative(rel)}`;
    vol.mkdirSync(to.slice(0, to.lastIndexOf('/')), { recursive: true });
    const before = done;
    placeBuffer(to, await streamIntoBuffer(file, (n) => onBytes(before + n)));
    done += file.size;
  }
  vol.mkdirSync(path, { recursive: true });
  return { path };
}

function canonicalRecords(bytes: Uint8Array): ContributionRecord[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return [];
  }
  const docs: unknown[] = [];
  try {
    docs.push(JSON.parse(text));
  } catch {
    for (const line of text.split('\n')) {
      try {
        if (line.trim()) docs.push(JSON.parse(line));
      } catch {
        // reported by the validation
      }
    }
  }
  return docs.filter((d): d is ContributionRecord => typeof d === 'object' && d !== null && (d as { kind?: unknown }).kind === 'contribution-record');
}

let reads = 0;
async function read(req: ReadRequest): Promise<void> {
  const started = performance.now();
  const total = req.files.reduce((n, f) => n + f.file.size, 0);
  const dir = `/input/${++reads}`;
  try {
    // the bytes taken in: the first half of the bar (the format's reading is the second)
    let lastPost = 0;
    const { path, single } = await place(req, dir, (n) => {
      const now = performance.now();
      if (now - lastPost > 100) {
        lastPost = now;
        post({ type: 'progress', bytes: Math.floor(n / 2), total, records: 0 });
      }
    });
    let format = req.format;
    if (format === AUTO) format = !req.folder && CANONICAL_EXTENSIONS.test(req.name) ? CANONICAL_CHOICE : ((await detectFormat(path)) ?? CANONICAL_CHOICE);
    if (format === CANONICAL_CHOICE) {
      if (!single) {
        post({ type: 'failed', message: { zh: `无法读取 ${req.name}：标准记录是一个 JSON Lines 文件，不是文件夹`, en: `cannot read ${req.name}: canonical records are one JSON Lines file, not a folder` } });
        return;
      }
      post({ type: 'progress', bytes: Math.floor(total / 2), total, records: 0 });
      const result = validateCanonicalBytes(single, req.name);
      const records = result.valid ? canonicalRecords(single) : [];
      post({ type: 'done', format, result, figures: figuresOf(records), records: records.length, jsonl: null, millis: performance.now() - started });
      return;
    }
    const decoding = decode(format, path, { fileName: req.name, rowsInMemory: Number.MAX_SAFE_INTEGER });
    const records: ContributionRecord[] = [];
    let last = 0;
    for await (const batch of decoding.batches()) {
      records.push(...batch);
      const now = performance.now();
      if (now - last > 100) {
        last = now;
        // a folder has no size of its own (progress.total 0): its parts' bytes are the total
        const of = decoding.progress.total || total;
        post({ type: 'progress', bytes: Math.floor(total / 2 + (Math.min(decoding.progress.bytes, of) / Math.max(of, 1)) * (total / 2)), total, records: records.length });
      }
    }
    // as `jiexu validate --format`: an issue of a folder's part names it in its folder (folder/page-0002.json; a part
    // chosen without its folder, by itself), every other issue the file or folder; documents are the records read
    const parts = req.folder ? new Set(req.files.map((f) => safeRelative(f.path))) : undefined;
    const where = (part: string | undefined): string => (parts && part !== undefined && parts.has(part) ? (req.withoutFolder ? part : `${req.name}/${part}`) : req.name);
    const issues = decoding.report.issues.map((i) => ({ ...i, location: { ...i.location, file: where(i.location?.file) } }));
    const result: FileResult = { file: req.name, documents: records.length, valid: !issues.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues };
    const jsonl = new Blob(records.map((r) => `${JSON.stringify(r)}\n`), { type: 'application/x-ndjson' });
    post({ type: 'done', format, result, figures: figuresOf(records), records: records.length, jsonl, millis: performance.now() - started });
  } catch (err) {
    const e = err as Error & { zh?: string };
    post({ type: 'failed', message: err instanceof AdapterError ? { zh: e.zh ?? e.message, en: e.message } : { zh: `读取失败：${e.message}`, en: `reading failed: ${e.message}` } });
  } finally {
    vol.rmSync(dir, { recursive: true, force: true });
  }
}

self.addEventListener('message', (ev: MessageEvent<ReadRequest>) => {
  if (ev.data?.type === 'read') void read(ev.data);
});
start().catch((err: Error) => post({ type: 'failed', message: { zh: `验证器无法启动：${err.message}`, en: `the validator could not start: ${err.message}` } }));
