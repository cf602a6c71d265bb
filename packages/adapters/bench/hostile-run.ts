/**
 * One measured run of bench/hostile.bench.ts, in its own process (so its peak
 * RSS is its own). Prints {ms, cpu, rss, fatal, records}: ms and cpu from the
 * start of the work (modules already loaded) to its end, rss the process's
 * peak, fatal the codes of the fatal issues (the refusal).
 *
 *   reader <format> <file>   decode the file as the CLI does, to its refusal
 *   zip-directory <file>     least work for an xlsx: open the zip, list its directory (no entry inflated)
 *   saxes <file>             least work for XML: decode UTF-8, saxes over every byte, no check
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';

const [mode, a, b] = process.argv.slice(2);

// loaded only for the reader, so the baselines' RSS holds none of it; before the clock starts (start-up is not the reader's work)
const { decode } = mode === 'reader' ? await import('../src/index.ts') : { decode: undefined };

async function reader(format: string, file: string): Promise<{ fatal: string[]; records: number }> {
  const d = decode!(format, file);
  let records = 0;
  for await (const batch of d.batches()) records += batch.length;
  return { fatal: d.report.issues.filter((i) => i.severity === 'fatal').map((i) => i.code), records };
}

function zipDirectory(file: string): Promise<{ fatal: string[]; records: number }> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: true }, (err, zip) => {
      if (err) return reject(err);
      let entries = 0;
      let declared = 0;
      zip.on('entry', (e: yauzl.Entry) => {
        entries++;
        declared += e.uncompressedSize;
        zip.readEntry();
      });
      zip.on('end', () => resolve({ fatal: [], records: declared > 0 ? entries : 0 }));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function saxes(file: string): Promise<{ fatal: string[]; records: number }> {
  const dec = new TextDecoder('utf-8');
  const parser = new SaxesParser();
  let elements = 0;
  parser.on('opentag', () => elements++);
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) parser.write(dec.decode(chunk, { stream: true }));
  parser.close();
  return { fatal: [], records: elements };
}

const started = performance.now();
const cpuStart = process.cpuUsage();
const out = mode === 'reader' ? await reader(a, b) : mode === 'zip-directory' ? await zipDirectory(a) : mode === 'saxes' ? await saxes(a) : undefined;
if (!out) throw new Error(`unknown mode ${mode}`);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
console.log(JSON.stringify({ ms, cpu: (cpu.user + cpu.system) / 1000, rss: process.resourceUsage().maxRSS / 1024, ...out }));
