/**
 * Runs `jiexu demo` in process (embedded platform, real HTTP on loopback) and checks
 * its exit code, then that the file Beijing wrote decodes back to the records of the
 * person as the samples' expected.json describes them (not as the demo computed them).
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formats, readRecords } from '@jiexu/adapters';
import { codeList } from '@jiexu/standard';
import { main } from '../main.ts';
import { englishWordsIn } from '../testing/english-words.ts';
import { CHINESE, runCli } from '../testing/run-cli.ts';
import { SAMPLES_DIR } from './demo.ts';

const PERSON = '230128196208035598';

describe('jiexu demo', () => {
  let out = '';
  afterAll(async () => {
    if (out) await rm(out, { recursive: true, force: true });
  });

  it('plays the three cases, exits 0 and leaves a bj-xlsx file with the transferred records', { timeout: 600_000 }, async () => {
    out = await mkdtemp(join(tmpdir(), 'jiexu-demo-test-'));
    const printed: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      printed.push(String(chunk));
      return true;
    });
    let code: number;
    try {
      code = await main(['node', 'jiexu', 'demo', '--lang', 'en', '--out', out]);
    } finally {
      spy.mockRestore();
      process.exitCode = undefined;
    }
    const text = printed.join('');
    expect(text, text).toContain('every step went as expected');
    expect(code).toBe(0);
    expect(text).not.toContain('✗');
    for (const message of ['pension.transfer-application', 'pension.contact-letter', 'pension.transfer-info', 'pension.transfer-completed', 'pension.transfer-refusal', 'admin.remind']) {
      expect(text).toContain(message);
    }

    const all = (await readdir(out)).sort();
    expect(all).toEqual(['110000-si_PT-2011-000001.bundle.json', `bj-xlsx-110000-transfer-in-${PERSON}.xlsx`]);
    // the completed case's evidence bundle verifies with jiexu verify (no platform)
    const verified = await runCli(['verify', join(out, all[0]), '--lang', 'en']);
    expect(verified.stdout).toContain('case 110000-si:PT-2011-000001 verifies: 5 message(s), 5 receipt(s)');
    expect(verified.code).toBe(0);
    const files = all.filter((f) => f.endsWith('.xlsx'));
    const { records } = await readRecords(join(out, files[0]), { format: 'bj-xlsx' });

    const expected = JSON.parse(await readFile(join(SAMPLES_DIR, 'expected.json'), 'utf8'));
    const ref = expected.people.find((p: { id: string }) => p.id === PERSON).perScheme['110']['210100'];
    expect(records).toHaveLength(1);
    const [r] = records;
    expect(r).toMatchObject({ person: { id: PERSON }, region: '210100', scheme: '110' });
    expect(r.contributions.map((c) => c.month)).toEqual(ref.monthsList);
    expect(r.contributions.filter((c) => c.status !== 'arrears')).toHaveLength(ref.paidMonths);
    expect(r.contributions.reduce((s, c) => s + c.baseFen, 0)).toBe(ref.baseSum);
    expect(r.contributions.reduce((s, c) => s + c.employerFen, 0)).toBe(ref.employerSum);
    expect(r.contributions.reduce((s, c) => s + c.individualFen, 0)).toBe(ref.individualSum);
  });

  it('refuses a start date that is not a date, with exit code 2', async () => {
    const errors: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      errors.push(String(chunk));
      return true;
    });
    try {
      expect(await main(['node', 'jiexu', 'demo', '--lang', 'en', '--start', 'March'])).toBe(2);
    } finally {
      spy.mockRestore();
    }
    expect(errors.join('')).toContain('--start must be a date');
  });
});

describe('jiexu demo in Chinese', () => {
  it('tells the same three cases in Chinese under a Chinese locale, no English word left but codes and names', { timeout: 600_000 }, async () => {
    const out = await mkdtemp(join(tmpdir(), 'jiexu-demo-zh-'));
    try {
      const r = await runCli(['demo', '--out', out], CHINESE);
      expect(r.code, r.stdout).toBe(0);
      expect(r.stdout).toContain('正在启动内嵌平台');
      expect(r.stdout).toContain('━━ A. 办结的转移：');
      expect(r.stdout).toContain('pension.contact-letter  基本养老保险关系转移接续联系函');
      expect(r.stdout).toMatch(/案件 110000-si:PT-2011-000001：已办结 \[completed\]（已结案）/);
      expect(r.stdout).toMatch(/━━ 每一步都符合预期：(\d+)\/\1 项检查通过/);
      const names = new Set([...codeList('message-type').map((c) => c.code), ...codeList('refusal-reason').map((c) => c.code), ...formats.map((f) => f.name), 'jiexu', 'demo', 'transfer', 'arrears', 'other', 'PGlite', 'Ed25519']);
      expect(englishWordsIn(r.stdout, names), r.stdout).toEqual([]);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
