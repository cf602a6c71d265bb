/**
 * The fuzz suite through the real command: a sample of each sample's variants
 * (evenly spaced; the same seeds as fuzz.test.ts) goes through `jiexu
 * validate --format … --json` in one process per sample, and one of them
 * (samples take turns between one the reader refuses and one it accepts;
 * both in the long form) through `jiexu convert`, each process with its own
 * temporary directory; samples run concurrently. For
 * each: the exit code is 0, 1 or 2; stderr holds no stack trace; validate's
 * verdict per file is the in-process reader's; convert exits as validate
 * judged; nothing is left beside the output or in the temporary directory.
 *
 * Bounded form (each format's first sample, 4 variants) in `pnpm test`;
 * `pnpm fuzz` takes every sample and 40 variants of each.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LONG, OUTSIDE_DIRS, PER_SAMPLE, read, samples, variantsOf, writeVariant } from '../testing/fuzz-samples.ts';

const BIN = fileURLToPath(new URL('../../../cli/scripts/jiexu-from-source.mjs', import.meta.url));
const PICK = LONG ? 40 : 4;
const STACK = /\n\s+at \S/;

interface Run { code: number; stdout: string; stderr: string }
function jiexu(args: string[], tmp: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, LC_ALL: 'C', TMPDIR: tmp, JIEXU_FORMATS: OUTSIDE_DIRS.join(delimiter) }, maxBuffer: 64 << 20, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
    });
  });
}
/** What a run left in its temporary directory, tsx's own compile cache aside. */
const left = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((f) => !f.startsWith('tsx-'));

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'jiexu-fuzz-cli-'));
});
const tally: Record<string, Record<string, number>> = {};
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  console.log(`fuzz through the CLI ${LONG ? '(long)' : '(bounded)'}:\n${Object.entries(tally).map(([f, c]) => JSON.stringify({ format: f, ...c })).join('\n')}`);
});
const count = (format: string, key: string): void => {
  tally[format] ??= {};
  tally[format][key] = (tally[format][key] ?? 0) + 1;
};

/** Bounded: each format's first sample; long: every sample. */
const chosenSamples = LONG ? samples : samples.filter((s, i) => samples.findIndex((t) => t.format === s.format) === i);

describe.concurrent.each(chosenSamples)('fuzz $file through jiexu', (sample) => {
  const { format, file } = sample;
  it('validate and convert end 0/1/2, agree with the reader and each other, print no stack trace, leave nothing', async () => {
    const here = await mkdtemp(join(dir, `${format}-`));
    const all = await variantsOf(sample, PER_SAMPLE[format] * (LONG ? 10 : 1), here);
    const step = Math.max(1, Math.floor(all.length / PICK));
    const picked = all.filter((_v, i) => i % step === 0).slice(0, PICK);
    const paths: string[] = [];
    const expected: number[] = [];
    for (const [i, v] of picked.entries()) {
      const path = await writeVariant(join(here, `v${i}`), sample, v);
      paths.push(path);
      expected.push((await read(format, path)).exit);
    }
    const failures: string[] = [];
    const tmp = await mkdtemp(join(here, 'tmp-'));
    const validate = await jiexu(['validate', '--format', format, '--json', ...paths], tmp);
    count(format, 'validated');
    if (![0, 1, 2].includes(validate.code)) failures.push(`validate exit ${validate.code}`);
    if (STACK.test(validate.stderr)) failures.push(`validate printed a stack trace: ${validate.stderr.slice(0, 300)}`);
    if ((await left(tmp)).length) failures.push(`validate left ${(await left(tmp)).join(', ')}`);
    const verdict = new Map<string, boolean>();
    try {
      for (const f of (JSON.parse(validate.stdout) as { files: { file: string; valid: boolean }[] }).files) verdict.set(f.file, f.valid);
    } catch {
      failures.push(`validate --json printed no report: ${validate.stdout.slice(0, 200)} ${validate.stderr.slice(0, 200)}`);
    }
    for (const [i, path] of paths.entries()) {
      const valid = verdict.get(path);
      if (expected[i] === 2) continue; // a usage problem: validate reports it on stderr, not per file
      if (valid !== (expected[i] === 0)) failures.push(`${picked[i].kind} #${i}: validate says ${valid}, the reader exits ${expected[i]}`);
    }
    // convert: in the long form one variant the reader refuses and one it accepts (when the sample has them);
    // bounded, one: samples take turns between a refused and an accepted one
    const order = chosenSamples.indexOf(sample) % 2 ? [0, 1] : [1, 0];
    const chosen = order.map((e) => expected.indexOf(e)).filter((i) => i >= 0).slice(0, LONG ? 2 : 1);
    for (const i of chosen) {
      const out = await mkdtemp(join(here, 'out-'));
      const ctmp = await mkdtemp(join(here, 'ctmp-'));
      const c = await jiexu(['convert', paths[i], '--from', format, '--to', 'canonical', '-o', join(out, 'records.jsonl')], ctmp);
      count(format, `convert-exit${c.code}`);
      if (![0, 1, 2].includes(c.code)) failures.push(`convert ${picked[i].kind} #${i}: exit ${c.code}`);
      if (STACK.test(c.stderr)) failures.push(`convert ${picked[i].kind} #${i}: stack trace ${c.stderr.slice(0, 300)}`);
      if (c.code !== (verdict.get(paths[i]) ? 0 : 1)) failures.push(`convert ${picked[i].kind} #${i}: exit ${c.code}, validate said ${verdict.get(paths[i])}`);
      const beside = (await readdir(out)).filter((f) => f !== 'records.jsonl' || c.code !== 0);
      if (beside.length) failures.push(`convert ${picked[i].kind} #${i} (exit ${c.code}) left ${beside.join(', ')}`);
      if ((await left(ctmp)).length) failures.push(`convert ${picked[i].kind} #${i} left in TMPDIR ${(await left(ctmp)).join(', ')}`);
    }
    for (const e of expected) count(format, `exit${e}`);
    expect(failures).toEqual([]);
  }, LONG ? 3_600_000 : 180_000);
});
