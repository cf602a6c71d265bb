/**
 * `jiexu convert <input> --from <format> --to <format> -o <output>`: legacy ⇄
 * canonical (JSONL) ⇄ legacy, streaming. The output is written to a temporary
 * file and renamed into place only when the whole run succeeded; a failed run
 * leaves no output. Exit 0 converted, 1 invalid input, 2 usage or I/O error.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { finished, pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { AdapterError, CANONICAL, decode, detectFormat, encode, formats, keepTemp, removeTemp, trackTemp, type ContributionRecord, type Decoding } from '@jiexu/adapters';
import { formatIssue, makeReport, strictly, type Issue } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { Progress } from './progress.ts';
import { addLimitOptions, limitsFrom } from './limits.ts';

interface ConvertOptions {
  from?: string;
  to: string;
  output: string;
  region?: string;
  strict?: boolean;
  json?: boolean;
  lang?: string;
}

const known = (): string[] => [...formats.map((f) => f.name), CANONICAL];

function checkFormat(name: string, option: string): string {
  if (!known().includes(name)) throw new CliError(`${option}: unknown format "${name}"; known: ${known().join(', ')}`, EXIT.usage);
  return name;
}

export function register(program: Command): void {
  const cmd = program
    .command('convert')
    .description('convert between legacy regional formats and canonical records (JSONL)')
    .argument('<input>', 'input file (- for stdin)')
    .option('--from <format>', `input format (${known().join(', ')}); detected when left out`)
    .requiredOption('--to <format>', 'output format')
    .requiredOption('-o, --output <file>', 'output file (- for stdout)')
    .option('--region <code>', 'write only this pooling region (needed when the records span several regions and the output format holds one)')
    .option('--strict', 'treat warnings as errors')
    .option('--json', 'print the report as JSON on stderr')
    .option('--lang <lang>', 'zh or en', 'en');
  addLimitOptions(cmd).action(async (input: string, opts: ConvertOptions) => {
    process.exitCode = await convert(input, opts);
  });
}

async function convert(input: string, opts: ConvertOptions): Promise<number> {
  const lang = opts.lang === 'zh' ? 'zh' : 'en';
  const to = checkFormat(opts.to, '--to');
  const limits = limitsFrom(opts);
  if (opts.region !== undefined && !/^[1-9][0-9]{5}$/.test(opts.region)) throw new CliError(`--region must be a six-digit pooling region code, got "${opts.region}"`, EXIT.usage);
  if (input !== '-') {
    const st = await stat(input).catch(() => undefined);
    if (!st?.isFile()) throw new CliError(`${input}: ${st ? 'not a file' : 'no such file'}`, EXIT.usage);
  }
  let from = opts.from !== undefined ? checkFormat(opts.from, '--from') : undefined;
  if (from === undefined) {
    if (input === '-') throw new CliError('--from is needed when reading stdin', EXIT.usage);
    from = await detectFormat(input);
    if (from === undefined) throw new CliError(`${input}: cannot tell its format; give --from (${known().join(', ')})`, EXIT.usage);
  }

  const toStdout = opts.output === '-';
  const tmp = toStdout ? join(tmpdir(), `jiexu-convert-${process.pid}-${Date.now()}.tmp`) : join(dirname(opts.output), `.${basename(opts.output)}.${process.pid}.tmp`);
  trackTemp(tmp); // removed on every way out, an interrupt included
  const progress = new Progress(lang === 'zh' ? '转换' : 'converting');
  let decoding: Decoding;
  let ticker: NodeJS.Timeout | undefined;
  const issues: Issue[] = [];
  let count = 0;
  try {
    decoding = decode(from, input === '-' ? process.stdin : input, { strict: opts.strict, limits });
    const reading = decoding;
    // rows are grouped by person before records come out: the bar follows the bytes read meanwhile
    ticker = setInterval(() => progress.update(count, reading.progress.bytes, reading.progress.total), 250);
    ticker.unref();
    const counted = (async function* (): AsyncGenerator<ContributionRecord> {
      for await (const batch of decoding.batches()) {
        count += batch.length;
        progress.update(count, decoding.progress.bytes, decoding.progress.total);
        yield* batch;
      }
    })();
    const out = createWriteStream(tmp);
    await once(out, 'open').catch((err: NodeJS.ErrnoException) => {
      throw new CliError(`cannot write ${opts.output}: ${err.code ?? err.message}`, EXIT.usage);
    });
    let encodeReport;
    try {
      encodeReport = (await encode(to, counted, out, opts.region !== undefined ? { region: opts.region } : {})).report;
    } finally {
      out.end();
      await finished(out).catch(() => undefined);
      clearInterval(ticker);
      progress.done();
    }
    issues.push(...decoding.report.issues, ...(opts.strict ? strictly(encodeReport.issues) : encodeReport.issues));
  } catch (err) {
    clearInterval(ticker);
    progress.done();
    await removeTemp(tmp);
    if (err instanceof CliError) throw err;
    if (err instanceof AdapterError) throw new CliError(err.message, EXIT.usage);
    const e = err as NodeJS.ErrnoException;
    if (e?.code && typeof e.code === 'string' && e.code.startsWith('E')) throw new CliError(`cannot write ${opts.output}: ${e.code}`, EXIT.usage);
    throw err;
  }
  const report = makeReport(issues);
  for (const i of issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
  if (opts.json) process.stderr.write(`${JSON.stringify({ from, to, records: count, report })}\n`);
  const needsRegion = !opts.region && issues.some((i) => i.code === 'legacy-region-mismatch' && i.location?.record !== undefined);
  if (!report.valid) {
    await removeTemp(tmp);
    if (needsRegion) {
      throw new CliError(`the records span several pooling regions and ${to} holds one region's records: choose one with --region (nothing written)`, EXIT.usage);
    }
    process.stderr.write(`jiexu: ${lang === 'zh' ? `输入有误，未写出 ${opts.output}` : `invalid input: ${opts.output} not written`}\n`);
    return EXIT.invalid;
  }
  if (toStdout) {
    try {
      await pipeline(createReadStream(tmp), process.stdout, { end: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err; // the reader stopped early (| head): not our failure
    } finally {
      await removeTemp(tmp);
    }
  } else {
    await rename(tmp, opts.output);
    keepTemp(tmp);
    process.stderr.write(`${lang === 'zh' ? `已转换 ${count} 条记录` : `converted ${count} records`} (${from} → ${to}): ${opts.output}\n`);
  }
  return EXIT.ok;
}
