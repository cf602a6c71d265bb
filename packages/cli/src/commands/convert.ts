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
import { withMaskOption } from '../mask-option.ts';
import { AdapterError, CANONICAL, decode, detectFormat, encode, formats, keepTemp, removeTemp, trackTemp, writeRecords, writesFolder, type ContributionRecord, type Decoding, type EncodeOptions, type WriterOptions } from '@jiexu/adapters';
import { formatIssue, makeReport, strictly, type Issue } from '@jiexu/standard';
import { CliError, EXIT } from '../errors.ts';
import { foreign, noSuchFileOrFolder, notAFileOrFolder, unwritable } from '../file-errors.ts';
import { say, type Lang, type Text } from '../lang.ts';
import { Progress } from './progress.ts';
import { withFormatDirs } from '../format-dirs.ts';
import { addLimitOptions, limitsFrom } from './limits.ts';

const T = {
  description: { zh: '在各地旧系统格式与标准缴费记录（JSONL）之间转换', en: 'convert between legacy regional formats and canonical records (JSONL)' },
  input: { zh: '输入文件（- 表示标准输入）', en: 'input file (- for stdin)' },
  from: { zh: '输入格式；不指定时自动识别', en: 'input format; detected when left out' },
  to: { zh: '输出格式', en: 'output format' },
  output: { zh: '输出文件（- 表示标准输出）', en: 'output file (- for stdout)' },
  region: { zh: '只写出该统筹地区的记录（记录跨多个统筹地区而输出格式只容纳一个地区时必须指定）', en: 'write only this pooling region (needed when the records span several regions and the output format holds one)' },
  strict: { zh: '警告也算作错误', en: 'treat warnings as errors' },
  json: { zh: '在标准错误上输出 JSON 格式的报告', en: 'print the report as JSON on stderr' },
  progress: { zh: '转换中', en: 'converting' },
  writerOption: { zh: '覆盖输出格式映射中的写出选项（`recordsPerPart`、`pageSize` 等；可重复）', en: "a writer option over the output format's mapping (recordsPerPart, pageSize …; repeatable)" },
  fromStdin: { zh: '从标准输入读取时必须给出 --from', en: '--from is needed when reading stdin' },
} satisfies Record<string, Text>;

/** The two closing lines of a conversion, to a file or to a folder of parts. */
const notWritten = (output: string): Text => ({ zh: `输入有误，未写出 ${output}`, en: `invalid input: ${output} not written` });
const converted = (count: number, from: string, to: string, output: string): Text => ({ zh: `已转换 ${count} 条记录（${from} → ${to}）：${output}`, en: `converted ${count} records (${from} → ${to}): ${output}` });

interface ConvertOptions {
  from?: string;
  to: string;
  output: string;
  region?: string;
  strict?: boolean;
  json?: boolean;
  writerOption?: WriterOptions;
}

/** `--writer-option name=value`: a whole number stays a number, true/false a boolean, anything else text. */
function writerOption(value: string, previous: WriterOptions = {}): WriterOptions {
  const m = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/.exec(value);
  if (!m) throw new CliError({ zh: `--writer-option 须为 名称=值（如 pageSize=500），而不是 "${value}"`, en: `--writer-option must be name=value (e.g. pageSize=500), got "${value}"` }, EXIT.usage);
  const v = m[2];
  return { ...previous, [m[1]]: /^[0-9]{1,15}$/.test(v) ? Number(v) : v === 'true' ? true : v === 'false' ? false : v };
}

const known = (): string[] => [...formats.map((f) => f.name), CANONICAL];

function checkFormat(name: string, option: string): string {
  if (!known().includes(name)) throw new CliError({ zh: `${option}：未知格式 "${name}"；已知格式：${known().join(', ')}`, en: `${option}: unknown format "${name}"; known: ${known().join(', ')}` }, EXIT.usage);
  return name;
}

export function register(program: Command, lang: Lang): void {
  // the report is on stderr; stdout may carry the converted records (-o -), never masked
  withMaskOption(addLimitOptions(withFormatDirs(program.command('convert'), lang), lang), lang, ['stderr'])
    .description(say(T.description, lang))
    .argument('<input>', say(T.input, lang))
    .option('--from <format>', `${say(T.from, lang)} (${known().join(', ')})`)
    .requiredOption('--to <format>', `${say(T.to, lang)} (${known().join(', ')})`)
    .requiredOption('-o, --output <file>', say(T.output, lang))
    .option('--region <code>', say(T.region, lang))
    .option('--writer-option <name=value>', say(T.writerOption, lang), writerOption)
    .option('--strict', say(T.strict, lang))
    .option('--json', say(T.json, lang))
    .action(async (input: string, opts: ConvertOptions) => {
      process.exitCode = await convert(input, opts, lang);
    });
}

async function convert(input: string, opts: ConvertOptions, lang: Lang): Promise<number> {
  const to = checkFormat(opts.to, '--to');
  const limits = limitsFrom(opts);
  if (opts.region !== undefined && !/^[1-9][0-9]{5}$/.test(opts.region)) throw new CliError({ zh: `--region 须为六位统筹地区代码，而不是 "${opts.region}"`, en: `--region must be a six-digit pooling region code, got "${opts.region}"` }, EXIT.usage);
  if (input !== '-') {
    const st = await stat(input).catch(() => undefined);
    if (!st) throw noSuchFileOrFolder(input);
    if (!st.isFile() && !st.isDirectory()) throw notAFileOrFolder(input);
  }
  let from = opts.from !== undefined ? checkFormat(opts.from, '--from') : undefined;
  if (from === undefined) {
    if (input === '-') throw new CliError(T.fromStdin, EXIT.usage);
    from = await detectFormat(input);
    if (from === undefined) throw new CliError({ zh: `${input}：无法识别其格式，请用 --from 指定（${known().join(', ')}）`, en: `${input}: cannot tell its format; give --from (${known().join(', ')})` }, EXIT.usage);
  }

  const encodeOpts: EncodeOptions = { ...(opts.region !== undefined ? { region: opts.region } : {}), ...(opts.writerOption ? { writer: opts.writerOption } : {}) };
  let folderOut: boolean;
  try {
    folderOut = writesFolder(to, encodeOpts);
  } catch (err) {
    if (err instanceof AdapterError) throw new CliError({ zh: `--writer-option：${(err as { zh?: string }).zh ?? err.message}`, en: `--writer-option: ${err.message}` }, EXIT.usage);
    throw err;
  }
  if (folderOut) return convertToFolder(input, from, to, opts, encodeOpts, lang);
  const toStdout = opts.output === '-';
  const tmp = toStdout ? join(tmpdir(), `jiexu-convert-${process.pid}-${Date.now()}.tmp`) : join(dirname(opts.output), `.${basename(opts.output)}.${process.pid}.tmp`);
  trackTemp(tmp); // removed on every way out, an interrupt included
  const progress = new Progress(say(T.progress, lang), lang);
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
      throw unwritable(opts.output, err);
    });
    let encodeReport;
    try {
      encodeReport = (await encode(to, counted, out, encodeOpts)).report;
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
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage);
    const e = err as NodeJS.ErrnoException;
    if (e?.code && typeof e.code === 'string' && e.code.startsWith('E')) throw unwritable(opts.output, e);
    throw err;
  }
  const report = makeReport(issues);
  for (const i of issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
  if (opts.json) process.stderr.write(`${JSON.stringify({ from, to, records: count, report })}\n`);
  const needsRegion = !opts.region && issues.some((i) => i.code === 'legacy-region-mismatch' && i.location?.record !== undefined);
  if (!report.valid) {
    await removeTemp(tmp);
    if (needsRegion) {
      throw new CliError({ zh: `这些记录跨多个统筹地区，而 ${to} 只容纳一个地区的记录：请用 --region 选定一个（未写出任何文件）`, en: `the records span several pooling regions and ${to} holds one region's records: choose one with --region (nothing written)` }, EXIT.usage);
    }
    process.stderr.write(`jiexu: ${say(notWritten(opts.output), lang)}\n`);
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
    process.stderr.write(`${say(converted(count, from, to, opts.output), lang)}\n`);
  }
  return EXIT.ok;
}

/** Output as a folder of parts (pages, recordsPerPart): written by the adapters into a temporary folder, renamed into place only on success. */
async function convertToFolder(input: string, from: string, to: string, opts: ConvertOptions, encodeOpts: EncodeOptions, lang: 'zh' | 'en'): Promise<number> {
  if (opts.output === '-') throw new CliError({ zh: `${to} 写出的是分块文件夹：-o 须给出文件夹，不能是 -`, en: `${to} writes a folder of parts: give a folder with -o, not -` }, EXIT.usage);
  let count = 0;
  let decoding: Decoding;
  let encodeReport;
  try {
    decoding = decode(from, input === '-' ? process.stdin : input, { strict: opts.strict });
    const counted = (async function* (): AsyncGenerator<ContributionRecord> {
      for await (const batch of decoding.batches()) {
        count += batch.length;
        yield* batch;
      }
    })();
    // the decode report decides too: records are written only when both are valid
    const gated = (async function* (): AsyncGenerator<ContributionRecord> {
      yield* counted;
      if (!decoding.report.valid) throw new InvalidInput();
    })();
    encodeReport = (await writeRecords(gated, to, opts.output, encodeOpts).catch((err: unknown) => {
      if (err instanceof InvalidInput) return { report: undefined };
      throw err;
    })).report;
  } catch (err) {
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage);
    throw err;
  }
  const issues: Issue[] = [...decoding.report.issues, ...(encodeReport ? (opts.strict ? strictly(encodeReport.issues) : encodeReport.issues) : [])];
  const report = makeReport(issues);
  for (const i of issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
  if (opts.json) process.stderr.write(`${JSON.stringify({ from, to, records: count, report })}\n`);
  if (!report.valid || !encodeReport) {
    process.stderr.write(`jiexu: ${say(notWritten(opts.output), lang)}\n`);
    return EXIT.invalid;
  }
  process.stderr.write(`${say(converted(count, from, to, opts.output), lang)}\n`);
  return EXIT.ok;
}

/** Thrown into the writer when the input turned out invalid: the folder must not be renamed into place. */
class InvalidInput extends Error {}
