/**
 * `jiexu simulate population --seed S --people N -o FILE --inputs FILE`: N
 * synthetic careers as canonical pension records (JSONL, a person's records
 * together), calibrated to the report's tables 3, 5, 7 and 8 (@jiexu/rules
 * population). The parameters and the table each comes from are written to
 * FILE.parameters.json (or --parameters FILE) and named in every record's
 * provenance. `-o -` writes to stdout, for `| jiexu ledger -`.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import type { Command } from 'commander';
import { DEFAULTS, PARAMETER_SOURCES, population, type PopulationParameters } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { readLedgerInputs } from './ledger.ts';

interface SimulateOptions {
  seed: string;
  people: string;
  output: string;
  inputs: string;
  parameters?: string;
  returnProbability?: string;
  secondMoveProbability?: string;
}

const HELP = {
  simulate: { zh: '按政策报告校准的合成数据', en: 'synthetic data calibrated to the policy report' },
  population: { zh: '合成人口：N 人的职业经历，按报告表 3、5、7、8 生成标准养老保险缴费记录（给定种子，结果可重复）', en: "N careers as canonical pension records following the report's tables 3, 5, 7 and 8 (seeded, reproducible)" },
  seed: { zh: '随机数生成器的种子（种子和人数相同，输出也相同）', en: 'seed of the generator (same seed and size → same output)' },
  people: { zh: '人数', en: 'how many people' },
  output: { zh: '要写出的 JSONL 文件，- 表示标准输出', en: 'JSONL file to write, or - for stdout' },
  inputs: { zh: '台账输入文件（由平均工资得出缴费基数）', en: 'ledger inputs (average wages give the contribution bases)' },
  parameters: { zh: '参数及其来源写到哪里（默认：<output>.parameters.json；与 -o - 同用时必须给出）', en: 'where to write the parameters and their sources (default: <output>.parameters.json; needed with -o -)' },
  returnProbability: { zh: `外出者返回家乡的概率（默认 ${DEFAULTS.returnProbability}）`, en: `probability that a migrant comes home (default ${DEFAULTS.returnProbability})` },
  secondMoveProbability: { zh: `再次流动的概率（默认 ${DEFAULTS.secondMoveProbability}）`, en: `probability of a second move (default ${DEFAULTS.secondMoveProbability})` },
  parametersNeeded: { zh: '与 -o - 同用时请用 --parameters FILE 指定参数及其来源写到哪里', en: 'with -o - give --parameters FILE for the parameters and their sources' },
} satisfies Record<string, Text>;

const cannotWrite = (file: string, code: string | undefined): CliError => new CliError({ zh: `${file}：无法写入（${code}）`, en: `${file}: cannot write (${code})` }, EXIT.usage);

function integer(name: string, v: string, max: number): number {
  if (!/^\d{1,10}$/.test(v) || Number(v) > max) throw new CliError({ zh: `${name} 须为不超过 ${max} 的非负整数，而不是 "${v}"`, en: `${name} must be a whole number up to ${max}, got "${v}"` }, EXIT.usage);
  return Number(v);
}

function probability(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(v)) throw new CliError({ zh: `${name} 须为 0 到 1 之间的概率，而不是 "${v}"`, en: `${name} must be a probability between 0 and 1, got "${v}"` }, EXIT.usage);
  return Number(v);
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  const simulate = program.command('simulate').description(h.simulate);
  simulate
    .command('population')
    .description(h.population)
    .requiredOption('--seed <n>', h.seed)
    .requiredOption('--people <n>', h.people)
    .requiredOption('-o, --output <file>', h.output)
    .requiredOption('--inputs <file>', h.inputs)
    .option('--parameters <file>', h.parameters)
    .option('--return-probability <p>', h.returnProbability)
    .option('--second-move-probability <p>', h.secondMoveProbability)
    .action(async (opts: SimulateOptions) => {
      const params: PopulationParameters = {
        ...DEFAULTS,
        seed: integer('--seed', opts.seed, 2 ** 31 - 1),
        people: integer('--people', opts.people, 100_000_000),
        returnProbability: probability('--return-probability', opts.returnProbability, DEFAULTS.returnProbability),
        secondMoveProbability: probability('--second-move-probability', opts.secondMoveProbability, DEFAULTS.secondMoveProbability),
      };
      const inputs = await readLedgerInputs(opts.inputs);
      const paramsFile = opts.parameters ?? (opts.output === '-' ? undefined : `${opts.output}.parameters.json`);
      if (!paramsFile) throw new CliError(HELP.parametersNeeded, EXIT.usage);
      const out: Writable = opts.output === '-' ? process.stdout : createWriteStream(opts.output);
      const failed = new Promise<never>((_, reject) => out.once('error', (e: NodeJS.ErrnoException) => reject(cannotWrite(opts.output, e.code))));
      const run = (async () => {
        let people = 0;
        let records = 0;
        let chunk = '';
        for (const group of population(params, inputs)) {
          people += 1;
          for (const r of group) {
            chunk += `${JSON.stringify(r)}\n`;
            records += 1;
          }
          if (chunk.length > 1 << 20) {
            await write(out, chunk);
            chunk = '';
          }
        }
        await write(out, chunk);
        if (out !== process.stdout) await new Promise<void>((resolve) => out.end(resolve));
        return { people, records };
      })();
      const { people, records } = await Promise.race([run, failed]);
      try {
        await writeFile(paramsFile, `${JSON.stringify({ kind: 'jiexu-simulated-population', parameters: params, inputs: opts.inputs, sources: PARAMETER_SOURCES, people, records }, null, 2)}\n`);
      } catch (err) {
        throw cannotWrite(paramsFile, (err as NodeJS.ErrnoException).code);
      }
      process.stderr.write(`${say({ zh: `已生成 ${people} 人、${records} 条记录；参数及其来源见 ${paramsFile}`, en: `${people} people, ${records} records written; parameters and their sources in ${paramsFile}` }, lang)}\n`);
      process.exitCode = EXIT.ok;
    });
}
