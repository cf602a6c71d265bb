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
import { resolveLang, say } from '../lang.ts';
import { readLedgerInputs } from './ledger.ts';

interface SimulateOptions {
  seed: string;
  people: string;
  output: string;
  inputs: string;
  parameters?: string;
  returnProbability?: string;
  secondMoveProbability?: string;
  lang?: string;
}

function integer(name: string, v: string, max: number): number {
  if (!/^\d{1,10}$/.test(v) || Number(v) > max) throw new CliError(`${name} must be a whole number up to ${max}, got "${v}"`, EXIT.usage);
  return Number(v);
}

function probability(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(v)) throw new CliError(`${name} must be a probability between 0 and 1, got "${v}"`, EXIT.usage);
  return Number(v);
}

async function write(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
}

export function register(program: Command): void {
  const simulate = program.command('simulate').description('synthetic data calibrated to the policy report');
  simulate
    .command('population')
    .description("N careers as canonical pension records following the report's tables 3, 5, 7 and 8 (seeded, reproducible)")
    .requiredOption('--seed <n>', 'seed of the generator (same seed and size → same output)')
    .requiredOption('--people <n>', 'how many people')
    .requiredOption('-o, --output <file>', 'JSONL file to write, or - for stdout')
    .requiredOption('--inputs <file>', 'ledger inputs (average wages give the contribution bases)')
    .option('--parameters <file>', 'where to write the parameters and their sources (default: <output>.parameters.json; needed with -o -)')
    .option('--return-probability <p>', `probability that a migrant comes home (default ${DEFAULTS.returnProbability})`)
    .option('--second-move-probability <p>', `probability of a second move (default ${DEFAULTS.secondMoveProbability})`)
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .action(async (opts: SimulateOptions) => {
      const lang = resolveLang(opts.lang);
      const params: PopulationParameters = {
        ...DEFAULTS,
        seed: integer('--seed', opts.seed, 2 ** 31 - 1),
        people: integer('--people', opts.people, 100_000_000),
        returnProbability: probability('--return-probability', opts.returnProbability, DEFAULTS.returnProbability),
        secondMoveProbability: probability('--second-move-probability', opts.secondMoveProbability, DEFAULTS.secondMoveProbability),
      };
      const inputs = await readLedgerInputs(opts.inputs);
      const paramsFile = opts.parameters ?? (opts.output === '-' ? undefined : `${opts.output}.parameters.json`);
      if (!paramsFile) throw new CliError('with -o - give --parameters FILE for the parameters and their sources', EXIT.usage);
      const out: Writable = opts.output === '-' ? process.stdout : createWriteStream(opts.output);
      const failed = new Promise<never>((_, reject) => out.once('error', (e: NodeJS.ErrnoException) => reject(new CliError(`${opts.output}: cannot write (${e.code})`, EXIT.usage))));
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
        throw new CliError(`${paramsFile}: cannot write (${(err as NodeJS.ErrnoException).code})`, EXIT.usage);
      }
      process.stderr.write(`${say({ zh: `已生成 ${people} 人、${records} 条记录；参数及其来源见 ${paramsFile}`, en: `${people} people, ${records} records written; parameters and their sources in ${paramsFile}` }, lang)}\n`);
      process.exitCode = EXIT.ok;
    });
}
