/**
 * `jiexu conformance --format NAME SAMPLE…`: runs the conformance kit on a
 * format (built in, or declared with --formats-dir / JIEXU_FORMATS): each
 * sample converts to canonical and back with equal records and what was
 * written follows the format's rules when read back through the same framing;
 * then generated records (names from outside the encoding included) do the
 * same. Prints a report; exit 0 conforms, 1 does not, 2 usage or I/O error.
 */
import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { AdapterError, formats } from '@jiexu/adapters';
import { runConformance, type ConformanceResult } from '@jiexu/adapters/conformance';
import { formatIssue } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { withFormatDirs } from '../format-dirs.ts';
import { foreign, noSuchFileOrFolder } from '../file-errors.ts';

interface Options {
  format: string;
  runs?: string;
  seed?: string;
  json?: boolean;
}

const HELP = {
  description: { zh: '对一种旧系统格式运行一致性检查：样例和生成的记录往返一致，写出的内容符合该格式的规则', en: 'run the conformance kit on a legacy format: its samples and generated records round-trip, what it writes follows its rules' },
  samples: { zh: '该格式的样例导出文件（多分块格式可给文件夹）', en: 'sample exports of the format (files, or folders for multi-part formats)' },
  format: { zh: '要检查的格式（见 `jiexu formats`）', en: 'the format to check (see `jiexu formats`)' },
  runs: { zh: '往返检查的生成记录组数（默认 25；0 表示只查样例）', en: 'generated record sets to round-trip (default 25; 0: samples only)' },
  seed: { zh: '生成记录的随机种子（默认 20260301，结果可重复）', en: 'seed of the generated records (default 20260301, so runs repeat)' },
  json: { zh: '输出机器可读的报告', en: 'machine-readable report' },
} satisfies Record<string, Text>;

const whole = (v: string | undefined, option: string, fallback: number): number => {
  if (v === undefined) return fallback;
  if (!/^[0-9]{1,9}$/.test(v)) throw new CliError({ zh: `${option} 须为非负整数，而不是 "${v}"`, en: `${option} must be a whole number, got "${v}"` }, EXIT.usage);
  return Number(v);
};

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  withFormatDirs(program.command('conformance'), lang)
    .description(h.description)
    .argument('[samples...]', h.samples)
    .requiredOption('--format <format>', h.format)
    .option('--runs <n>', h.runs)
    .option('--seed <n>', h.seed)
    .option('--json', h.json)
    .action(async (samples: string[], opts: Options) => {
      if (!formats.some((f) => f.name === opts.format)) throw new CliError({ zh: `--format：未知格式 "${opts.format}"；已知格式：${formats.map((f) => f.name).join(', ')}`, en: `--format: unknown format "${opts.format}"; known: ${formats.map((f) => f.name).join(', ')}` }, EXIT.usage);
      for (const s of samples) if (!(await stat(s).catch(() => undefined))) throw noSuchFileOrFolder(s);
      let result: ConformanceResult;
      try {
        result = await runConformance(opts.format, samples, { runs: whole(opts.runs, '--runs', 25), seed: whole(opts.seed, '--seed', 20260301) });
      } catch (err) {
        if (err instanceof AdapterError) throw foreign(err, EXIT.usage);
        throw err;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : report(result, lang));
      process.exitCode = result.passed ? EXIT.ok : EXIT.invalid;
    });
}

function report(r: ConformanceResult, lang: Lang): string {
  const out: string[] = [];
  for (const s of r.samples) {
    out.push(say(s.passed
      ? { zh: `通过  ${s.sample}：${s.records} 条记录往返一致`, en: `pass  ${s.sample}: ${s.records} records round-trip equal` }
      : { zh: `失败  ${s.sample}：${s.equal ? '记录往返一致' : '往返后记录不一致'}，${s.errors.length} 个错误，${s.violations.length} 项违反规则`, en: `FAIL  ${s.sample}: ${s.equal ? 'records round-trip equal' : 'records differ after the round trip'}, ${s.errors.length} errors, ${s.violations.length} rule violations` }, lang));
    for (const i of s.errors) out.push(`      ${formatIssue(i, lang)}`);
    for (const v of s.violations) out.push(`      ${v}`);
  }
  const g = r.generated;
  if (g.runs > 0) {
    out.push(say(g.passed
      ? { zh: `通过  生成记录：${g.runs} 组往返一致（种子 ${g.seed}）`, en: `pass  generated records: ${g.runs} sets round-trip equal (seed ${g.seed})` }
      : { zh: `失败  生成记录（种子 ${g.seed}）：${g.failure?.equal ? '' : '往返后记录不一致；'}${g.failure?.errors.length ?? 0} 个错误，${g.failure?.violations.length ?? 0} 项违反规则`, en: `FAIL  generated records (seed ${g.seed}): ${g.failure?.equal ? '' : 'records differ after the round trip; '}${g.failure?.errors.length ?? 0} errors, ${g.failure?.violations.length ?? 0} rule violations` }, lang));
    for (const i of g.failure?.errors ?? []) out.push(`      ${formatIssue(i, lang)}`);
    for (const v of g.failure?.violations ?? []) out.push(`      ${v}`);
  }
  out.push(say(r.passed ? { zh: `${r.format} 符合规范（conforms）`, en: `${r.format} conforms` } : { zh: `${r.format} 不符合规范`, en: `${r.format} does not conform` }, lang));
  return `${out.join('\n')}\n`;
}
