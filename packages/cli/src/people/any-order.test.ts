/**
 * `jiexu ledger` and `jiexu assess` over records in any order and spread over
 * several files: month-ordered, person-ordered, a person split over two files,
 * read in memory or through the external sort's temporary runs, in one thread
 * or two workers — the same result every time, and no temporary file left.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const INPUTS = `${ROOT}examples/ledger/inputs.sample.json`;

interface Line {
  text: string;
  id: string;
  first: string;
}

/** Where two outputs part, briefly (a failure does not print megabytes). */
function firstDifference(a: string, b: string): string {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 80), i + 80))} vs ${JSON.stringify(b.slice(Math.max(0, i - 80), i + 80))}`;
}

let dir: string;
let byPerson: string;
let byMonth: string;
let halfA: string;
let halfB: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'jiexu-any-order-'));
  byPerson = join(dir, 'by-person.jsonl');
  const sim = await runCli(['simulate', 'population', '--seed', '9', '--people', '200', '-o', byPerson, '--inputs', INPUTS]);
  expect(sim.code, sim.stderr).toBe(0);
  const lines: Line[] = readFileSync(byPerson, 'utf8')
    .trim()
    .split('\n')
    .map((text) => {
      const r = JSON.parse(text) as { person: { id: string }; contributions: Array<{ month: string }> };
      return { text, id: r.person.id, first: r.contributions[0].month };
    });
  // every record sorted by its first month: people's records interleaved, as a 缴费明细 export sorted by month
  const monthly = lines.map((l, i) => [l, i] as const).sort((a, b) => a[0].first.localeCompare(b[0].first) || a[1] - b[1]).map(([l]) => l);
  const split = monthly.some((l, i) => monthly.findIndex((m, k) => k > i + 1 && m.id === l.id && monthly[i + 1].id !== l.id) > 0);
  expect(split).toBe(true);
  byMonth = join(dir, 'by-month.jsonl');
  writeFileSync(byMonth, `${monthly.map((l) => l.text).join('\n')}\n`);
  // a person's records in two files: every other record of each person in the second file
  const seen = new Map<string, number>();
  const a: string[] = [];
  const b: string[] = [];
  for (const l of lines) {
    const n = seen.get(l.id) ?? 0;
    seen.set(l.id, n + 1);
    (n % 2 ? b : a).push(l.text);
  }
  expect(b.length).toBeGreaterThan(10);
  halfA = join(dir, 'a.jsonl');
  halfB = join(dir, 'b.jsonl');
  writeFileSync(halfA, `${a.join('\n')}\n`);
  writeFileSync(halfB, `${b.join('\n')}\n`);
}, 120_000);

describe('any row order, several files', () => {
  it('ledger: person-ordered, month-ordered, split over two files, spilled to disk, two workers: the same JSON', async () => {
    const base = await runCli(['ledger', '--grouped', '--inputs', INPUTS, '--json', byPerson]);
    expect(base.code, base.stderr).toBe(0);
    expect(JSON.parse(base.stdout).people).toBe(200);
    expect((await runCli(['ledger', '--grouped', '--inputs', INPUTS, byMonth])).stderr).toMatch(/not together/);
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const spill = { TMPDIR: tmp, JIEXU_SORT_MEMORY: '100000' };
    for (const [args, env] of [
      [[byMonth], {}],
      [[halfB, halfA], {}],
      [[byMonth], spill],
      [[halfA, halfB, '--workers', '2'], spill],
      [[byMonth, '--workers', '2'], {}],
    ] as Array<[string[], Record<string, string>]>) {
      const r = await runCli(['ledger', '--inputs', INPUTS, '--json', ...args], env);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout === base.stdout, `${args.join(' ')}: ${firstDifference(r.stdout, base.stdout)}`).toBe(true);
    }
    expect(readdirSync(tmp).filter((f) => f.startsWith('jiexu-'))).toEqual([]);
  }, 300_000);

  it('assess: the same JSON lines, in id order, whatever the order, the files, the spilling and the workers', async () => {
    const args = ['--json', '--as-of', '2026-11-29', '--female-category', '50'];
    const base = await runCli(['assess', ...args, byPerson]);
    expect(base.code, base.stderr).toBe(0);
    const ids = base.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { person: string }).person);
    expect(ids.length).toBe(200);
    expect([...ids].sort()).toEqual(ids);
    const grouped = await runCli(['assess', ...args, '--grouped', byPerson]);
    const byId = (out: string) => out.trim().split('\n').sort((x, y) => (JSON.parse(x).person < JSON.parse(y).person ? -1 : 1));
    expect(byId(grouped.stdout)).toEqual(base.stdout.trim().split('\n'));
    const tmp = mkdtempSync(join(dir, 'tmp-'));
    const spill = { TMPDIR: tmp, JIEXU_SORT_MEMORY: '100000' };
    for (const [files, env] of [
      [[byMonth], {}],
      [[halfB, halfA], spill],
      [[byMonth, '--workers', '2'], spill],
      [[halfA, halfB, '--workers', '2'], {}],
    ] as Array<[string[], Record<string, string>]>) {
      const r = await runCli(['assess', ...args, ...files], env);
      expect(r.code, `${files.join(' ')}: ${r.stderr}`).toBe(0);
      expect(r.stdout === base.stdout, `${files.join(' ')}: ${firstDifference(r.stdout, base.stdout)}`).toBe(true);
    }
    expect(readdirSync(tmp).filter((f) => f.startsWith('jiexu-'))).toEqual([]);
    const one = await runCli(['assess', ...args, '--person', ids[7], halfA, halfB]);
    expect(one.stdout).toBe(`${base.stdout.trim().split('\n')[7]}\n`);
  }, 300_000);
});
