/**
 * `jiexu ledger <files...> --inputs FILE`: over any set of records (legacy
 * exports, canonical JSONL, `-` for stdin), per province and per year, what the
 * pension funds send, receive, keep and owe under the 2009 rules and under
 * seal-and-pro-rata, side by side (@jiexu/rules ledger). Readable table (zh/en),
 * `--json`, `--csv FILE`, `--svg DIR` (net positions; flows).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openStorage, StorageError, DEFAULT_DATA_DIR } from '@jiexu/platform';
import { regionName } from '@jiexu/standard';
import { checkLedgerInputs, InputsError, Ledger, ledgerCsv, ledgerJson, ledgerResult, type LedgerInputs, type LedgerResult, type LedgerState } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { foreign, readJsonFile, unreadable } from '../file-errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import stringWidth from 'string-width';
import { pad } from '../columns.ts';
import { yuan } from './assess.ts';
import { flowChart, netChart } from './ledger-charts.ts';
import { batches, newPeopleStats, orderOf, people } from '../people/people.ts';
import { PersonPool, workersOption } from '../people/pool.ts';
import { parsePerson } from '../people/records.ts';
import { bundleItems, databaseItems, newPlatformStats, type PlatformStats } from '../people/platform-items.ts';
import { maskedText, withMaskOption } from '../mask-option.ts';

/** People per batch sent to a worker. */
const BATCH = 128;

interface LedgerOptions {
  mask?: boolean;
  inputs: string;
  format?: string;
  grouped?: boolean;
  anyOrder?: boolean;
  json?: boolean;
  csv?: string;
  svg?: string;
  workers?: string;
  operator?: boolean;
  dataDir?: string;
  bundle?: string[];
}

/** The platform's database, as `jiexu stats --operator` opens it: DATABASE_URL, else the PGlite --data-dir. */
async function openOperatorStorage(dataDir: string | undefined) {
  try {
    return await openStorage({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir });
  } catch (err) {
    if (err instanceof StorageError) throw foreign(err, EXIT.usage);
    throw err;
  }
}

/** What the platform's forms said, beside the ledger: cases, forms, forms without records, the funds they named per province. */
export function platformLines(p: PlatformStats, lang: Lang): string {
  const t = (k: keyof typeof H) => say(H[k], lang);
  const colon = lang === 'zh' ? '：' : ': ';
  const out = [`${t('platform')}${colon}${say({ zh: `已办结转移案件 ${p.cases} 件，信息表 ${p.forms} 份，其中 ${p.formsWithoutRecords} 份未附缴费记录（其参保人未计入台账）`, en: `${p.cases} completed transfer cases, ${p.forms} information forms, ${p.formsWithoutRecords} of them without contribution records (their people are not in the ledger)` }, lang)}`];
  const rows = Object.entries(p.recorded).sort(([a], [b]) => a.localeCompare(b));
  if (rows.length) {
    out.push(`${t('recorded')}${colon}`);
    for (const [prov, r] of rows) out.push(`  ${prov}${lang === 'zh' ? ` ${regionName(`${prov}0000`) ?? ''}` : ''}  ${t('sent')} ${yuan(r.sentFen)} (${r.transfersOut})  ${t('received')} ${yuan(r.receivedFen)} (${r.transfersIn})`);
  }
  return out.join('\n');
}

/** Reads and validates an inputs file: unreadable is a usage error (2), invalid is invalid input (1). */
export async function readLedgerInputs(file: string): Promise<LedgerInputs> {
  const value = await readJsonFile(file);
  try {
    return checkLedgerInputs(value);
  } catch (err) {
    if (err instanceof InputsError) throw foreign(err, EXIT.invalid, file);
    throw err;
  }
}

const HELP = {
  description: { zh: '地区台账：按省、按年度列出养老保险基金的转出、转入、留存和养老金责任，对照现行 2009 年办法与封存归集、按比例计发两种制度', en: 'regional ledger: funds sent, received, kept and pension liabilities per province and year, under the 2009 rules and under seal-and-pro-rata' },
  files: { zh: '旧系统导出文件（自动识别格式）、标准 .jsonl，或 - 表示从标准输入读取标准 JSONL', en: 'legacy exports (format detected), canonical .jsonl, or - for canonical JSONL on stdin' },
  inputs: { zh: '平均工资和记账利率（packages/rules/schemas/ledger-inputs.schema.json；样例：examples/ledger/inputs.sample.json）', en: 'average wages and crediting rates (packages/rules/schemas/ledger-inputs.schema.json; sample: examples/ledger/inputs.sample.json)' },
  format: { zh: '所有输入文件的旧系统格式，不再自动识别', en: 'the legacy format of every input file, instead of detecting it' },
  grouped: { zh: '同一参保人的记录是连续的（如 simulate 的输出）：内存中一次只放一人（- 时默认如此）', en: "a person's records are consecutive (as simulate writes them): one person in memory at a time (default for -)" },
  anyOrder: { zh: '记录可按任意顺序排列、分布在多个文件中：先按参保人排序（内存有界，超出时写入临时文件；读取文件时默认如此）', en: "records in any order, a person's spread over several files: sort by person first (bounded memory, spilling to temporary files; the default for files)" },
  json: { zh: '以 JSON 输出结果（金额为整数分）', en: 'the result as JSON (integers in fen)' },
  csv: { zh: '另把各制度、各省、各年度的数字写成 CSV', en: 'also write the figures per regime, province and year as CSV' },
  svg: { zh: '另在该文件夹中写出 net-positions.svg 和 flows.svg', en: 'also write net-positions.svg and flows.svg into this folder' },
  operator: { zh: '另读取平台数据库中已办结的养老保险转移案件（DATABASE_URL，否则 --data-dir）：各信息表所附的缴费记录', en: "also read the completed pension transfers in the platform's database (DATABASE_URL, else --data-dir): the contribution records their information forms carry" },
  dataDir: { zh: `与 --operator 同用时的 PGlite 数据目录（默认 ${DEFAULT_DATA_DIR}）`, en: `PGlite data directory with --operator (default ${DEFAULT_DATA_DIR})` },
  bundle: { zh: '另读取一个案件证据包（jiexu case export 的输出；可重复）：已办结时，其信息表所附的缴费记录', en: 'also read a case bundle (the output of jiexu case export; repeatable): when the case is completed, the records its information forms carry' },
  nothing: { zh: '请给出输入文件，或 --operator、--bundle', en: 'give input files, or --operator, or --bundle' },
  workers: { zh: '用 N 个工作线程解析和汇总（1 到 64；默认：读取标准输入或输入达 32 MB 时为 CPU 核数，否则 1）', en: 'parse and fold in N worker threads (1 to 64; default: the number of cores when reading stdin or 32 MB of input or more, else 1)' },
} satisfies Record<string, Text>;

const H = {
  title: { zh: '地区台账：两种制度下各省的资金与养老金责任（元）', en: 'Regional ledger: funds and pension liabilities by province under two regimes (yuan)' },
  province: { zh: '省', en: 'prov.' },
  t2009: { zh: '现行（2009年办法）', en: '2009 rules' },
  seal: { zh: '封存与按比例计发', en: 'seal and pro-rata' },
  sent: { zh: '转出', en: 'sent' },
  received: { zh: '转入', en: 'received' },
  kept: { zh: '留存', en: 'kept' },
  liability: { zh: '养老金责任', en: 'liability' },
  net: { zh: '净头寸', en: 'net' },
  diff: { zh: '差额（封存−现行）', en: 'difference (seal − 2009)' },
  total: { zh: '合计', en: 'total' },
  people: { zh: '人数', en: 'people' },
  skipped: { zh: '未计入', en: 'not counted' },
  inputs: { zh: '所用输入', en: 'inputs used' },
  valuation: { zh: '估值年度', en: 'valuation year' },
  wages: { zh: '平均工资', en: 'average wages' },
  missingRates: { zh: '缺记账利率的年份（按0计）', en: 'years without a crediting rate (taken as 0)' },
  approximations: { zh: '近似与假设', en: 'approximations' },
  transfers: { zh: '转移人次（入/出）', en: 'transfers (in/out)' },
  database: { zh: '平台数据库', en: 'platform database' },
  platform: { zh: '平台', en: 'platform' },
  recorded: { zh: '信息表所载资金（元，人次）', en: 'funds named in the forms (yuan, transfers)' },
} satisfies Record<string, Text>;


export function ledgerTable(r: LedgerResult, lang: Lang): string {
  const t = (k: keyof typeof H) => say(H[k], lang);
  const a = r.regimes['transfer-2009'];
  const b = r.regimes['seal-pro-rata'];
  const [colon, comma, semi] = lang === 'zh' ? ['：', '，', '；'] : [': ', ', ', '; '];
  const out: string[] = [t('title'), `${t('people')} ${r.people}${comma}${t('skipped')} ${r.skipped}`];
  const provinces = Object.keys(r.differenceFen);
  type Totals = LedgerResult['regimes']['transfer-2009']['totals'] | undefined;
  const money = (v: bigint | number | undefined) => yuan(v === undefined ? 0 : Number(v));
  const cells = (label: string, x: Totals, y: Totals, d: bigint) => [label, ...[x?.sentFen, x?.receivedFen, x?.keptFen, x?.liabilityFen, x?.netFen].map(money), `${x?.transfersIn ?? 0}/${x?.transfersOut ?? 0}`, ...[y?.keptFen, y?.liabilityFen, y?.netFen].map(money), money(d)];
  const head = [t('province'), t('sent'), t('received'), t('kept'), t('liability'), t('net'), t('transfers'), t('kept'), t('liability'), t('net'), ''];
  const rows = [...provinces.map((p) => cells(`${p} ${lang === 'zh' ? (regionName(`${p}0000`) ?? '') : ''}`.trim(), a.provinces[p], b.provinces[p], r.differenceFen[p])), cells(t('total'), a.totals, b.totals, b.totals.netFen - a.totals.netFen)];
  // every column as wide as its widest cell (display width: a Chinese character takes two columns) and two spaces
  const widths = head.map((_, k) => Math.max(...[head, ...rows].map((row) => stringWidth(row[k]))) + 2);
  const span = (from: number, to: number) => widths.slice(from, to).reduce((x, y) => x + y, 0);
  out.push(`${pad('', widths[0])}${pad(`| ${t('t2009')}`, span(1, 7))}${pad(`| ${t('seal')}`, span(7, 10))}| ${t('diff')}`);
  const line = (row: string[]) => row.map((c, k) => pad(c, widths[k], k > 0)).join('').trimEnd();
  out.push(line(head));
  for (const row of rows) out.push(line(row));
  const file = r.inputs.file ? (lang === 'zh' ? `（${r.inputs.file}）` : ` (${r.inputs.file})`) : '';
  out.push('', `${t('inputs')}${colon}${t('valuation')} ${r.inputs.valuationYear}${semi}${t('wages')} ${Object.entries(r.inputs.averageWages).map(([p, f]) => `${p}:${f}`).join(' ')}${semi}${Object.values(r.inputs.sourceTitles).join(semi)}${file}`);
  if (r.inputs.missingRateYears.length) out.push(`${t('missingRates')}${colon}${r.inputs.missingRateYears.join(', ')}`);
  out.push(`${t('approximations')}${colon.trimEnd()}`, ...r.approximations.map((x) => `  - ${x[lang]}`));
  return out.join('\n');
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  withMaskOption(program.command('ledger'), lang)
    .description(h.description)
    .argument('[files...]', h.files)
    .requiredOption('--inputs <file>', h.inputs)
    .option('--format <format>', h.format)
    .option('--grouped', h.grouped)
    .option('--any-order', h.anyOrder)
    .option('--json', h.json)
    .option('--csv <file>', h.csv)
    .option('--svg <dir>', h.svg)
    .option('--workers <n>', h.workers)
    .option('--operator', h.operator)
    .option('--data-dir <dir>', h.dataDir)
    .option('--bundle <file>', h.bundle, (v: string, prev: string[] = []) => [...prev, v])
    .action(async (files: string[], opts: LedgerOptions) => {
      if (!files.length && !opts.operator && !opts.bundle) throw new CliError(HELP.nothing, EXIT.usage);
      const inputs = await readLedgerInputs(opts.inputs);
      const workers = workersOption(opts.workers, files);
      const order = orderOf(files, opts);
      const ledger = new Ledger(inputs);
      const stats = newPeopleStats();
      const platform = opts.operator || opts.bundle ? newPlatformStats() : undefined;
      // where each item came from, for messages: the files, the bundles, the platform's database
      const names = [...files, ...(opts.bundle ?? []), ...(opts.operator ? [say(H.database, lang)] : [])];
      const more = [];
      if (opts.bundle) more.push(bundleItems(opts.bundle, files.length, stats, platform!));
      const storage = opts.operator ? await openOperatorStorage(opts.dataDir) : undefined;
      if (storage) more.push(databaseItems(storage.db, names.length - 1, stats, platform!));
      // a platform-only run is not from stdin: every record through the sort
      const source = people(files, { format: opts.format, order: more.length ? 'any' : order, lang, dedupe: more.length > 0 }, stats, more);
      try {
        if (workers > 1) {
          const pool = new PersonPool<LedgerState>(workers, { kind: 'ledger', inputs, files: names, lang }, (r) => {
            stats.invalid += r.invalid;
            for (const p of r.problems) process.stderr.write(`${p}\n`);
          });
          try {
            for await (const batch of batches(source, BATCH)) await pool.send(batch);
            for (const s of await pool.end()) ledger.merge(s);
          } finally {
            await pool.close();
          }
        } else {
          for await (const p of source) {
            const parsed = parsePerson(p.items, names, lang);
            stats.invalid += parsed.invalid;
            for (const line of parsed.problems) process.stderr.write(`${line}\n`);
            if (parsed.records.length) ledger.addPerson(parsed.records);
          }
        }
      } finally {
        await storage?.close();
      }
      const result = ledgerResult(ledger, opts.inputs);
      if (opts.csv) await writeOut(opts.csv, maskedText(ledgerCsv(result), opts));
      if (opts.svg) {
        try {
          await mkdir(opts.svg, { recursive: true });
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          throw new CliError({ zh: `${opts.svg}：无法创建文件夹（${code}）`, en: `${opts.svg}: cannot create (${code})` }, EXIT.usage);
        }
        await writeOut(join(opts.svg, 'net-positions.svg'), maskedText(netChart(result, lang), opts));
        await writeOut(join(opts.svg, 'flows.svg'), maskedText(flowChart(result, lang), opts));
      }
      // the platform's block goes first in the JSON object: the rest is the rules' exact (BigInt-aware) text
      const json = () => (platform ? ledgerJson(result).replace(/^\{/, `{"platform":${JSON.stringify(platform)},`) : ledgerJson(result));
      process.stdout.write(opts.json ? `${json()}\n` : `${ledgerTable(result, lang)}\n${platform ? `${platformLines(platform, lang)}\n` : ''}`);
      process.exitCode = stats.invalid > 0 ? EXIT.invalid : EXIT.ok;
    });
}

async function writeOut(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError({ zh: `${file}：无法写入（${code}）`, en: `${file}: cannot write (${code})` }, EXIT.usage);
  }
}
