/**
 * `--mask` on the commands whose reports name people: with it, no citizen ID of the input can
 * be read in anything the command prints or writes as a report (decoded every way, by the
 * platform's independent check); without it, the same run shows them (so the test can fail).
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unmaskedIdentifiers } from '@jiexu/platform/mask';
import { CHINESE, ENGLISH, runCli } from './testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SAMPLES = `${ROOT}examples/samples`;
const INPUTS = `${ROOT}examples/ledger/inputs.sample.json`;
const samples = ['ln-jb-210100.txt', 'zj-csv-330100.csv', 'gd-xml-440300.xml', 'jx-fixed-360100.txt', 'bj-xlsx-110000.xlsx'].map((f) => `${SAMPLES}/${f}`);

const found = (text: string) => unmaskedIdentifiers(text);

/** Canonical records of a sample, the first person's check character made wrong: validate reports the value. */
async function badRecords(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'jiexu-mask-'));
  const good = join(dir, 'good.jsonl');
  expect((await runCli(['convert', `${SAMPLES}/jx-fixed-360100.txt`, '--to', 'canonical', '-o', good], ENGLISH)).code).toBe(0);
  const lines = readFileSync(good, 'utf8').split('\n');
  const first = JSON.parse(lines[0]);
  const id: string = first.person.id;
  first.person.id = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, [JSON.stringify(first), ...lines.slice(1)].join('\n'));
  return bad;
}

describe('--mask: reports to share outside the office', async () => {
  const bad = await badRecords();
  // [name, arguments, whether the plain report names people]
  const runs: Array<[string, string[], boolean]> = [
    ['assess', ['assess', ...samples, '--as-of', '2026-11-29'], true],
    ['assess --json', ['assess', ...samples, '--json', '--as-of', '2026-11-29'], true],
    ['validate --json', ['validate', bad, '--json'], true],
    ['validate', ['validate', bad, '--format', 'canonical'], false],
    ['ledger --grouped', ['ledger', '--inputs', INPUTS, '--grouped', ...samples], false],
  ];
  for (const [name, args, namesPeople] of runs) {
    it(`${name}: identifiers in the clear without --mask, none with it`, async () => {
      const plain = await runCli(args, ENGLISH);
      const masked = await runCli([...args, '--mask'], ENGLISH);
      expect(masked.code).toBe(plain.code);
      const shown = found(plain.stdout + plain.stderr);
      expect(found(masked.stdout + masked.stderr)).toEqual([]);
      if (!namesPeople) return;
      expect(shown.length).toBeGreaterThan(0);
      expect(found(masked.stdout + masked.stderr)).toEqual([]);
      // the rest of the report is unchanged: masking only the middle eight characters
      expect(masked.stdout.length).toBe(plain.stdout.length);
      expect(masked.stdout).toContain(`${shown[0].slice(0, 6)}********${shown[0].slice(14)}`);
    });
  }

  it('convert: the report on stderr masked, the converted records left whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-mask-'));
    const out = join(dir, 'out.jsonl');
    const r = await runCli(['convert', `${SAMPLES}/jx-fixed-360100.txt`, '--to', 'canonical', '-o', '-', '--mask'], ENGLISH);
    expect(r.code).toBeLessThan(2);
    expect(found(r.stdout).length).toBeGreaterThan(0); // the records keep their identifiers
    expect(found(r.stderr)).toEqual([]);
    const toFile = await runCli(['convert', `${SAMPLES}/jx-fixed-360100.txt`, '--to', 'canonical', '-o', out, '--mask'], ENGLISH);
    expect(toFile.code).toBeLessThan(2);
    expect(found(readFileSync(out, 'utf8')).length).toBeGreaterThan(0);
  });

  it('ledger: the CSV and SVG files it writes are masked too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-mask-'));
    const r = await runCli(['ledger', '--inputs', INPUTS, '--csv', join(dir, 'l.csv'), '--svg', dir, '--mask', ...samples], ENGLISH);
    expect(r.code).toBeLessThan(2);
    for (const f of readdirSync(dir)) expect(found(readFileSync(join(dir, f), 'utf8'))).toEqual([]);
  });

  it('has its help in both languages', async () => {
    const zh = await runCli(['assess', '--help'], CHINESE);
    expect(zh.stdout).toMatch(/--mask\s+遮蔽报告中的公民身份号码/);
    const en = await runCli(['validate', '--help'], ENGLISH);
    expect(en.stdout).toMatch(/--mask\s+mask citizen IDs in the report/);
  });
});
