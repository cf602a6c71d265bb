/** One measured run of bench/order.bench.ts, in its own process: prints {ms, cpu, rss, n} (rss = peak resident set, MB). */
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
} else {
  const d = decode(format, file);
  for await (const batch of d.batches()) n += batch.length;
  if (!d.report.valid) throw new Error(`${file}: ${JSON.stringify(d.report.issues.slice(0, 3))}`);
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ ms, cpu: (cpu.user + cpu.system) / 1000, rss: process.resourceUsage().maxRSS / 1024, n }));
