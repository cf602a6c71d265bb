/**
 * The two formats added by mapping only (docs/adapters/ah-dbf, docs/adapters/sc-json):
 * write and read throughput at 1,000,000 rows against a least-work baseline
 * in the same run, interleaved (ours, baseline, ours, baseline …), medians.
 *
 * Baselines do the least a program must for the same bytes: dbf write fills
 * each record's bytes from precomputed person fields and writes them; dbf read
 * slices every field of every record (the name decoded from GBK); json write
 * JSON.stringifies plain page objects (1,000 payments a page, as ours is told); json read JSON.parses each page and
 * touches every field. Ours: writeRecords / decode through the mapping, to
 * canonical records (every value converted and checked, identifiers verified).
 *
 *   pnpm --filter @jiexu/adapters exec tsx bench/sdk-formats.bench.ts   (JIEXU_BENCH_ROWS, JIEXU_BENCH_ROUNDS, JIEXU_BENCH_FORMATS=ah-dbf,sc-json)
 */
import { createReadStream, createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } from '@jiexu/standard';
import { decode, getAdapter, loadFormats, writeRecords, type ContributionRecord } from '../src/index.ts';

const ROWS = Number(process.env.JIEXU_BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.JIEXU_BENCH_ROUNDS ?? 3);
const MONTHS = 60;
const SCHEMES = ['110', '310'] as const;
const DOCS = new URL('../../../docs/adapters/', import.meta.url);
const NAMES = ['刘䶮', '王小明', '欧阳娜娜', '李', '张伟', '陈思远'];
const pad = (n: number | string, w: number) => String(n).padStart(w, '0');
const yuan = (fen: number) => `${Math.floor(fen / 100)}.${pad(fen % 100, 2)}`;

interface Person { id: string; name: string; gender: 'M' | 'F'; birth: string; employer: string }
function person(p: number, region: string): Person {
  const birth = `${1960 + (Math.floor(p / 1000) % 40)}-01-01`;
  const first17 = `${region.slice(0, 4)}24${birth.replaceAll('-', '')}${pad(p % 1000, 3)}`;
  const id = first17 + citizenIdCheckChar(first17);
  const org8 = pad(p % 100_000_000, 8);
  const u17 = `91${region}${org8}${organizationCodeCheckChar(org8)}`;
  return { id, name: NAMES[p % NAMES.length], gender: Number(id[16]) % 2 ? 'M' : 'F', birth, employer: u17 + usccCheckChar(u17) };
}
const monthOf = (m: number) => `${2010 + Math.floor(m / 12)}-${pad((m % 12) + 1, 2)}`;
const PERSONS = Math.ceil(ROWS / (MONTHS * SCHEMES.length));

async function* records(region: string): AsyncGenerator<ContributionRecord> {
  let rows = 0;
  for (let p = 0; rows < ROWS; p++) {
    const x = person(p, region);
    for (const scheme of SCHEMES) {
      const contributions = [];
      for (let m = 0; m < MONTHS && rows < ROWS; m++, rows++) contributions.push({ month: monthOf(m), baseFen: 580000, employerFen: 116000 + (p % 100), individualFen: 46400, status: m % 11 === 0 ? ('backpaid' as const) : ('paid' as const), employerId: x.employer });
      yield { kind: 'contribution-record', version: '1.0', person: { id: x.id, name: x.name, gender: x.gender, birthDate: x.birth }, region, scheme, employers: [{ id: x.employer, name: '合肥市庐阳区供销合作社' }], contributions, provenance: { region, format: 'canonical' } };
    }
  }
}

async function ours(format: string, region: string, out: string): Promise<number> {
  const { report } = await writeRecords(records(region), format, out, { exportedAt: '2026-03-01T10:00:00+08:00', ...(format === 'sc-json' ? { writer: { pageSize: 1000 } } : {}) });
  if (!report.valid) throw new Error(JSON.stringify(report.issues.slice(0, 3)));
  return ROWS;
}

async function oursRead(format: string, path: string): Promise<number> {
  const d = decode(format, path);
  let n = 0;
  for await (const batch of d.batches()) for (const r of batch) n += r.contributions.length;
  if (!d.report.valid || n !== ROWS) throw new Error(`read ${n} rows: ${JSON.stringify(d.report.issues.slice(0, 3))}`);
  return n;
}

/** dbf: fill each record from precomputed fields, write. */
async function baseDbfWrite(out: string): Promise<number> {
  const { headerBytes } = await import('../src/framing/dbf.ts');
  const framing = getAdapter('ah-dbf').mapping.framing as never as Parameters<typeof headerBytes>[0];
  const lens = framing.fields.map((f) => f.length ?? 8);
  const recLen = 1 + lens.reduce((a, b) => a + b, 0);
  const s = createWriteStream(out);
  s.write(headerBytes(framing, ROWS, '2026-03-01'));
  let buf = Buffer.alloc(recLen * 4096, 0x20);
  let k = 0;
  let rows = 0;
  for (let p = 0; rows < ROWS; p++) {
    const x = person(p, '340100');
    const nameB = iconv.encode(x.name, 'cp936');
    for (const scheme of SCHEMES) {
      for (let m = 0; m < MONTHS && rows < ROWS; m++, rows++) {
        const o = k * recLen;
        buf.fill(0x20, o, o + recLen);
        let at = o + 1;
        const put = (text: string | Buffer, len: number, right = false) => {
          const b = typeof text === 'string' ? Buffer.from(text, 'latin1') : text;
          b.copy(buf, right ? at + len - b.length : at);
          at += len;
        };
        put(x.id, 18); put(nameB, 20); put(x.gender === 'M' ? '1' : '2', 1); put(x.birth.replaceAll('-', ''), 8); put('340100', 6); put(scheme, 3);
        put(monthOf(m).replace('-', ''), 6); put('5800.00', 12, true); put(yuan(116000 + (p % 100)), 12, true); put('464.00', 12, true); put(m % 11 === 0 ? '2' : '1', 1); put(x.employer, 18); put(iconv.encode('合肥市庐阳区供销合作社', 'cp936'), 40);
        if (++k === 4096) {
          if (!s.write(buf)) await once(s, 'drain');
          buf = Buffer.alloc(recLen * 4096, 0x20);
          k = 0;
        }
      }
    }
  }
  s.write(buf.subarray(0, k * recLen));
  s.end(Buffer.from([0x1a]));
  await finished(s);
  return rows;
}

/** dbf: slice every field of every record; the name and employer decoded from GBK. */
async function baseDbfRead(path: string): Promise<number> {
  const head = readFileSync(path).subarray(0, 4096);
  const headerLength = head.readUInt16LE(8);
  const recLen = head.readUInt16LE(10);
  const count = head.readUInt32LE(4);
  const offs: [number, number][] = [];
  for (let pos = 32, off = 1; head[pos] !== 0x0d; pos += 32) {
    offs.push([off, head[pos + 16]]);
    off += head[pos + 16];
  }
  let n = 0;
  let sink = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { start: headerLength, end: headerLength + count * recLen - 1, highWaterMark: recLen * 4096 }) as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (; pos + recLen <= buf.length; pos += recLen) {
      for (let f = 0; f < offs.length; f++) {
        const [o, l] = offs[f];
        sink += (f === 1 || f === 12 ? iconv.decode(buf.subarray(pos + o, pos + o + l), 'cp936') : buf.toString('latin1', pos + o, pos + o + l)).length;
      }
      n++;
    }
    carry = buf.subarray(pos);
  }
  if (sink < 0) console.log(sink);
  return n;
}

/** json: plain page objects, JSON.stringify, one file a page. */
async function baseJsonWrite(out: string): Promise<number> {
  await mkdir(out);
  const size = 1000;
  let page: unknown[] = [];
  let used = 0;
  let pageNo = 0;
  let rows = 0;
  const flush = async () => {
    pageNo++;
    await writeFile(join(out, `page-${pad(pageNo, 4)}.json`), JSON.stringify({ apiVersion: '2.3', areaCode: '510100', page: { number: pageNo, size, total: Math.ceil(ROWS / size) }, totalPayments: ROWS, persons: page }, null, 2));
    page = [];
    used = 0;
  };
  for (let p = 0; rows < ROWS; p++) {
    const x = person(p, '510100');
    for (const scheme of SCHEMES) {
      const payments = [];
      for (let m = 0; m < MONTHS && rows < ROWS; m++, rows++) {
        payments.push({ period: monthOf(m), base: '5800.00', unitAmount: yuan(116000 + (p % 100)), personalAmount: '464.00', state: m % 11 === 0 ? 'SUPPLEMENT' : 'NORMAL', unit: { code: x.employer, name: '合肥市庐阳区供销合作社' } });
        if (++used === size) {
          page.push({ idNumber: x.id, name: x.name, sex: x.gender, birthday: x.birth, insurances: [{ type: scheme, payments: payments.splice(0) }] });
          await flush();
        }
      }
      if (payments.length) page.push({ idNumber: x.id, name: x.name, sex: x.gender, birthday: x.birth, insurances: [{ type: scheme, payments }] });
    }
  }
  if (page.length) await flush();
  return rows;
}

/** json: JSON.parse each page and touch every field of every payment. */
async function baseJsonRead(dir: string): Promise<number> {
  let n = 0;
  let sink = 0;
  for (const f of readdirSync(dir).sort()) {
    const doc = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { persons: { idNumber: string; name: string; insurances: { type: string; payments: Record<string, string | { code: string; name: string }>[] }[] }[] };
    for (const p of doc.persons) {
      sink += p.idNumber.length + p.name.length;
      for (const i of p.insurances) for (const pay of i.payments) {
        for (const v of Object.values(pay)) sink += typeof v === 'string' ? v.length : v.code.length + v.name.length;
        n++;
      }
    }
  }
  if (sink < 0) console.log(sink);
  return n;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(f: () => Promise<number>): Promise<number> {
  const t = process.hrtime.bigint();
  const n = await f();
  if (n !== ROWS) throw new Error(`${n} rows, expected ${ROWS}`);
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function main(): Promise<void> {
  await loadFormats([fileURLToPath(new URL('ah-dbf/', DOCS)), fileURLToPath(new URL('sc-json/', DOCS))]);
  const dir = await mkdtemp(join(tmpdir(), 'jiexu-bench-sdk-'));
  try {
    const cases = [
      { format: 'ah-dbf', region: '340100', out: join(dir, 'ah.dbf'), base: join(dir, 'base.dbf'), baseWrite: baseDbfWrite, baseRead: baseDbfRead },
      { format: 'sc-json', region: '510100', out: join(dir, 'sc'), base: join(dir, 'base-sc'), baseWrite: baseJsonWrite, baseRead: baseJsonRead },
    ];
    const only = process.env.JIEXU_BENCH_FORMATS?.split(',');
    console.log(`${ROWS.toLocaleString('en')} rows (${PERSONS.toLocaleString('en')} people × ${SCHEMES.length} schemes × ${MONTHS} months), ${ROUNDS} rounds interleaved, medians`);
    for (const c of cases) {
      if (only && !only.includes(c.format)) continue;
      const t = { ourWrite: [] as number[], baseWrite: [] as number[], ourRead: [] as number[], baseRead: [] as number[] };
      for (let r = 0; r < ROUNDS; r++) {
        await rm(c.out, { recursive: true, force: true });
        await rm(c.base, { recursive: true, force: true });
        t.ourWrite.push(await timed(() => ours(c.format, c.region, c.out)));
        t.baseWrite.push(await timed(() => c.baseWrite(c.base)));
        t.ourRead.push(await timed(() => oursRead(c.format, c.out)));
        t.baseRead.push(await timed(() => c.baseRead(c.out)));
      }
      const line = (what: string, a: number[], b: number[]) => {
        const [ma, mb] = [median(a), median(b)];
        return `${c.format} ${what}: ${(ma / mb).toFixed(2)}× the least-work baseline (${ma.toFixed(2)} s, ${Math.round(ROWS / ma).toLocaleString('en')} rows/s; baseline ${mb.toFixed(2)} s, ${Math.round(ROWS / mb).toLocaleString('en')} rows/s)`;
      };
      console.log(line('write', t.ourWrite, t.baseWrite));
      console.log(line('read ', t.ourRead, t.baseRead));
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
