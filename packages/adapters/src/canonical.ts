/** Canonical records as JSON Lines: one ContributionRecord per line, UTF-8, each checked against the schema as it is read. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import { validateRecord } from '@jiexu/standard';
import type { Issues } from './issues.ts';
import type { ContributionRecord } from './record.ts';
import { Sink } from './framing/common.ts';

const MAX_LINE = 16 << 20;

export async function* readCanonical(path: string, issues: Issues): AsyncGenerator<ContributionRecord[]> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let n = 0;
  let batch: ContributionRecord[] = [];
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    if (line.length > MAX_LINE) {
      issues.error('legacy-field-too-large', `line is ${line.length} characters long`, `该行过长（${line.length} 个字符）`, { line: n });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      issues.error('canonical-json-invalid', `not JSON: ${(e as Error).message}`, `不是合法的 JSON：${(e as Error).message}`, { line: n });
      continue;
    }
    const check = validateRecord(value);
    for (const i of check.issues) issues.add(i.severity, i.code, i.message.en, i.message.zh, { line: n }, { pointer: i.pointer, value: i.value });
    if (!check.valid) continue; // reported above, with the line and the pointer
    batch.push(value as ContributionRecord);
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

export async function writeCanonical(records: AsyncIterable<ContributionRecord>, out: Writable): Promise<void> {
  const sink = new Sink(out);
  for await (const r of records) await sink.write(`${JSON.stringify(r)}\n`);
  await sink.flush();
}
