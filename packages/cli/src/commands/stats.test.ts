import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statsTable } from './stats.ts';
import { runCli } from '../testing/run-cli.ts';

describe('jiexu stats', () => {
  it('prints table 8 style rows in zh and en', () => {
    const rows = [{ region: '360100', year: 2017, transfersIn: 56800, transfersOut: 25259, fundsInFen: 117588200000, fundsOutFen: 45045400000 }];
    expect(statsTable(rows, 'en')).toMatch(/360100  2017 +56800 +25259 +1,175,882,000.00 +450,454,000.00/);
    expect(statsTable(rows, 'zh')).toMatch(/南昌市/);
    expect(statsTable([], 'en')).toMatch(/no pension information forms accepted/);
  });
  it('--operator reads the platform database (an empty one: no rows, exit 0)', { timeout: 120_000 }, async () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const r = await runCli(['stats', '--operator', '--data-dir', join(mkdtempSync(join(tmpdir(), 'jiexu-stats-')), 'data'), '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual({ statistics: [] });
    } finally {
      if (saved !== undefined) process.env.DATABASE_URL = saved;
    }
  });
});
