/** The issue-12 rules as a person reads them from `jiexu assess` and `jiexu transfer-plan`, in zh and en and --json. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const INPUTS = fileURLToPath(new URL('../../../../examples/ledger/inputs.sample.json', import.meta.url));
const id = '230128196208035598'; // a man born 1962-08-03: retires 2022-08-03 at 60

function months(from: number, to: number, baseFen: number) {
  const out = [];
  for (let y = from; y <= to; y++) for (let m = 1; m <= 12; m++) out.push({ month: `${y}-${String(m).padStart(2, '0')}`, baseFen, employerFen: baseFen / 5, individualFen: (baseFen * 8) / 100, status: 'paid' });
  return out;
}
function rec(region: string, from: number, to: number, scheme = '110', account?: number) {
  return {
    kind: 'contribution-record', version: '1.0', person: { id, name: '测试', hukouRegion: '230128' }, region, scheme,
    contributions: months(from, to, 500000),
    ...(account !== undefined ? { account: [{ year: to, creditedFen: account, interestFen: 0, balanceFen: account }] } : {}),
    provenance: { region, format: 'canonical' },
  };
}
function file(records: object[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'jiexu-assess-'));
  const f = join(dir, 'in.jsonl');
  writeFileSync(f, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  return f;
}

describe('jiexu assess: the issue-12 rules, readable and --json', () => {
  const f = file([rec('210100', 2005, 2009, '110', 2_400_000), rec('110000', 2010, 2012, '110', 1_440_000), rec('110000', 2010, 2012, '210')]);
  it('account pension, conversion with the retirement check, seal-and-gather, day periods, 1999 rates', async () => {
    const r = await runCli(['assess', '--as-of', '2026-01-01', '--inputs', INPUTS, '--day-period', '44=300:5', '--json', f]);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout);
    const p = a.schemes['110'];
    expect(p.accountPension[0]).toMatchObject({ divisor: '139', balanceFen: 3_840_000, accountPensionFen: 27_626 }); // 3,840,000 ÷ 139 = 27,625.9
    expect(p.conversion).toMatchObject({ direction: 'employee-to-resident', retirementAgeReached: true });
    expect(p.gathering[0]).toMatchObject({ benefitDate: '2022-08-03' });
    // no province has ten years: the benefit place is the hukou province (23), both 11 and 21 are sealed and gathered
    expect(p.gathering[0].places.map((x: { province: string }) => x.province)).toEqual(['11', '21']);
    expect(p.eu.remainderDays).toEqual({ '44': 14 }); // 300 = 13 × 22 + 14
    expect(a.schemes['210'].rates1999).toMatchObject({ employerAt1999Fen: 36 * 10000, employeeAt1999Fen: 36 * 5000 });
  });
  it('says the same in English and in Chinese', async () => {
    const en = await runCli(['assess', '--as-of', '2026-01-01', '--inputs', INPUTS, '--national', '11=90000', '--theoretical', '11=200000', '--lang', 'en', f]);
    expect(en.stdout).toMatch(/individual-account pension \[male\]: 38,400\.00 ÷ 139 = 276\.26/);
    expect(en.stdout).toMatch(/employee → resident \(employee years short\).*retirement age reached/);
    expect(en.stdout).toMatch(/seal and gather \[male\] at 2022-08-03: 11 /);
    expect(en.stdout).toMatch(/payable 900\.00/);
    expect(en.stdout).toMatch(/at the 1999 rates/);
    const zh = await runCli(['assess', '--as-of', '2026-01-01', '--lang', 'zh', f]);
    expect(zh.stdout).toMatch(/个人账户养老金/);
    expect(zh.stdout).toMatch(/职工转居民/);
    expect(zh.stdout).toMatch(/记账利率未提供/);
  });
  it('before the retirement date the conversion waits', async () => {
    const r = await runCli(['assess', '--as-of', '2022-08-02', '--lang', 'en', f]);
    expect(r.stdout).toMatch(/retirement age not reached/);
  });
  it('--theoretical for several people is a usage error; --amounts gives each their own', async () => {
    const other = { ...rec('110000', 2010, 2012), person: { id: '11010519491231002X', name: '乙' } };
    const g = file([rec('110000', 2010, 2012), other]);
    expect((await runCli(['assess', '--theoretical', '11=1000', g])).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-amounts-'));
    writeFileSync(join(dir, 'a.json'), JSON.stringify({ [id]: { theoreticalFen: { '11': 100000 } }, '11010519491231002X': { theoreticalFen: { '11': 50000 } } }));
    const r = await runCli(['assess', '--as-of', '2026-01-01', '--amounts', join(dir, 'a.json'), '--json', g]);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.schemes['110'].eu.byProvince[0].proRataFen).sort()).toEqual([100000, 50000].sort());
  });
});

describe('jiexu transfer-plan: the unemployment transfer (rule 16)', () => {
  it('a cross-province move carries the benefit due plus 50%', async () => {
    const f = file([rec('210100', 2005, 2009), rec('110000', 2010, 2012)]);
    const r = await runCli(['transfer-plan', '--person', id, '--from', '210100', '--to', '110000', '--date', '2011-03-01', '--unemployment-benefit', '150000', '--unemployment-months', '7', '--lang', 'en', f]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/unemployment benefit moving: benefit still due 10,500\.00 \+ 50% 5,250\.00 = 15,750\.00/);
    expect(r.stdout).toMatch(/unemployment-cross-province/);
    const j = await runCli(['transfer-plan', '--person', id, '--from', '210100', '--to', '110000', '--date', '2011-03-01', '--unemployment-benefit', '150000', '--unemployment-months', '7', '--json', f]);
    expect(JSON.parse(j.stdout).unemployment).toEqual({ benefitDueFen: 1_050_000, subsidyFen: 525_000, totalFen: 1_575_000, crossProvince: true });
    expect((await runCli(['transfer-plan', '--person', id, '--from', '210100', '--to', '110000', '--date', '2011-03-01', '--unemployment-benefit', '150000', f])).code).toBe(2);
  });
});

describe('jiexu assess --grouped (a person at a time)', () => {
  it('gives every person the same assessment as the in-memory path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-grouped-'));
    const pop = join(dir, 'pop.jsonl');
    expect((await runCli(['simulate', 'population', '--seed', '3', '--people', '60', '-o', pop, '--inputs', INPUTS])).code).toBe(0);
    const grouped = await runCli(['assess', '--grouped', '--as-of', '2026-01-01', '--json', pop]);
    const memory = await runCli(['assess', '--as-of', '2026-01-01', '--json', pop]);
    expect(grouped.code, grouped.stderr).toBe(0);
    const byPerson = (out: string) => new Map(out.trim().split('\n').map((l) => [JSON.parse(l).person, l]));
    const g = byPerson(grouped.stdout);
    expect(g.size).toBe(60);
    expect(g).toEqual(byPerson(memory.stdout));
  });
});
