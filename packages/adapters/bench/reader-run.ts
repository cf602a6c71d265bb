/** One measured run of bench/readers.bench.ts, in its own process (so the peak RSS is the run's own): prints {ms, cpu, rss, n} (cpu: user + system milliseconds of the run, steadier than wall time on a shared machine). */
import { decode } from '../src/index.ts';
import { BASELINES } from './readers/baselines.ts';

const [mode, format, file] = process.argv.slice(2);
const started = performance.now();
const cpuStart = process.cpuUsage();
let n = 0;
if (mode === 'baseline') {
  n = await BASELINES[format].run(file);
} else {
  const d = decode(format, file);
  for await (const batch of d.batches()) for (const r of batch) n += r.contributions.length;
  if (!d.report.valid) throw new Error(`${file}: ${JSON.stringify(d.report.issues.slice(0, 3))}`);
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ ms, cpu: (cpu.user + cpu.system) / 1000, rss: process.resourceUsage().maxRSS / 1024, n }));
