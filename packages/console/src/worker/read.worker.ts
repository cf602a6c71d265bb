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

/** The file's place in the in-memory file system (its own folder, so two reads never meet). */
let reads = 0;
function place(name: string, bytes: Uint8Array): string {
  const dir = `/input/${++reads}`;
  vol.mkdirSync(dir, { recursive: true });
  const path = `${dir}/${name.replace(/[/\\]/g, '_')}`;
  vol.writeFileSync(path, bytes);
  return path;
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

async function read(req: ReadRequest): Promise<void> {
  const started = performance.now();
  const bytes = new Uint8Array(req.bytes);
  const path = place(req.name, bytes);
  try {
    let format = req.format;
    if (format === AUTO) format = CANONICAL_EXTENSIONS.test(req.name) ? CANONICAL_CHOICE : ((await detectFormat(path)) ?? CANONICAL_CHOICE);
    if (format === CANONICAL_CHOICE) {
      post({ type: 'progress', bytes: 0, total: bytes.length, records: 0 });
      const result = validateCanonicalBytes(bytes, req.name);
      const records = result.valid ? canonicalRecords(bytes) : [];
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
        post({ type: 'progress', bytes: decoding.progress.bytes, total: decoding.progress.total || bytes.length, records: records.length });
      }
    }
    // as `jiexu validate --format`: every issue names the file; documents are the records read
    const issues = decoding.report.issues.map((i) => ({ ...i, location: { ...i.location, file: req.name } }));
    const final = issues;
    const result: FileResult = { file: req.name, documents: records.length, valid: !final.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues: final };
    const jsonl = new Blob(records.map((r) => `${JSON.stringify(r)}\n`), { type: 'application/x-ndjson' });
    post({ type: 'done', format, result, figures: figuresOf(records), records: records.length, jsonl, millis: performance.now() - started });
  } catch (err) {
    const e = err as Error & { zh?: string };
    post({ type: 'failed', message: err instanceof AdapterError ? { zh: e.zh ?? e.message, en: e.message } : { zh: `读取失败：${e.message}`, en: `reading failed: ${e.message}` } });
  } finally {
    vol.rmSync(path.slice(0, path.lastIndexOf('/')), { recursive: true, force: true });
  }
}

self.addEventListener('message', (ev: MessageEvent<ReadRequest>) => {
  if (ev.data?.type === 'read') void read(ev.data);
});
start().catch((err: Error) => post({ type: 'failed', message: { zh: `验证器无法启动：${err.message}`, en: `the validator could not start: ${err.message}` } }));
