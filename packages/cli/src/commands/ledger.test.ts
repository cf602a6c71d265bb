import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SAMPLES = `${ROOT}examples/samples`;
const INPUTS = `${ROOT}examples/ledger/inputs.sample.json`;
const exports = ['ln-jb-210100.txt', 'zj-csv-330100.csv', 'gd-xml-440300.xml', 'jx-fixed-360100.txt', 'bj-xlsx-110000.xlsx'].map((f) => `${SAMPLES}/${f}`);

describe('jiexu ledger', { timeout: 300_000 }, () => {
  it('over the sample exports: both regimes per province, the fen integers in --json, totals that balance', async () => {
    const r = await runCli(['ledger', '--inputs', INPUTS, '--json', ...exports]);
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout);
    for (const regime of ['transfer-2009', 'seal-pro-rata']) {
      const provinces = j.regimes[regime].provinces;
      expect(Object.keys(provinces).length).toBeGreaterThan(1);
      for (const p of Object.values(provinces) as Array<Record<string, number>>) {
        for (const k of ['sentFen', 'receivedFen', 'keptFen', 'liabilityFen', 'netFen']) expect(Number.isInteger(p[k])).toBe(true);
        expect(p.netFen).toBe(p.keptFen + p.receivedFen - p.forwardedFen - p.liabilityFen);
      }
    }
    expect(j.regimes['transfer-2009'].totals.sentFen).toBe(j.regimes['transfer-2009'].totals.receivedFen);
    expect(j.regimes['seal-pro-rata'].totals.sentFen).toBe(0);
    expect(j.inputs).toMatchObject({ valuationYear: 2017, file: INPUTS });
  });

  it('readable in zh and en, CSV and two SVG charts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-ledger-'));
    const en = await runCli(['ledger', '--inputs', INPUTS, '--lang', 'en', '--csv', join(dir, 'l.csv'), '--svg', dir, ...exports]);
    expect(en.code).toBe(0);
    expect(en.stdout).toMatch(/2009 rules/);
    expect(en.stdout).toMatch(/seal and pro-rata/);
    const zh = await runCli(['ledger', '--inputs', INPUTS, '--lang', 'zh', ...exports]);
    expect(zh.stdout).toMatch(/封存与按比例计发/);
    expect(readFileSync(join(dir, 'l.csv'), 'utf8').split('\n')[0]).toBe('regime,province,year,sentFen,receivedFen,forwardedFen,keptFen,monthlyLiabilityFen,liabilityFen,netFen,transfersIn,transfersOut,pensioners');
    for (const f of ['net-positions.svg', 'flows.svg']) expect(readFileSync(join(dir, f), 'utf8')).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('an invalid inputs file is exit 1 with the pointer; a missing one exit 2', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-ledger-'));
    const bad = join(dir, 'bad.json');
    const inputs = JSON.parse(readFileSync(INPUTS, 'utf8'));
    inputs.creditingRates.byYear['2017'] = '7.12%';
    writeFileSync(bad, JSON.stringify(inputs));
    const r = await runCli(['ledger', '--inputs', bad, ...exports]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\/creditingRates\/byYear\/2017/);
    expect((await runCli(['ledger', '--inputs', join(dir, 'none.json'), ...exports])).code).toBe(2);
  });
});

describe('jiexu simulate population', { timeout: 300_000 }, () => {
  it('is reproducible for a seed, differs for another, names its tables, and feeds the ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-sim-'));
    const run = (seed: string, file: string) => runCli(['simulate', 'population', '--seed', seed, '--people', '40', '-o', join(dir, file), '--inputs', INPUTS]);
    expect((await run('11', 'a.jsonl')).code).toBe(0);
    expect((await run('11', 'b.jsonl')).code).toBe(0);
    expect((await run('12', 'c.jsonl')).code).toBe(0);
    const a = readFileSync(join(dir, 'a.jsonl'), 'utf8');
    expect(readFileSync(join(dir, 'b.jsonl'), 'utf8')).toBe(a);
    expect(readFileSync(join(dir, 'c.jsonl'), 'utf8')).not.toBe(a);
    const params = JSON.parse(readFileSync(join(dir, 'a.jsonl.parameters.json'), 'utf8'));
    expect(params.people).toBe(40);
    expect(params.sources.map((s: { source: string }) => s.source).join(' ')).toMatch(/table 3.*table 5|table 5.*table 3/s);
    expect(params.sources.map((s: { source: string }) => s.source).join(' ')).toMatch(/table 7/);
    expect(params.sources.map((s: { source: string }) => s.source).join(' ')).toMatch(/table 8/);
    const v = await runCli(['validate', join(dir, 'a.jsonl')]);
    expect(v.code, v.stdout + v.stderr).toBe(0);
    const l = await runCli(['ledger', '--grouped', '--inputs', INPUTS, '--json', join(dir, 'a.jsonl')]);
    expect(l.code).toBe(0);
    expect(JSON.parse(l.stdout)).toMatchObject({ people: 40, skipped: 0 });
  });
});

describe('jiexu ledger --workers', { timeout: 300_000 }, () => {
  it('two worker threads give the same JSON as one; a person split in the input is exit 1 with --grouped, and the same JSON without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-workers-'));
    const pop = join(dir, 'pop.jsonl');
    expect((await runCli(['simulate', 'population', '--seed', '5', '--people', '300', '-o', pop, '--inputs', INPUTS])).code).toBe(0);
    const one = await runCli(['ledger', '--grouped', '--inputs', INPUTS, '--json', pop]);
    const two = await runCli(['ledger', '--workers', '2', '--inputs', INPUTS, '--json', pop]);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const lines = readFileSync(pop, 'utf8').trim().split('\n');
    const people = new Set(lines.map((l) => JSON.parse(l).person.id));
    expect(people.size).toBe(300);
    // move a record of a person with two records to the end
    const i = lines.findIndex((l, k) => k + 1 < lines.length && JSON.parse(l).person.id === JSON.parse(lines[k + 1]).person.id);
    const shuffled = [...lines.slice(0, i), ...lines.slice(i + 1), lines[i]];
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, shuffled.join('\n') + '\n');
    const r = await runCli(['ledger', '--grouped', '--workers', '2', '--inputs', INPUTS, bad]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not together/);
    expect((await runCli(['ledger', '--grouped', '--inputs', INPUTS, bad])).code).toBe(1);
    expect((await runCli(['ledger', '--workers', '2', '--inputs', INPUTS, '--json', bad])).stdout).toBe(one.stdout);
    expect((await runCli(['ledger', '--inputs', INPUTS, '--json', bad])).stdout).toBe(one.stdout);
  });
});
