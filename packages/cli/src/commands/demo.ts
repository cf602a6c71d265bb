/**
 * `jiexu demo`: the national transfer platform end to end, on the sample exports in
 * examples/samples (shipped in the package as samples/). Starts an embedded platform (PGlite in a temporary directory, a
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
import { roleLabel } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { inLang, resolveLang, type Lang, type Text } from '../lang.ts';
import { completeTransfer, overdueTransfer, refusedTransfer, type Expected } from './demo/scenarios.ts';
import { reemployment } from './demo/reemployment.ts';
import { same, Story, type Check } from './demo/story.ts';
import { DemoClock, startWorld, type SampleFile } from './demo/world.ts';
import { keepOpen } from './demo/keep.ts';
import { CONSOLE_BASE, consoleAppBuilt, consoleAppDir } from '@jiexu/console';

/** The sample exports: the package's samples/ folder, a copy of the repository's examples/samples made by the build. */
export const SAMPLES_DIR = fileURLToPath(new URL('../../samples/', import.meta.url));

/** March 2011: 66号 applies (since 2010-01-01) and the calendar holds the year. */
export const DEFAULT_START = '2011-03-01';

export interface DemoOptions {
  /** Where the receiving offices write the files they import (default: a new temporary directory). */
  out?: string;
  /** The first application's date, YYYY-MM-DD. */
  start?: string;
  samplesDir?: string;
  write?: (text: string) => void;
  /** The language the demo tells its story in (default: the locale's, see lang.ts). */
  lang?: Lang;
  /** `--keep`: after the story the platform stays up (console under /console/) until this resolves. */
  keep?: Promise<void>;
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

  const story = new Story(write, opts.lang ?? resolveLang(undefined));
  const clock = new DemoClock(start, '08:00');
  story.say({ zh: '正在启动内嵌平台（PGlite：首次启动需要一点时间）…', en: 'starting the embedded platform (PGlite: the first start takes a while)…' });
  const consoleServed = opts.keep !== undefined && consoleAppBuilt();
  const world = await startWorld(samplesDir, expected.files, clock, { staticFiles: consoleServed ? { dir: consoleAppDir(), prefix: CONSOLE_BASE } : undefined });
  const files: string[] = [];
  try {
    const { institutions } = await world.office('110000').client.institutions();
    const directory = institutions.map((i) => `${i.id} ${i.name}`);
    story.say({ zh: `jiexu demo — 在 ${samplesDir} 中的样例导出文件上运行全国转移接续平台`, en: `jiexu demo — the national transfer platform on the sample exports in ${samplesDir}` });
    story.say({ zh: `平台 ${world.platform.url}（内嵌，PGlite 位于临时目录）；时钟设为 ${clock.iso()}`, en: `platform ${world.platform.url} (embedded, PGlite in a temporary directory); clock set to ${clock.iso()}` });
    story.say({ zh: `机构目录：${directory.join('；')}`, en: `directory: ${directory.join('; ')}` });
    story.say({ zh: '每个经办机构只读取本地的导出文件（经各自的适配器）和自己的收件箱；每个请求都用本机构的 Ed25519 密钥签名。', en: 'every office reads only its own export (its adapter) and its inbox; every request is signed with its own Ed25519 key.' });

    const cases: string[] = [];
    let day = start;
    const scenario = async <T>(name: string, run: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await run();
      } catch (err) {
        story.check({ zh: `场景 ${name} 运行到最后`, en: `${name} ran to the end` }, false, same((err as Error).message));
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
        story.say({ zh: `\n━━ 已结案件作为证据（\`jiexu case export\` / \`jiexu verify\`）：${file}`, en: `\n━━ the completed case as evidence (jiexu case export / jiexu verify): ${file}` });
        story.check(
          { zh: `导出的案件可离线核验：${check.checked.messages} 条已签名消息、${check.checked.receipts} 份由接收方签名的回执、${check.checked.audit} 条在哈希链上的审计记录`, en: `the exported case verifies offline: ${check.checked.messages} signed messages, ${check.checked.receipts} receipts signed by their receivers, ${check.checked.audit} audit entries on the hash chain` },
          check.ok && check.checked.receipts > 0 && check.unsigned.length === 0,
          { zh: check.problems.map((p) => p.message.zh).join('；'), en: check.problems.map((p) => p.message.en).join('; ') },
        );
        return file;
      });
      if (evidence) files.push(evidence);
    }
    const b = await scenario('B', () => refusedTransfer(world, story, expected, day));
    if (b) cases.push(b);
    const c = await scenario('C', () => overdueTransfer(world, story, expected, day, cases));
    if (c) cases.push(c);
    const d = await scenario('D', () => reemployment(world, story, expected, day));
    if (d) cases.push(d);

    story.say({ zh: '\n━━ 结束时平台上的案件', en: '\n━━ the cases on the platform at the end' });
    for (const id of cases) {
      const opener = [...world.offices.values()].find((o) => id.startsWith(`${o.id}:`))!;
      const view = await opener.client.case(id);
      const role = (p: string) => (story.lang === 'zh' ? `${roleLabel(view.roles[p], 'zh') ?? view.roles[p]} [${view.roles[p]}]` : view.roles[p]);
      const parties = view.parties.map((p) => `${p} (${role(p)})`).join(', ');
      const due = view.currentStep?.deadline;
      story.say({
        zh: `  ${id.padEnd(26)} ${story.state(view)}  ${view.timeline.length} 份报文  ${parties}${view.currentStep?.overdue ? `  已超期（期限 ${due}）` : ''}`,
        en: `  ${id.padEnd(26)} ${view.state.padEnd(13)} ${view.timeline.length} messages  ${parties}${view.currentStep?.overdue ? `  OVERDUE (was due ${due})` : ''}`,
      });
    }
    summarise(story, outDir, files);
    if (opts.keep) await keepOpen(world, story, outDir, consoleServed, opts.keep);
  } finally {
    await world.close();
  }
  return { ok: story.ok, checks: story.checks, outDir, files };
}

function summarise(story: Story, outDir: string, files: string[]): void {
  const failed = story.checks.filter((c) => !c.ok);
  const passed = `${story.checks.length - failed.length}/${story.checks.length}`;
  story.say(
    story.ok
      ? { zh: `\n━━ 每一步都符合预期：${passed} 项检查通过`, en: `\n━━ every step went as expected: ${passed} checks passed` }
      : { zh: `\n━━ ${failed.length} 项检查未通过：${passed} 项检查通过`, en: `\n━━ ${failed.length} check(s) failed: ${passed} checks passed` },
  );
  for (const f of failed) story.say(same(`  ✗ [${f.scenario.slice(0, 1)}] ${f.label}${f.detail ? ` — ${f.detail}` : ''}`));
  story.say({ zh: `输出目录：${outDir}`, en: `output: ${outDir}` });
  for (const f of files) story.say(same(`  ${f}`));
}

const HELP = {
  description: { zh: '在样例导出文件上从头到尾演示转移接续平台：一笔办结、一笔不予受理、一笔超期的基本养老保险关系转移，以及异地再就业后通知停发失业保险金', en: 'run the transfer platform end to end on the sample exports: a completed, a refused and an overdue pension transfer, and unemployment benefit stopped after re-employment in another region' },
  out: { zh: '转入地写出所转入记录的目录（默认：新建一个临时目录）', en: 'where the receiving region writes the transferred records (default: a new temporary directory)' },
  start: { zh: '第一笔申请的日期，YYYY-MM-DD', en: 'date of the first application, YYYY-MM-DD' },
  keep: { zh: '演示结束后平台继续运行（控制台位于 /console/，并写出各机构登录用的私钥），直到按下中断键', en: 'keep the platform running after the story (the console under /console/, with the institutions\' sign-in keys written out) until Ctrl+C' },
} satisfies Record<string, Text>;

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  program
    .command('demo')
    .description(h.description)
    .option('--out <dir>', h.out)
    .option('--start <date>', h.start, DEFAULT_START)
    .option('--keep', h.keep)
    .action(async (opts: { out?: string; start: string; keep?: boolean }) => {
      const keep = opts.keep ? new Promise<void>((resolve) => ['SIGINT', 'SIGTERM'].forEach((s) => process.once(s, () => resolve()))) : undefined;
      const result = await runDemo({ out: opts.out, start: opts.start, lang, keep });
      process.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });
}
