/**
 * `jiexu demo`: the national transfer platform end to end, on the sample exports in
 * examples/samples. Starts an embedded platform (PGlite in a temporary directory, a
 * random loopback port), registers one institution per sample region with a key pair
 * made in memory, and plays three pension-transfer cases over signed HTTP (see
 * demo/scenarios.ts). Exit 0 when every step went as expected, 1 otherwise.
 */
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { addWorkingDays } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { inLang, type Lang, type Text } from '../lang.ts';
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
  if (!/^\d{4}-\d{2}-\d{2}$/.test(start)) throw new CliError({ zh: `--start 须为 YYYY-MM-DD 格式的日期：${start}`, en: `--start must be a date YYYY-MM-DD: ${start}` }, EXIT.usage);
  let expected: Expected & { files: SampleFile[] };
  try {
    expected = JSON.parse(await readFile(join(samplesDir, 'expected.json'), 'utf8'));
  } catch (err) {
    throw new CliError({ zh: `无法读取 ${samplesDir} 中样例的 expected.json：${(err as Error).message}`, en: `cannot read the samples' expected.json in ${samplesDir}: ${(err as Error).message}` }, EXIT.usage);
  }
  let outDir: string;
  try {
    outDir = opts.out ? resolve(opts.out) : await mkdtemp(join(tmpdir(), 'jiexu-demo-out-'));
    await mkdir(outDir, { recursive: true });
  } catch (err) {
    throw new CliError({ zh: `无法创建输出目录 ${opts.out}：${(err as Error).message}`, en: `cannot create the output directory ${opts.out}: ${(err as Error).message}` }, EXIT.usage);
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

const HELP = {
  description: { zh: '在样例导出文件上从头到尾演示转移接续平台：一笔办结、一笔不予受理、一笔超期的基本养老保险关系转移', en: 'run the transfer platform end to end on the sample exports: a completed, a refused and an overdue pension transfer' },
  out: { zh: '转入地写出所转入记录的目录（默认：新建一个临时目录）', en: 'where the receiving region writes the transferred records (default: a new temporary directory)' },
  start: { zh: '第一笔申请的日期，YYYY-MM-DD', en: 'date of the first application, YYYY-MM-DD' },
} satisfies Record<string, Text>;

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  program
    .command('demo')
    .description(h.description)
    .option('--out <dir>', h.out)
    .option('--start <date>', h.start, DEFAULT_START)
    .action(async (opts: { out?: string; start: string }) => {
      const result = await runDemo({ out: opts.out, start: opts.start });
      process.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });
}
