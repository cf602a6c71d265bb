process.env.JIEXU_BENCH_ROWS = '60000';
const t0 = Date.now();
const { loadFormats, writeRecords, decode } = await import('./src/index.ts');
await loadFormats(['/work/wt/adapters-sdk/docs/adapters/ah-dbf', '/work/wt/adapters-sdk/docs/adapters/sc-json']);
const { citizenIdCheckChar, organizationCodeCheckChar, usccCheckChar } = await import('@jiexu/standard');
const pad = (n: number | string, w: number) => String(n).padStart(w, '0');
async function* records(region: string) {
  let rows = 0;
  for (let p = 0; rows < 60000; p++) {
    const birth = `${1960 + (Math.floor(p / 1000) % 40)}-01-01`;
    const f = `${region.slice(0, 4)}24${birth.replaceAll('-', '')}${pad(p % 1000, 3)}`;
    const id = f + citizenIdCheckChar(f);
    const org8 = pad(p % 100_000_000, 8);
    const u = `91${region}${org8}${organizationCodeCheckChar(org8)}`;
    const e = u + usccCheckChar(u);
    for (const scheme of ['110', '310'] as const) {
      const contributions = [];
      for (let m = 0; m < 60; m++, rows++) contributions.push({ month: `${2010 + Math.floor(m / 12)}-${pad((m % 12) + 1, 2)}`, baseFen: 580000, employerFen: 116000, individualFen: 46400, status: 'paid' as const, employerId: e });
      yield { kind: 'contribution-record' as const, version: '1.0' as const, person: { id, name: '王小明', gender: 'M' as const, birthDate: birth }, region, scheme, employers: [{ id: e, name: '合肥市庐阳区供销合作社' }], contributions, provenance: { region, format: 'canonical' } };
    }
  }
}
for (const [fmt, region, out] of [['ah-dbf', '340100', '/tmp/sdk/p.dbf'], ['sc-json', '510100', '/tmp/sdk/pj']] as const) {
  const { rm } = await import('node:fs/promises');
  await rm(out, { recursive: true, force: true });
  let t = Date.now();
  const w = await writeRecords(records(region), fmt, out, { exportedAt: '2026-03-01T10:00:00+08:00' });
  console.log(fmt, 'write', Date.now() - t, 'ms', w.report.valid);
  t = Date.now();
  const d = decode(fmt, out);
  let n = 0;
  for await (const b of d.batches()) for (const r of b) n += r.contributions.length;
  console.log(fmt, 'read', Date.now() - t, 'ms', n, d.report.valid);
}
console.log('total', Date.now() - t0);
