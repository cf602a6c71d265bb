/**
 * The gate on the valid path, in its own process: `validateRecord` over the records of
 * bench/gate-records.ts, `PASSES` passes after a warm-up; prints the least and the median pass
 * in CPU seconds per 1M contribution rows. The standard's entry module is an argument, so the
 * same records can be checked by two trees in interleaved runs:
 * `tsx --conditions=@jiexu/source bench/gate-run.ts <records.jsonl> [path/to/standard/src/index.ts]`.
 * Given an export instead (`GATE_FORMAT=ln-jb … gate-run.ts <file.txt> …`), the records are the
 * reader's own objects, read in this process (their strings slices of the decoded text, as the gate
 * meets them in a run).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [file, entry] = process.argv.slice(2);
const PASSES = Number(process.env.GATE_PASSES ?? 7);
const standard = (await import(entry ? pathToFileURL(resolve(entry)).href : '@jiexu/standard')) as typeof import('@jiexu/standard');
const records: Array<{ contributions: unknown[] }> = [];
if (process.env.GATE_FORMAT) {
  const { decode } = await import('../src/index.ts');
  const d = decode(process.env.GATE_FORMAT, file!);
  for await (const batch of d.batches()) records.push(...batch);
} else for (const l of readFileSync(file!, 'utf8').split('\n')) if (l) records.push(JSON.parse(l) as { contributions: unknown[] });
const rows = records.reduce((n, r) => n + r.contributions.length, 0);
const pass = (): number => {
  const u0 = process.cpuUsage();
  for (const r of records) if (!standard.validateRecord(r).valid) throw new Error('bench record refused');
  const u = process.cpuUsage(u0);
  return (u.user + u.system) / 1e6;
};
pass(); // warm up (JIT)
const perMillion = Array.from({ length: PASSES }, pass).map((s) => (s / rows) * 1e6).sort((a, b) => a - b);
console.log(JSON.stringify({ records: records.length, rows, least: perMillion[0], median: perMillion[Math.floor(PASSES / 2)] }));
