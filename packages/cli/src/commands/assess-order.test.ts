/**
 * `jiexu assess` on exports sorted by month (every person's rows interleaved,
 * as systems export 缴费明细): the same assessment as the person-ordered file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const SAMPLES = fileURLToPath(new URL('../../../../examples/samples/', import.meta.url));

/** ln-jb lines sorted by AAE002 (the fifth field from the end; the fields after 姓名 are ASCII, so latin1 splitting is safe). */
function lnJbByMonth(bytes: Buffer): Buffer {
  const [header, ...rows] = bytes.toString('latin1').split('\n');
  const last = rows.pop();
  expect(last).toBe('');
  const month = (l: string): string => l.split('|').at(-5)!;
  const sorted = rows.map((l, i) => [l, i] as const).sort((a, b) => month(a[0]).localeCompare(month(b[0])) || a[1] - b[1]).map(([l]) => l);
  expect(sorted).not.toEqual(rows);
  return Buffer.from(`${[header, ...sorted].join('\n')}\n`, 'latin1');
}

describe('jiexu assess on month-ordered input', () => {
  it('assesses every person of a month-ordered ln-jb export as of the person-ordered one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-assess-order-'));
    const monthly = join(dir, 'ln-jb-210100.txt');
    writeFileSync(monthly, lnJbByMonth(readFileSync(join(SAMPLES, 'ln-jb-210100.txt'))));
    const args = ['--json', '--as-of', '2026-11-29', '--format', 'ln-jb'];
    const byPerson = await runCli(['assess', join(SAMPLES, 'ln-jb-210100.txt'), ...args]);
    const byMonth = await runCli(['assess', monthly, ...args]);
    expect(byMonth.code).toBe(0);
    const people = (s: string) => s.trim().split('\n').map((l) => JSON.parse(l) as { person: string; assessed: boolean }).sort((a, b) => a.person.localeCompare(b.person));
    const expected = people(byPerson.stdout);
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.filter((p) => p.assessed).length).toBeGreaterThan(1);
    expect(people(byMonth.stdout)).toEqual(expected);
  });
});
