/**
 * jx-fixed decode throughput and memory. Generates 1,000,000 `D` records (plus
 * account records, header and trailer) into a temporary file, then in the same
 * run: a baseline that only splits the records, decodes the name from GB18030
 * and slices the fixed fields; and the adapter decoding to canonical JSONL
 * written to /dev/null. Prints records/s, the ratio to the baseline and the
 * peak resident set size. Goal: ≤ 2× the baseline's time, peak RSS < 256 MB.
 *
 *   pnpm --filter @jiexu/adapters bench            (JIEXU_BENCH_RECORDS to change the size)
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } from '@jiexu/standard';
import { decode } from '../src/index.ts';

const RECORDS = Number(process.env.JIEXU_BENCH_RECORDS ?? 1_000_000);
const MONTHS_PER_PERSON = 120; // one scheme run of ten years per person and scheme
const SCHEMES = ['01', '02', '03', '04', '05'];
const NAMES = ['郝𠮷萍', '王小明', '欧阳娜娜', '李', '张伟', '陈·思远'];

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);
sampler.unref();

function pad(n: number | string, w: number): string {
  return String(n).padStart(w, '0');
}

async function generate(path: string): Promise<number> {
  const out = createWriteStream(path);
  const lineOf = (text: string): Buffer => {
    const b = Buffer.alloc(122, 0x20);
    iconv.encode(text, 'gb18030').copy(b, 0);
    b[120] = 13;
    b[121] = 10;
    return b;
  };
  const write = async (b: Buffer) => {
    if (!out.write(b)) await once(out, 'drain');
  };
  await write(lineOf('H36010020260301V3.2'));
  let d = 0;
  let a = 0;
  let employerSum = 0;
  let individualSum = 0;
  const accounts: Buffer[] = [];
  let chunk: Buffer[] = [];
  for (let p = 0; d < RECORDS; p++) {
    const first17 = `360124${1960 + (Math.floor(p / 1000) % 40)}0101${pad(p % 1000, 3)}`;
    const id = first17 + citizenIdCheckChar(first17);
    const name = NAMES[p % NAMES.length];
    const nameBytes = iconv.encode(name, 'gb18030');
    const namePadded = Buffer.alloc(20, 0x20);
    nameBytes.copy(namePadded);
    const org8 = pad(p % 100_000_000, 8);
    const uscc17 = `91360100${org8}${organizationCodeCheckChar(org8)}`;
    const uscc = uscc17 + usccCheckChar(uscc17);
    const gender = Number(id[16]) % 2 === 1 ? '1' : '2';
    for (const scheme of SCHEMES) {
      for (let m = 0; m < MONTHS_PER_PERSON && d < RECORDS; m++, d++) {
        const year = 2010 + Math.floor(m / 12);
        const month = pad((m % 12) + 1, 2);
        const status = m % 37 === 0 ? '3' : m % 11 === 0 ? '2' : '1';
        const employer = 116000 + (p % 100);
        const individual = 46400;
        employerSum += employer;
        individualSum += individual;
        const b = Buffer.alloc(122, 0x20);
        b.write(`D${id}`, 0, 'latin1');
        namePadded.copy(b, 19);
        b.write(`${gender}360100${scheme}${year}${month}${pad(580000, 10)}${pad(employer, 10)}${pad(individual, 10)}${status}${uscc}`, 39, 'latin1');
        b[120] = 13;
        b[121] = 10;
        chunk.push(b);
        if (chunk.length === 4096) {
          await write(Buffer.concat(chunk));
          chunk = [];
        }
      }
      if (scheme === '01') {
        for (let y = 0; y < 10; y++, a++) accounts.push(lineOf(`A${id}${2010 + y}${pad(556800, 12)}${pad(1234, 12)}${pad(556800 * (y + 1), 14)}`));
      }
    }
  }
  if (chunk.length) await write(Buffer.concat(chunk));
  for (let i = 0; i < accounts.length; i += 4096) await write(Buffer.concat(accounts.slice(i, i + 4096)));
  await write(lineOf(`T${pad(d, 10)}${pad(a, 10)}${pad(employerSum, 15)}${pad(individualSum, 15)}`));
  out.end();
  await finished(out);
  return d;
}

/** The least a reader must do: split records, decode the name from GB18030, slice every fixed field. */
async function baseline(path: string): Promise<number> {
  const starts = [1, 19, 39, 40, 46, 48, 54, 64, 74, 84, 85];
  const ends = [19, 39, 40, 46, 48, 54, 64, 74, 84, 85, 103];
  let n = 0;
  let sink = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(10, pos);
      if (nl < 0) break;
      const line = buf.subarray(pos, nl - 1);
      pos = nl + 1;
      if (line[0] !== 0x44) continue;
      for (let f = 0; f < starts.length; f++) {
        const v = f === 1 ? iconv.decode(line.subarray(starts[f], ends[f]), 'gb18030').trimEnd() : line.toString('latin1', starts[f], ends[f]);
        sink += v.length;
      }
      n++;
    }
    carry = buf.subarray(pos);
  }
  if (sink === 0) throw new Error('nothing read');
  return n;
}

async function adapter(path: string): Promise<{ rows: number; records: number; issues: number }> {
  const out = createWriteStream('/dev/null');
  const d = decode('jx-fixed', path);
  let rows = 0;
  let records = 0;
  for await (const batch of d.batches()) {
    let text = '';
    for (const r of batch) {
      text += `${JSON.stringify(r)}\n`;
      rows += r.contributions.length;
      records++;
    }
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  return { rows, records, issues: d.report.issues.length };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

const dir = await mkdtemp(join(tmpdir(), 'jiexu-bench-'));
try {
  const path = join(dir, 'jx-fixed-1m.txt');
  const gen = await timed(() => generate(path));
  const size = (await stat(path)).size;
  console.log(`generated ${gen.value.toLocaleString('en')} D records (${(size / 2 ** 20).toFixed(1)} MiB) in ${(gen.ms / 1000).toFixed(1)} s`);
  peakRss = 0;
  const base = await timed(() => baseline(path));
  const baseRss = peakRss;
  peakRss = 0;
  const ours = await timed(() => adapter(path));
  const oursRss = Math.max(peakRss, process.memoryUsage().rss);
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en');
  console.log(`baseline (split + GB18030 name + slice fields): ${(base.ms / 1000).toFixed(2)} s, ${rate(base.value, base.ms)} records/s, peak RSS ${(baseRss / 2 ** 20).toFixed(0)} MB`);
  console.log(`jx-fixed → canonical JSONL:                      ${(ours.ms / 1000).toFixed(2)} s, ${rate(ours.value.rows, ours.ms)} records/s (${ours.value.records.toLocaleString('en')} canonical records, ${ours.value.issues} issues), peak RSS ${(oursRss / 2 ** 20).toFixed(0)} MB`);
  console.log(`ratio: ${(ours.ms / base.ms).toFixed(2)}× the baseline (goal ≤ 2×); peak RSS ${(oursRss / 2 ** 20).toFixed(0)} MB (goal < 256 MB); process max RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  if (ours.value.rows !== base.value) throw new Error(`decoded ${ours.value.rows} months, the file has ${base.value} D records`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
