/**
 * The texts of a file the CLI cannot read or write, shared by every command
 * (exit 2: a usage or I/O problem, not invalid input).
 */
import { readFile } from 'node:fs/promises';
import { jsonParseMessage } from '@jiexu/standard';
import { CliError, EXIT } from './errors.ts';
import type { Text } from './lang.ts';

/** Why a file cannot be read, from the system's error code. */
export function whyUnreadable(err: unknown): Text {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return { zh: '文件不存在', en: 'no such file' };
    case 'EISDIR':
      return { zh: '是目录，不是文件', en: 'is a directory' };
    case 'EACCES':
    case 'EPERM':
      return { zh: '没有读取权限', en: 'permission denied' };
    default:
      return e?.code ? { zh: `无法读取（${e.code}）`, en: `cannot read (${e.code})` } : { zh: `无法读取：${String(e?.message ?? err)}`, en: `cannot read: ${String(e?.message ?? err)}` };
  }
}

/** `file: why` as a CliError (exit 2). */
export function unreadable(file: string, err: unknown): CliError {
  const why = whyUnreadable(err);
  return new CliError({ zh: `${file}：${why.zh}`, en: `${file}: ${why.en}` }, EXIT.usage);
}

export function noSuchFile(file: string): CliError {
  return new CliError({ zh: `${file}：文件不存在`, en: `${file}: no such file` }, EXIT.usage);
}

export function noSuchFileOrFolder(file: string): CliError {
  return new CliError({ zh: `${file}：文件或文件夹不存在`, en: `${file}: no such file or folder` }, EXIT.usage);
}

/** A path that is neither a file nor a folder (a folder is a multi-part export). */
export function notAFileOrFolder(file: string): CliError {
  return new CliError({ zh: `${file}：既不是文件也不是文件夹`, en: `${file}: not a file or folder` }, EXIT.usage);
}

export function notAFile(file: string): CliError {
  return new CliError({ zh: `${file}：不是普通文件`, en: `${file}: not a file` }, EXIT.usage);
}

/** `cannot write <target>: <code>` (exit 2). */
export function unwritable(target: string, err: unknown): CliError {
  const e = err as NodeJS.ErrnoException;
  const why = e?.code ?? e?.message ?? String(err);
  return new CliError({ zh: `无法写入 ${target}：${why}`, en: `cannot write ${target}: ${why}` }, EXIT.usage);
}

/**
 * An error of another package (the adapters, the platform, the rules, the
 * versioning), whose `message` is English and whose `zh`, when it has one, is
 * the same in Chinese; prefixed with the file when there is one.
 */
export function foreign(err: { message: string; zh?: string }, exitCode: 1 | 2, file?: string): CliError {
  const zh = err.zh ?? err.message;
  return new CliError({ zh: file ? `${file}：${zh}` : zh, en: file ? `${file}: ${err.message}` : err.message }, exitCode);
}

/** "L:C" and the reason for a JSON.parse error (V8 reports a character position). */
function jsonErrorPosition(text: string, err: Error): { where: string; why: string } {
  const m = /position (\d+)/.exec(err.message);
  if (!m) return { where: '', why: err.message };
  const pos = Number(m[1]);
  const before = text.slice(0, pos).split('\n');
  return { where: `${before.length}:${before[before.length - 1].length + 1}`, why: err.message.replace(/ in JSON at position \d+.*$/, '') };
}

/**
 * The JSON value of a file: unreadable is a usage or I/O error (exit 2), text
 * that is not JSON is refused naming its line:column (exit `notJson`, 1 unless
 * the file is an option's, which callers may treat as a usage error).
 */
export async function readJsonFile(file: string, notJson: 1 | 2 = EXIT.invalid): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw unreadable(file, err);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const at = jsonErrorPosition(text, err as Error);
    throw new CliError({ zh: `${file}${at.where ? `:${at.where}` : ''}：不是 JSON：${jsonParseMessage(err).zh}`, en: `${file}: ${at.where ? `${at.where}: ` : ''}not JSON: ${at.why}` }, notJson);
  }
}
