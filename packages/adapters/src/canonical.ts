/** Canonical records as JSON Lines: one ContributionRecord per line, UTF-8. */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
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
    const r = value as ContributionRecord;
    if (!r || typeof r !== 'object' || r.kind !== 'contribution-record' || !r.person || !Array.isArray(r.contributions)) {
      issues.error('canonical-record-invalid', 'not a contribution record (kind, person and contributions required)', '不是缴费记录（需要 kind、person 和 contributions）', { line: n });
      continue;
    }
    batch.push(r);
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
