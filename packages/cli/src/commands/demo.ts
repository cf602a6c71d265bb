/**
 * `jiexu demo`: the national transfer platform end to end, on the sample exports in
 * examples/samples. Starts an embedded platform (PGlite in a temporary directory, a
 * random loopback port), registers one institution per sample region with a key pair
 * made in memory, and plays three pension-transfer cases over signed HTTP (see
 * demo/scenarios.ts). Exit 0 when every step went as expected, 1 otherwise.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { verifyBundle } from '@jiexu/client';
import { addWorkingDays } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { completeTransfer, overdueTransfer, refusedTransfer, type Expected } from './demo/scenarios.ts';
import { messageLabels, Story, type Check } from './demo/story.ts';
import { DemoClock, startWorld, type SampleFile } from './demo/world.ts';

const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
export const SAMPLES_DIR = join(REPO_ROOT, 'examples/samples');
const MESSAGE_TYPES = join(REPO_ROOT, 'schemas/1.0/codelists/message-type.json');

/** March 2011: 66号 applies (since 2010-01-01) and the calendar holds the year. */
export const DEFAULT_START = '2011-03-01';

export interface DemoOptions {
  /** Where the receiving offices write the files they import (default: a new temporary directory). */
  out?: string;
  /** The first application's date, YYYY-MM-DD. */
  start?: string;
  samplesDir?: string;
  write?: (text: string) => void;
}

export interface DemoResult {
  ok: boolean;
  checks: Check[];
  outDir: string;
  files: string[];
}

export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const write = opts.write ?? ((t: string) => void process.stdout.write(t));
  const samplesDir = opts.samplesDir ?? SAMPLES_DIR;
  const start = opts.start ?? DEFAULT_START;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new CliError(`--start must be a date YYYY-MM-DD: ${start}`, EXIT.usage);
  let expected: Expected & { files: SampleFile[] };
  try {
    expected = JSON.parse(await readFile(join(samplesDir, 'expected.json'), 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read the samples' expected.json in ${samplesDir}: ${(err as Error).message}`, EXIT.usage);
  }
  let outDir: string;
  try {
    outDir = opts.out ? resolve(opts.out) : await mkdtemp(join(tmpdir(), 'jiexu-demo-out-'));
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new CliError(`cannot create the output directory ${opts.out}: ${(err as Error).message}`, EXIT.usage);
  }

  const story = new Story(write, messageLabels(MESSAGE_TYPES));
  const clock = new DemoClock(start, '08:00');
  write('starting the embedded platform (PGlite: the first start takes a while)…\n');
  const world = await startWorld(samplesDir, expected.files, clock);
  const files: string[] = [];
  try {
    const { institutions } = await world.office('110000').client.institutions();
    story.say(`jiexu demo — the national transfer platform on the sample exports in ${samplesDir}`);
    story.say(`platform ${world.platform.url} (embedded, PGlite in a temporary directory); clock set to ${clock.iso()}`);
    story.say(`directory: ${institutions.map((i) => `${i.id} ${i.name}`).join('; ')}`);
    story.say('every office reads only its own export (its adapter) and its inbox; every request is signed with its own Ed25519 key.');

    const cases: string[] = [];
    let day = start;
    const scenario = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (err) {
        story.check(`${name} ran to the end`, false, (err as Error).message);
        return undefined;
      } finally {
        day = addWorkingDays(clock.date(), 1).date;
      }
    };
    const a = await scenario('A', () => completeTransfer(world, story, expected, outDir, day));
    if (a) {
      cases.push(a.caseId);
      files.push(a.writtenFile);
      // the completed case as evidence: exported by the opener, checked with nothing but the file
      const evidence = await scenario('A', async () => {
        const opener = [...world.offices.values()].find((o) => a.caseId.startsWith(`${o.id}:`))!;
        const bundle = await opener.client.caseBundle(a.caseId);
        const file = join(outDir, `${a.caseId.replace(/[^A-Za-z0-9._-]/g, '_')}.bundle.json`);
        await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
        const check = await verifyBundle(JSON.parse(await readFile(file, 'utf8')));
        story.say(`\n━━ the completed case as evidence (jiexu case export / jiexu verify): ${file}`);
        story.check(
          `the exported case verifies offline: ${check.checked.messages} signed messages, ${check.checked.receipts} receipts signed by their receivers, ${check.checked.audit} audit entries on the hash chain`,
          check.ok && check.checked.receipts > 0 && check.unsigned.length === 0,
          check.problems.map((p) => p.message.en).join('; '),
        );
        return file;
      });
      if (evidence) files.push(evidence);
    }
    const b = await scenario('B', () => refusedTransfer(world, story, expected, day));
    if (b) cases.push(b);
    const c = await scenario('C', () => overdueTransfer(world, story, expected, day, cases));
    if (c) cases.push(c);

    story.say('\n━━ the cases on the platform at the end');
    for (const id of cases) {
      const opener = [...world.offices.values()].find((o) => id.startsWith(`${o.id}:`))!;
      const view = await opener.client.case(id);
      story.say(`  ${id.padEnd(26)} ${view.state.padEnd(13)} ${view.timeline.length} messages  ${view.parties.map((p) => `${p} (${view.roles[p]})`).join(', ')}${view.currentStep?.overdue ? `  OVERDUE (was due ${view.currentStep.deadline})` : ''}`);
    }
  } finally {
    await world.close();
  }

  const failed = story.checks.filter((c) => !c.ok);
  story.say(`\n━━ ${story.ok ? 'every step went as expected' : `${failed.length} check(s) failed`}: ${story.checks.length - failed.length}/${story.checks.length} checks passed`);
  for (const f of failed) story.say(`  ✗ [${f.scenario.slice(0, 1)}] ${f.label}${f.detail ? ` — ${f.detail}` : ''}`);
  story.say(`output: ${outDir}`);
  for (const f of files) story.say(`  ${f}`);
  return { ok: story.ok, checks: story.checks, outDir, files };
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('run the transfer platform end to end on the sample exports: a completed, a refused and an overdue pension transfer')
    .option('--out <dir>', 'where the receiving region writes the transferred records (default: a new temporary directory)')
    .option('--start <date>', 'date of the first application, YYYY-MM-DD', DEFAULT_START)
    .action(async (opts: { out?: string; start: string }) => {
      const result = await runDemo({ out: opts.out, start: opts.start });
      process.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });
}
