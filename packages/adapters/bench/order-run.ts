/**
 * One measured run of bench/order.bench.ts, in its own process: prints {ms, cpu, rss, n} (rss = peak resident set, MB).
 * Mode `hash` (not timed) prints {n, hash, full}: `hash` the SHA-256 of every record's JSON without its positions
 * (`at`: the line numbers differ between the two files; the file name is given as one) and of the issues' codes, so the bench can show that both
 * orders give exactly the same records; `full` of the records and issues as they are, positions included (to
 * compare one file's output between two versions of the code).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { decode } from '../src/index.ts';

const [mode, format, file] = process.argv.slice(2);
const started = performance.now();
const cpuStart = process.cpuUsage();
let n = 0;
if (mode === 'baseline') {
  // least work over the same bytes: read them and count the line feeds
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) n++;
  }
} else if (mode === 'hash') {
  const d = decode(format, file, { fileName: 'order-bench' }); // the two files' names differ; provenance.file is hashed

  const h = createHash('sha256');
  const full = createHash('sha256');
  const noAt = (k: string, v: unknown): unknown => (k === 'at' ? undefined : v);
  for await (const batch of d.batches()) {
    n += batch.length;
    for (const r of batch) {
      h.update(JSON.stringify(r, noAt)).update('\n');
      full.update(JSON.stringify(r)).update('\n');
    }
  }
  h.update(JSON.stringify(d.report.issues.map((i) => i.code)));
  full.update(JSON.stringify(d.report.issues));
  console.log(JSON.stringify({ n, hash: h.digest('hex'), full: full.digest('hex'), valid: d.report.valid }));
  process.exit(0);
} else {
  const d = decode(format, file);
  for await (const batch of d.batches()) n += batch.length;
  if (!d.report.valid) throw new Error(`${file}: ${JSON.stringify(d.report.issues.slice(0, 3))}`);
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ ms, cpu: (cpu.user + cpu.system) / 1000, rss: process.resourceUsage().maxRSS / 1024, n }));
