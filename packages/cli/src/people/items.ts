/**
 * The records of every input as "person items": the person id, the record as
 * one canonical JSON line, and where it came from. Canonical JSONL (files or
 * `-` for stdin) is not parsed here: the id is read from the line's `person`
 * object (the record is parsed, validated and checked against that id where it
 * is used, maybe in a worker thread). Legacy exports are decoded by
 * @jiexu/adapters (rows of a person grouped within the file, whatever their
 * order) and each record written as its canonical line.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AdapterError, CANONICAL, decode, detectFormat, type Limits } from '@jiexu/adapters';
import { formatIssue, jsonParseMessage, type Issue } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { foreign, unreadable } from '../file-errors.ts';
import type { Lang } from '../lang.ts';

export interface PersonItem {
  /** the record's person.id, as read from the line */
  id: string;
  /** the record as one line of canonical JSON */
  text: string;
  /** index of the input file in the command's list */
  src: number;
  /** the item's place in the whole input (ties within a person keep input order) */
  seq: number;
  /** line in a JSONL input (0 for a decoded legacy record) */
  line: number;
  /** decoded and validated by the adapters already */
  trusted: boolean;
}

export interface ReadStats {
  /** records read (valid or not) */
  records: number;
  /** records or files that could not be used */
  invalid: number;
  /** indexes of input files whose reading had errors (their people's history may be incomplete) */
  filesWithErrors: Set<number>;
}

export const newReadStats = (): ReadStats => ({ records: 0, invalid: 0, filesWithErrors: new Set() });

export interface ReadOptions {
  format?: string;
  limits?: Partial<Limits>;
  lang: Lang;
}

/** `"person": { … "id": "…"` of a canonical line (records are flat there: name, gender, birthDate, hukouRegion). */
const PERSON_ID = /"person"\s*:\s*\{[^{}]*?"id"\s*:\s*"((?:[^"\\]|\\.)*)"/;

/** The person id a canonical line names, or undefined. */
export function personIdOf(text: string): string | undefined {
  const m = PERSON_ID.exec(text);
  if (m) return m[1].includes('\\') ? (JSON.parse(`"${m[1]}"`) as string) : m[1];
  return undefined;
}

/** Writes an issue of an input to stderr. */
export function report(issue: Issue, lang: Lang): void {
  process.stderr.write(`${formatIssue(issue, lang)}\n`);
}

function notJson(file: string, line: number, e: unknown): Issue {
  return { severity: 'error', code: 'canonical-json-invalid', message: { zh: `不是合法的 JSON：${jsonParseMessage(e).zh}`, en: `not JSON: ${(e as Error).message}` }, location: { file, line } };
}

async function* canonicalLines(file: string, src: number, stats: ReadStats, seq: { n: number }, lang: Lang): AsyncGenerator<PersonItem> {
  const input = file === '-' ? process.stdin : createReadStream(file);
  let failure: NodeJS.ErrnoException | undefined;
  input.on('error', (e: NodeJS.ErrnoException) => (failure = e));
  const rl = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (let text of rl) {
      line += 1;
      if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (text.trim() === '') continue;
      stats.records += 1;
      let id = personIdOf(text);
      if (id === undefined) {
        // no flat person object: parse the line to tell why (or to find the id after all)
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch (e) {
          report(notJson(file, line, e), lang);
          stats.invalid += 1;
          stats.filesWithErrors.add(src);
          continue;
        }
        const pid = (value as { person?: { id?: unknown } } | null)?.person?.id;
        id = typeof pid === 'string' ? pid : '';
      }
      yield { id, text, src, seq: seq.n++, line, trusted: false };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) throw unreadable(file, err);
    throw err;
  }
  if (failure) throw unreadable(file, failure);
}

async function* legacyRecords(file: string, src: number, opts: ReadOptions, stats: ReadStats, seq: { n: number }, fmt: string): AsyncGenerator<PersonItem> {
  let d;
  try {
    d = decode(fmt, file, opts.limits ? { limits: opts.limits } : {});
  } catch (err) {
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage, file);
    throw err;
  }
  try {
    for await (const batch of d.batches()) {
      for (const r of batch) {
        stats.records += 1;
        yield { id: r.person.id, text: JSON.stringify(r), src, seq: seq.n++, line: 0, trusted: true };
      }
    }
  } catch (err) {
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage, file);
    if ((err as NodeJS.ErrnoException)?.code) throw unreadable(file, err);
    throw err;
  }
  for (const i of d.report.issues) report({ ...i, location: { file, ...i.location } }, opts.lang);
  if (!d.report.valid) {
    stats.invalid += 1;
    stats.filesWithErrors.add(src);
  }
}

/** Every record of every input, in input order. */
export async function* personItems(files: string[], opts: ReadOptions, stats: ReadStats): AsyncGenerator<PersonItem> {
  const seq = { n: 0 };
  for (let src = 0; src < files.length; src++) {
    const file = files[src];
    if (file === '-') {
      yield* canonicalLines(file, src, stats, seq, opts.lang);
      continue;
    }
    let fmt = opts.format;
    try {
      fmt ??= await detectFormat(file);
    } catch (err) {
      throw unreadable(file, err);
    }
    if (!fmt) throw new CliError({ zh: `${file}：无法识别其格式，请用 --format 指定`, en: `${file}: cannot tell the format; give --format` }, EXIT.usage);
    if (fmt === CANONICAL) yield* canonicalLines(file, src, stats, seq, opts.lang);
    else yield* legacyRecords(file, src, opts, stats, seq, fmt);
  }
}
