/** Canonical records as JSON Lines: one ContributionRecord per line, UTF-8, each checked against the schema as it is read. */
import { TextDecoder } from 'node:util';
import type { Writable } from 'node:stream';
import { jsonParseMessage, validateRecord, type IssueCode } from '@jiexu/standard';
import type { Issues } from './issues.ts';
import type { ContributionRecord } from './record.ts';
import { Sink, lineBatches } from './framing/common.ts';

/** A record holds at most 1200 months: a line far longer is not one. */
const MAX_LINE = 16 << 20;

/** One line's record, or undefined when it is empty or not a valid record (then reported). */
function recordOf(bytes: Buffer, n: number, issues: Issues): ContributionRecord | undefined {
  let line: string;
  try {
    line = utf8.decode(bytes);
  } catch {
    issues.error('legacy-encoding', 'the line is not UTF-8', '该行不是 UTF-8', { line: n });
    return undefined;
  }
  if (n === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    issues.error('canonical-json-invalid', `not JSON: ${(e as Error).message}`, `不是合法的 JSON：${jsonParseMessage(e).zh}`, { line: n });
    return undefined;
  }
  const check = validateRecord(value);
  // the standard's validator builds every issue with one of its ISSUE_CODES (Report.code is typed string)
  for (const i of check.issues) issues.add(i.severity, i.code as IssueCode, i.message.en, i.message.zh, { line: n }, { pointer: i.pointer, value: i.value });
  return check.valid ? (value as ContributionRecord) : undefined; // when invalid: reported above, with the line and the pointer
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function* readCanonical(path: string, issues: Issues, progress?: { bytes: number }): AsyncGenerator<ContributionRecord[]> {
  const tooLong = (line: number) =>
    issues.add('fatal', 'legacy-field-too-large', `line ${line} is longer than ${MAX_LINE} bytes`, `第 ${line} 行超过 ${MAX_LINE} 字节`, { line });
  for await (const lines of lineBatches(path, MAX_LINE, tooLong, progress)) {
    const batch: ContributionRecord[] = [];
    for (let k = 0; k < lines.starts.length; k++) {
      const r = recordOf(lines.buf.subarray(lines.starts[k], lines.starts[k] + lines.lengths[k]), lines.firstLine + k, issues);
      if (r) batch.push(r);
    }
    if (batch.length) yield batch;
  }
}

export async function writeCanonical(records: AsyncIterable<ContributionRecord>, out: Writable): Promise<void> {
  const sink = new Sink(out);
  for await (const r of records) await sink.write(`${JSON.stringify(r)}\n`);
  await sink.flush();
}
