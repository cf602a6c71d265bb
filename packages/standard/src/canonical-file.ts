/**
 * Checking a canonical file's text — one JSON document, or JSON Lines (one document per line) —
 * the way `jiexu validate` does: every document's issues placed at their line and column (the
 * JSONL line, the line of each pointer), a text that is not one JSON document but whose lines are
 * read as JSON Lines. Pure (no file system): the CLI reads the file, the console's validator
 * reads it in the browser, both get the same result.
 */
import { pointerLocator } from './json-positions.ts';
import { strictly, type Issue } from './report.ts';
import { validateJsonText } from './validate.ts';

export interface CanonicalFileOptions {
  /** A schema name, kind, message type or $id; default: recognise each document. */
  schema?: string;
  /** Warnings count as errors. */
  strict?: boolean;
  /** Read as JSON Lines whatever the text looks like. */
  jsonl?: boolean;
}

/** The result for one input file: the shape of `files[]` in `jiexu validate --json` output. */
export interface FileResult {
  file: string;
  documents: number;
  valid: boolean;
  issues: Issue[];
}

/** A document's issues with where they are in the file: the file, the JSONL line and record, the line and column of each pointer. */
export function placeIssues(found: Issue[], text: string, firstLine: number, file: string, opts: { strict?: boolean; record?: number } = {}): Issue[] {
  const locate = pointerLocator(text);
  return (opts.strict ? strictly(found) : found).map((i) => {
    const at = i.location?.line !== undefined ? { line: i.location.line, column: i.location.column } : i.pointer !== undefined ? locate(i.pointer) : undefined;
    const location: Issue['location'] = { file };
    if (at) {
      location.line = firstLine + at.line - 1;
      if (at.column !== undefined) location.column = at.column;
    } else if (opts.record !== undefined) location.line = firstLine;
    if (opts.record !== undefined) location.record = opts.record;
    return { ...i, location };
  });
}

/** One line of a JSON Lines file (1-based `n`, `record` the document's number): its issues, placed. */
export function checkJsonLine(line: string, n: number, record: number, file: string, opts: CanonicalFileOptions = {}): Issue[] {
  return placeIssues(validateJsonText(line, { schema: opts.schema }).issues, line, n, file, { strict: opts.strict, record });
}

/** The fatal issue of a file that holds no document. */
export function noDocumentIssue(file: string): Issue {
  return { severity: 'fatal', code: 'json-syntax', message: { zh: '文件中没有任何文档', en: 'the file holds no document' }, location: { file } };
}

/** The result of bytes that are not UTF-8. */
export function notUtf8Result(file: string): FileResult {
  const message = { zh: '不是 UTF-8 文本：标准文档须为 UTF-8 编码的 JSON（旧系统导出文件请用 --format）', en: 'not UTF-8 text: canonical documents are UTF-8 JSON (for a legacy export use --format)' };
  return { file, documents: 0, valid: false, issues: [{ severity: 'fatal', code: 'json-syntax', message, location: { file } }] };
}

export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Checks a whole canonical file's bytes (UTF-8): one JSON document or JSON Lines. */
export function validateCanonicalBytes(bytes: Uint8Array, file: string, opts: CanonicalFileOptions = {}): FileResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return notUtf8Result(file);
  }
  return validateCanonicalText(text, file, opts);
}

/** Checks a whole canonical file's text: one JSON document or JSON Lines (forced by `jsonl`, or when the text is not one document but its lines are). */
export function validateCanonicalText(whole: string, file: string, opts: CanonicalFileOptions = {}): FileResult {
  const text = stripBom(whole);
  const issues: Issue[] = [];
  let documents = 0;
  const lines = text.split('\n');
  const asLines = () =>
    lines.forEach((raw, index) => {
      const line = raw.replace(/\r$/, '');
      if (line.trim() === '') return;
      documents++;
      issues.push(...checkJsonLine(line, index + 1, documents, file, opts));
    });
  if (opts.jsonl) asLines();
  else {
    const one = validateJsonText(text, { schema: opts.schema });
    const nonEmpty = lines.filter((l) => l.trim() !== '');
    const looksLikeJsonl = one.issues.some((i) => i.code === 'json-syntax') && nonEmpty.length > 1 && validateJsonText(nonEmpty[0]!).issues.every((i) => i.code !== 'json-syntax');
    if (looksLikeJsonl) asLines();
    else {
      documents = 1;
      issues.push(...placeIssues(one.issues, text, 1, file, { strict: opts.strict }));
    }
  }
  if (documents === 0) issues.push(noDocumentIssue(file));
  return { file, documents, valid: !issues.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues };
}
