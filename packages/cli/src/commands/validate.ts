/**
 * `jiexu validate <file>...`: checks canonical documents of the standard —
 * JSON (one document) or JSON Lines (one document per line) — recognising each
 * document's kind (envelope `type`, record `kind` + `version`; `--schema`
 * overrides). One line per issue for people, `--json` for machines.
 * Exit 0 valid, 1 any error (warnings too with --strict), 2 usage or I/O error.
 *
 * `-` reads standard input. Legacy files (`--format <name>`) are handed to
 * `validateLegacyFile` of ./validate-legacy.ts, which the adapters provide; the
 * canonical path is `validateCanonicalFile`, exported for them and for tests.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { withMaskOption } from '../mask-option.ts';
import { checkJsonLine, formatIssue, listSchemas, noDocumentIssue, schemaFor, stripBom, validateCanonicalBytes, type CanonicalFileOptions, type FileResult, type Issue } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { unreadable } from '../file-errors.ts';
import { plural, say, type Lang, type Text } from '../lang.ts';
import { withFormatDirs } from '../format-dirs.ts';
import { addLimitOptions, limitsFrom } from './limits.ts';
import type { Limits } from '@jiexu/adapters';

const T = {
  description: { zh: '按接续标准校验标准 JSON 或 JSON Lines 文档（缴费记录、带报文体的信封）；`-` 表示从标准输入读取', en: 'check canonical JSON or JSON Lines documents (records, envelopes with their bodies) against the jiexu standard; `-` reads stdin' },
  files: { zh: '要校验的文件（JSON，或每行一个文档的 JSON Lines）', en: 'files to check (JSON, or JSON Lines: one document per line)' },
  schema: { zh: '按此模式校验，不再逐个识别文档类型（模式名、kind、报文类型或 $id）', en: 'validate against this schema instead of recognising each document (name, kind, message type or $id)' },
  format: { zh: '这些文件是该格式的旧系统导出文件（见 `jiexu formats`），由适配器读取', en: 'the files are legacy exports in this format (see `jiexu formats`), read by the adapters' },
  jsonl: { zh: '所有文件都按 JSON Lines 读取', en: 'read every file as JSON Lines' },
  strict: { zh: '警告也算作错误', en: 'count warnings as errors' },
  json: { zh: '输出机器可读的 JSON 报告', en: 'machine-readable report' },
  formatAndSchema: { zh: '--format 与 --schema 不能同时使用', en: '--format and --schema cannot be combined' },
  stdinOnce: { zh: '标准输入（-）只能读取一次', en: 'standard input (-) can be read only once' },
  noLegacy: { zh: '--format：此版本不提供旧系统文件校验', en: '--format: validating legacy files is not available in this build' },
} satisfies Record<string, Text>;

export type ValidateFileOptions = CanonicalFileOptions;
export type { FileResult };

/** What a `--format` (legacy file) validator provides: see ./validate-legacy.ts. */
export type LegacyFileValidator = (file: string, opts: { format: string; strict: boolean; limits?: Partial<Limits> }) => Promise<FileResult>;

/**
 * Validates one canonical JSON or JSONL file (`-` = stdin). I/O problems throw CliError (exit 2).
 * A .jsonl/.ndjson file is streamed line by line; any other is read whole (validateCanonicalBytes, which the browser validator runs too).
 */
export async function validateCanonicalFile(file: string, opts: ValidateFileOptions = {}): Promise<FileResult> {
  const byExtension = /\.(jsonl|ndjson)$/i.test(file);
  if (!opts.jsonl && !byExtension) return validateCanonicalBytes(await readAll(file), file, opts);
  const issues: Issue[] = [];
  let documents = 0;
  await eachLine(file, (line, n) => {
    if (line.trim() === '') return;
    documents++;
    issues.push(...checkJsonLine(line, n, documents, file, opts));
  });
  if (documents === 0) issues.push(noDocumentIssue(file));
  return { file, documents, valid: !issues.some((i) => i.severity === 'error' || i.severity === 'fatal'), issues };
}

export function register(program: Command, lang: Lang): void {
  withMaskOption(addLimitOptions(withFormatDirs(program.command('validate'), lang), lang), lang)
    .description(say(T.description, lang))
    .argument('<files...>', say(T.files, lang))
    .option('--schema <name>', say(T.schema, lang))
    .option('--format <format>', say(T.format, lang))
    .option('--jsonl', say(T.jsonl, lang))
    .option('--strict', say(T.strict, lang))
    .option('--json', say(T.json, lang))
    .action(async (files: string[], opts: { schema?: string; format?: string; jsonl?: boolean; strict?: boolean; json?: boolean }) => {
      if (opts.schema !== undefined && !schemaFor(opts.schema)) {
        const names = [...new Set(listSchemas().map((s) => s.name))].join(', ');
        throw new CliError({ zh: `未知模式 "${opts.schema}"；已知模式：${names}`, en: `unknown schema "${opts.schema}"; known: ${names}` }, EXIT.usage);
      }
      if (opts.format !== undefined && opts.schema !== undefined) throw new CliError(T.formatAndSchema, EXIT.usage);
      if (files.filter((f) => f === '-').length > 1) throw new CliError(T.stdinOnce, EXIT.usage);
      const legacy = opts.format !== undefined ? await loadLegacyValidator() : undefined;

      const results: FileResult[] = [];
      const ioErrors: CliError[] = [];
      for (const file of files) {
        try {
          if (legacy) results.push(await legacy(file, { format: opts.format!, strict: Boolean(opts.strict), limits: limitsFrom(opts) }));
          else results.push(await validateCanonicalFile(file, { schema: opts.schema, strict: opts.strict, jsonl: opts.jsonl }));
        } catch (err) {
          if (!(err instanceof CliError)) throw err;
          ioErrors.push(err);
        }
      }

      if (opts.json) {
        const report = { valid: results.every((r) => r.valid) && ioErrors.length === 0, strict: Boolean(opts.strict), files: results, unreadable: ioErrors.map((e) => e.say(lang)) };
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      } else {
        for (const r of results) {
          for (const issue of r.issues) process.stdout.write(`${formatIssue(issue, lang)}\n`);
          process.stdout.write(`${summary(r, lang)}\n`);
        }
      }
      for (const err of ioErrors) process.stderr.write(`jiexu: ${err.say(lang)}\n`);
      process.exitCode = ioErrors.length ? EXIT.usage : results.every((r) => r.valid) ? EXIT.ok : EXIT.invalid;
    });
}

function summary(r: FileResult, lang: Lang): string {
  const errors = r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').length;
  const warnings = r.issues.filter((i) => i.severity === 'warning').length;
  return say({
    zh: `${r.file}：${r.documents} 个文档，${errors} 个错误，${warnings} 个警告${r.valid ? '，通过' : '，未通过'}`,
    en: `${r.file}: ${plural(r.documents, 'document')}, ${plural(errors, 'error')}, ${plural(warnings, 'warning')}${r.valid ? ': valid' : ': invalid'}`,
  }, lang);
}

/** The adapters' legacy-file validator, when that module exists. */
async function loadLegacyValidator(): Promise<LegacyFileValidator> {
  const spec = './validate-legacy.ts';
  try {
    const mod = (await import(spec)) as { validateLegacyFile?: LegacyFileValidator };
    if (typeof mod.validateLegacyFile === 'function') return mod.validateLegacyFile;
  } catch (err) {
    if ((err as NodeJS.ErrnoException)?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  }
  throw new CliError(T.noLegacy, EXIT.usage);
}

// ---------------------------------------------------------------- reading

const ioError = unreadable;

async function readAll(file: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    if (file !== '-' && (await stat(file)).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    const stream = file === '-' ? process.stdin : createReadStream(file);
    for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  } catch (err) {
    throw ioError(file, err);
  }
  return Buffer.concat(chunks);
}

/** Calls `fn` for every line (1-based numbers), streaming: memory does not grow with the file. */
async function eachLine(file: string, fn: (line: string, n: number) => void): Promise<void> {
  try {
    if (file !== '-' && (await stat(file)).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    const input = file === '-' ? process.stdin : createReadStream(file, { encoding: 'utf8' });
    const lines = createInterface({ input, crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      fn(n === 1 ? stripBom(line) : line, n);
    }
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw ioError(file, err);
  }
}
