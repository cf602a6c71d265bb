/**
 * `jiexu assess <files>...`: reads legacy exports (any format, detected or
 * --format) and canonical JSONL, merges each person's records across files and
 * reports where their rights stand under the statutory rules (@jiexu/rules).
 * JSON: one object per person per line. Exit 0 all assessed, 1 input errors
 * left someone unassessed, 2 usage or I/O error.
 */
import type { Command } from 'commander';
import { withMaskOption } from '../mask-option.ts';
import { AdapterError, readRecords, type Limits } from '@jiexu/adapters';
import { addLimitOptions, limitsFrom } from './limits.ts';
import { codeLabel, formatIssue, type Issue } from '@jiexu/standard';
import { assessPerson, cite, type Assessment, type AssessOptions as RuleOptions, type ContributionRecord, type PensionAssessment, type UnemploymentAssessment, type OtherSchemeAssessment, type ConversionAnswer } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { foreign, readJsonFile, unreadable } from '../file-errors.ts';
import type { CliIssueCode } from '../issue-codes.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { pad } from '../columns.ts';
import { withFormatDirs } from '../format-dirs.ts';
import { batches, newPeopleStats, orderOf, people } from '../people/people.ts';
import { PersonPool, workersOption, type WorkPerson } from '../people/pool.ts';
import { parsePerson } from '../people/records.ts';

export interface Inputs {
  /** Every record read, by person. */
  byPerson: Map<string, ContributionRecord[]>;
  /** Issues of the inputs themselves (file, line…). */
  issues: Issue[];
  /** People named in a file whose reading had errors: their history may be incomplete. */
  incomplete: Map<string, string[]>;
  /** Files with errors whose records name no person we could tell. */
  filesWithErrors: string[];
}

/** Reads every input; I/O and unknown formats are usage errors (exit 2). */
export async function readInputs(files: string[], format?: string, limits?: Partial<Limits>): Promise<Inputs> {
  const byPerson = new Map<string, ContributionRecord[]>();
  const issues: Issue[] = [];
  const incomplete = new Map<string, string[]>();
  const filesWithErrors: string[] = [];
  for (const file of files) {
    let result: Awaited<ReturnType<typeof readRecords>>;
    try {
      result = await readRecords(file, { ...(format ? { format } : {}), limits });
    } catch (err) {
      if (err instanceof AdapterError) throw foreign(err, EXIT.usage, file);
      const e = err as NodeJS.ErrnoException;
      if (e?.code) throw unreadable(file, e);
      throw err;
    }
    for (const i of result.report.issues) issues.push({ ...i, location: { file, ...i.location } });
    const hasErrors = !result.report.valid;
    if (hasErrors) filesWithErrors.push(file);
    for (const rec of result.records) {
      const id = rec.person.id;
      const list = byPerson.get(id);
      if (list) list.push(rec);
      else byPerson.set(id, [rec]);
      if (hasErrors) {
        const files = incomplete.get(id) ?? [];
        if (!files.includes(file)) files.push(file);
        incomplete.set(id, files);
      }
    }
  }
  return { byPerson, issues, incomplete, filesWithErrors };
}

/** Today in China (+08:00). */
export function todayInChina(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

export function checkDate(value: string, option: string): string {
  const t = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== value) {
    throw new CliError({ zh: `${option} 须为 YYYY-MM-DD 格式的日期，而不是 "${value}"`, en: `${option} must be a date YYYY-MM-DD, got "${value}"` }, EXIT.usage);
  }
  return value;
}

/** A six-digit region code option, or a usage error. */
export function checkRegion(value: string, option: string): string {
  if (!/^[1-9]\d{5}$/.test(value)) throw new CliError({ zh: `${option} 须为 6 位行政区划代码，而不是 "${value}"`, en: `${option} must be a 6-digit region code, got "${value}"` }, EXIT.usage);
  return value;
}

/** An 18-character citizen ID option, or a usage error. */
export function checkPerson(value: string): string {
  if (!/^\d{17}[\dX]$/.test(value)) throw new CliError({ zh: `--person 须为 18 位公民身份号码，而不是 "${value}"`, en: `--person must be an 18-character 公民身份号码 (citizen ID), got "${value}"` }, EXIT.usage);
  return value;
}

/** No records of the person in the inputs (exit 1). */
export function noRecordsOf(person: string): CliError {
  return new CliError({ zh: `输入中没有参保人 ${person} 的记录`, en: `no records of person ${person} in the inputs` }, EXIT.invalid);
}

/** Fen as yuan with two decimals, exactly. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, ',')}.${s.slice(-2)}`;
}

/** The report's words; scheme names are the standard's code list (scheme.json). */
const T = {
  person: { zh: '参保人', en: 'Person' },
  hukou: { zh: '户籍地', en: 'hukou' },
  from: {
    option: { zh: '参数', en: 'option' },
    records: { zh: '记录', en: 'records' },
    'citizen-id': { zh: '身份号码地址码', en: 'ID address code' },
    unknown: { zh: '未知', en: 'unknown' },
  },
  scheme: { zh: '险种', en: 'Scheme' },
  paid: { zh: '实缴月数', en: 'paid months' },
  overlap: { zh: '多地重复月数', en: 'months paid in more than one region' },
  province: { zh: '省', en: 'province' },
  pooled: { zh: '统筹基金转移额', en: 'pooled fund moved' },
  account: { zh: '个人账户', en: 'individual account' },
  benefit: { zh: '待遇领取地', en: 'benefit province' },
  minimum: { zh: '最低缴费年限', en: 'minimum for a monthly pension' },
  retires: { zh: '法定退休日期', en: 'retirement date' },
  needs: { zh: '需缴费月数', en: 'months needed' },
  short: { zh: '尚缺', en: 'short by' },
  duplicates: { zh: '重复缴费', en: 'duplicates' },
  keep: { zh: '保留', en: 'keep' },
  refund: { zh: '退还个人缴费', en: 'refund of individual contributions' },
  eu: { zh: '欧盟模式比较（按比例）', en: 'EU-style comparison (pro-rata)' },
  share: { zh: '份额', en: 'share' },
  proRata: { zh: '按比例金额', en: 'pro-rata' },
  benefitMonths: { zh: '可领取失业保险金月数', en: 'benefit months' },
  gaps: { zh: '中断', en: 'gaps' },
  continuity: { zh: '连续', en: 'continuous' },
  notContinuous: { zh: '不连续，可能有最长6个月等待期', en: 'not continuous: a waiting period of up to 6 months may apply' },
  warnings: { zh: '提示', en: 'warnings' },
  rules: { zh: '适用规则', en: 'rules applied' },
  lacking: { zh: '缺少的数据', en: 'data lacking' },
  notAssessed: { zh: '未评估：输入有误', en: 'NOT ASSESSED: the inputs have errors' },
  refundedLeave: { zh: '退还月份不计入该地统筹基金', en: 'refunded months leave that region\'s pooled fund' },
  payable: { zh: '应付', en: 'payable' },
  credited: { zh: '视同/折算月数', en: 'deemed/converted months' },
  accountPension: { zh: '个人账户养老金', en: 'individual-account pension' },
  interpolated: { zh: '插值，未经确认', en: 'interpolated, UNCONFIRMED' },
  gathering: { zh: '封存归集', en: 'seal and gather' },
  at: { zh: '于', en: 'at' },
  interest: { zh: '利息', en: 'interest' },
  gathered: { zh: '归集', en: 'gathered' },
  total: { zh: '合计', en: 'total' },
  conversion: { zh: '职工↔居民养老保险衔接', en: 'employee ↔ resident pension' },
  reached: { zh: '已达退休年龄', en: 'retirement age reached' },
  notReached: { zh: '未达退休年龄：衔接只在达到退休年龄时办理', en: 'retirement age not reached: the conversion happens at retirement age only' },
  reachedUnknown: { zh: '是否已达退休年龄因类别而异', en: 'whether retirement age is reached depends on the category' },
  direction: {
    'employee-to-resident': { zh: '职工转居民（职工缴费年限不足）', en: 'employee → resident (employee years short)' },
    'resident-to-employee': { zh: '居民转职工', en: 'resident → employee' },
  },
  countedAfter: { zh: '衔接后计算月数', en: 'months counted after' },
  balanceMoves: { zh: '转移账户余额', en: 'balance moving' },
  overlapRefund: { zh: '重叠月退还', en: 'overlap refund' },
  rates1999: { zh: '按1999年费率（单位2%、个人1%）', en: 'at the 1999 rates (employer 2%, employee 1%)' },
  recorded: { zh: '记录', en: 'recorded' },
  atRates: { zh: '符合费率月数', en: 'months at those rates' },
  remainderDays: { zh: '未满一月的天数', en: 'days short of a month' },
  category: {
    male: { zh: '男', en: 'male' },
    'female-50': { zh: '女（原50岁）', en: 'female (originally 50)' },
    'female-55': { zh: '女（原55岁）', en: 'female (originally 55)' },
  },
  benefitRule: {
    'hukou-relationship': { zh: '关系在户籍省 (10a)', en: 'relationship in the hukou province (10a)' },
    'current-10y': { zh: '关系所在省满10年 (10b)', en: '10 years where the relationship is (10b)' },
    'previous-10y': { zh: '上一个满10年的省 (10c)', en: 'previous province with 10 years (10c)' },
    'hukou-fallback': { zh: '各省均不满10年，归户籍地 (10d)', en: 'no province with 10 years: hukou place (10d)' },
  },
  inputsWithErrors: { zh: '有错误的输入', en: 'inputs with errors' },
} satisfies Record<string, Text | Record<string, Text>>;

/** The scheme's name from the standard's code list, with its code: `失业保险 (210)`. */
function schemeName(code: string, lang: Lang): string {
  return `${codeLabel('scheme', code, lang) ?? say(T.scheme, lang)} (${code})`;
}

const HELP = {
  description: { zh: '根据旧系统导出文件和标准 JSONL 评估参保人权益：实缴月数、转移的资金、待遇领取地、最低缴费年限、失业保险金月数', en: 'assess people from legacy exports and canonical JSONL: paid months, funds that move, benefit place, minimum years, unemployment months' },
  files: { zh: '旧系统导出文件（自动识别格式）、标准 .jsonl 文件，或 -（从标准输入读取标准 JSONL）', en: 'legacy export files (format detected), canonical .jsonl, or - for canonical JSONL on stdin' },
  person: { zh: '只评估此公民身份号码', en: 'only this 公民身份号码 (citizen ID)' },
  hukou: { zh: '户籍地县级代码（6 位）；不指定时取记录中的户籍地，再不行取身份号码地址码（会提示）', en: 'hukou (户籍) county code (6 digits); else from the records, else the ID address code (warned)' },
  asOf: { zh: '评估基准日，YYYY-MM-DD（默认今天，北京时间）', en: 'the day to assess for, YYYY-MM-DD (default today, China time)' },
  format: { zh: '所有输入文件的旧系统格式，不再自动识别', en: 'the legacy format of every input, instead of detecting it' },
  femaleCategory: { zh: '女性的原法定退休年龄：50（工人）或 55（干部）；不指定时两种结果都给出', en: "a woman's original retirement age, 50 (worker) or 55 (cadre); without it both answers" },
  deemed: { zh: '某省的视同缴费月数，计入满 10 年和最低缴费年限（可重复）', en: 'months deemed paid (视同缴费年限) in a province, for the 10 years and the minimum (repeatable)' },
  theoretical: { zh: '欧盟模式比较：某省的理论月待遇，单位分（可重复）', en: 'EU comparison: theoretical monthly amount of a province, fen (repeatable)' },
  national: { zh: '欧盟模式比较：某省按全国口径的月待遇，单位分；取较高者（可重复）', en: 'EU comparison: the national monthly amount of a province, fen; the higher is paid (repeatable)' },
  averageWages: { zh: '欧盟模式比较，按国发〔2005〕38号公式：各省职工月平均工资的 JSON 文件，单位分', en: 'EU comparison by the 国发〔2005〕38号 formula: JSON of provincial average monthly wages in fen' },
  amounts: { zh: '欧盟模式比较，逐人给出：JSON {"<身份号码>": {"theoreticalFen": {...}, "nationalFen": {...}}}（用于多人评估）', en: 'EU comparison per person: JSON {"<ID>": {"theoreticalFen": {...}, "nationalFen": {...}}} (for runs over several people)' },
  dayPeriod: { zh: '某省以天计的期间，按 987/2009 第13条换算（每周 5、6 或 7 天）并计入欧盟模式合计（可重复）', en: 'a period given in days in a province, converted by 987/2009 art. 13 (week 5, 6 or 7) and added to the EU totals (repeatable)' },
  inputs: { zh: '台账输入文件（记账利率）：计算退休时的封存归集（规则 13）', en: 'ledger inputs file (crediting rates): computes seal-and-gather at the retirement date (rule 13)' },
  grouped: { zh: '同一参保人的记录是连续的（如 simulate 的输出）：逐人评估，按输入顺序，内存中一次只放一人（- 时默认如此）', en: "a person's records are consecutive (e.g. simulate's output): assess a person at a time, in input order, one person in memory (default for -)" },
  anyOrder: { zh: '记录可按任意顺序排列、分布在多个文件中：先按参保人排序，按身份号码顺序评估（内存有界，超出时写入临时文件；读取文件时默认如此）', en: "records in any order, a person's spread over several files: sort by person first, assess in id order (bounded memory, spilling to temporary files; the default for files)" },
  workers: { zh: '用 N 个工作线程评估（1 到 64；默认：读取标准输入或输入达 32 MB 时为 CPU 核数，否则 1）；输出与线程数无关', en: 'assess in N worker threads (1 to 64; default: the number of cores when reading stdin or 32 MB of input or more, else 1); the output does not depend on it' },
  json: { zh: '每位参保人输出一行 JSON', en: 'one JSON object per person per line' },
} satisfies Record<string, Text>;


function conversionLine(c: ConversionAnswer, lang: Lang): string {
  const t = inLang(T, lang);
  const when = c.retirementAgeReached === true ? t.reached : c.retirementAgeReached === false ? t.notReached : t.reachedUnknown;
  return `${t.conversion}: ${t.direction[c.direction]}; ${t.countedAfter} ${c.monthsCountedAfter}; ${t.balanceMoves} ${yuan(c.balanceMovesFen)}${c.overlapMonths ? `; ${t.overlapRefund} ${c.overlapMonths} / ${yuan(c.refundFen)}` : ''}; ${when} (${c.retirementDates.join(', ')})`;
}

export function humanReport(a: Assessment, lang: Lang): string {
  const t = inLang(T, lang);
  const out: string[] = [];
  out.push(`${t.person} ${a.person}  ${t.hukou} ${a.hukou.code ?? '—'} (${t.from[a.hukou.source]})`);
  if (!a.assessed) out.push(`  ${t.notAssessed}`);
  const p = a.schemes['110'] as PensionAssessment | undefined;
  if (p) {
    out.push(`  ${schemeName('110', lang)}: ${t.paid} ${p.paidMonths}, ${t.overlap} ${p.overlapMonths}`);
    out.push(`    ${pad(t.province, 10)}${pad(t.paid, 14)}${pad(t.pooled, 20)}${t.account}`);
    for (const x of p.byProvince) out.push(`    ${pad(x.province, 10)}${pad(String(x.paidMonths), 14)}${pad(yuan(x.pooledFund), 20)}${yuan(x.individualAccount)}`);
    out.push(`    ${t.benefit}: ${p.benefitProvince ?? '—'} — ${t.benefitRule[p.benefitRule]}`);
    for (const m of p.minimum) {
      out.push(`    ${t.minimum} [${t.category[m.category]}]: ${t.retires} ${m.retirementDate} (${say({ zh: `${m.retirementAge.years}岁${m.retirementAge.months}个月`, en: `${m.retirementAge.years}y${m.retirementAge.months}m` }, lang)}), ${t.needs} ${m.requiredMonths}, ${t.paid} ${m.paidMonths}${m.shortfallMonths ? `, ${t.short} ${m.shortfallMonths}` : ''}`);
    }
    for (const d of p.duplicates) out.push(`    ${t.duplicates}: ${d.from}..${d.to} (${d.months}) ${d.regions.join('+')}; ${t.keep} ${d.keep}; ${t.refund} ${Object.entries(d.refundIndividualFen).map(([r, f]) => `${r} ${yuan(f)}`).join(', ')} (${t.refundedLeave})`);
    out.push(`    ${t.eu}: ${p.eu.byProvince.map((x) => `${x.province} ${t.share} ${x.share.numerator}/${x.share.denominator}${x.creditedMonths ? ` (${t.credited} ${x.creditedMonths})` : ''}${x.proRataFen !== null ? ` ${t.proRata} ${yuan(x.proRataFen)}` : ''}${x.payableFen !== null ? ` ${t.payable} ${yuan(x.payableFen)}` : ''}`).join('; ')}`);
    if (p.eu.remainderDays) out.push(`      ${t.remainderDays}: ${Object.entries(p.eu.remainderDays).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const x of p.accountPension) {
      out.push(`    ${t.accountPension} [${t.category[x.category]}]: ${yuan(x.balanceFen)} ÷ ${x.divisor ?? '—'}${x.interpolated ? ` (${t.interpolated})` : ''} = ${yuan(x.accountPensionFen)}`);
    }
    for (const g of p.gathering) {
      out.push(`    ${t.gathering} [${t.category[g.category]}] ${t.at} ${g.benefitDate}: ${g.places.map((x) => `${x.province} ${t.account} ${yuan(x.accountFen)} (${x.balanceYear}) + ${t.interest} ${yuan(x.interestFen)} + ${t.pooled} ${yuan(x.pooledFundFen)} = ${t.gathered} ${yuan(x.gatheredFen)}`).join('; ')}; ${t.total} ${yuan(g.totalFen)}`);
    }
    if (p.conversion) out.push(`    ${conversionLine(p.conversion, lang)}`);
    if (p.lacking.length) out.push(`    ${t.lacking}: ${p.lacking.map((l) => l.message[lang]).join(lang === 'zh' ? '；' : '; ')}`);
  }
  const u = a.schemes['210'] as UnemploymentAssessment | undefined;
  if (u) {
    out.push(`  ${schemeName('210', lang)}: ${t.paid} ${u.paidMonths}, ${t.overlap} ${u.overlapMonths}; ${t.benefitMonths} ${u.benefitMonths}`);
    const r = u.rates1999;
    out.push(`    ${t.rates1999}: ${yuan(r.employerAt1999Fen)} + ${yuan(r.employeeAt1999Fen)}; ${t.recorded} ${yuan(r.employerRecordedFen)} + ${yuan(r.employeeRecordedFen)}; ${t.atRates} ${r.atRatesMonths}/${r.atRatesMonths + r.otherMonths}`);
  }
  for (const [scheme, s] of Object.entries(a.schemes)) {
    if (scheme === '110' || scheme === '210' || !s) continue;
    const o = s as OtherSchemeAssessment;
    const gaps = o.gaps?.length ? `; ${t.gaps}: ${o.gaps.map((g) => `${g.from}..${g.to} (${g.months}, ${g.keepsContinuity ? t.continuity : t.notContinuous})`).join(', ')}` : '';
    out.push(`  ${schemeName(scheme, lang)}: ${t.paid} ${o.paidMonths}, ${t.overlap} ${o.overlapMonths}${gaps}`);
    if (o.conversion) out.push(`    ${conversionLine(o.conversion, lang)}`);
  }
  if (a.issues.length) {
    out.push(`  ${t.warnings}:`);
    for (const i of a.issues) out.push(`    ${formatIssue(i, lang)}`);
  }
  if (a.rulesApplied.length) {
    out.push(`  ${t.rules}:`);
    for (const r of a.rulesApplied) out.push(`    ${r.id}: ${cite(r.id, lang)} — ${r.title[lang]}`);
  }
  return out.join('\n');
}

interface CommandOptions {
  inputs?: string;
  dayPeriod?: Record<string, { days: number; week: 5 | 6 | 7 }>;
  amounts?: string;
  deemed?: Record<string, number>;
  theoretical?: Record<string, number>;
  national?: Record<string, number>;
  averageWages?: string;
  grouped?: boolean;
  anyOrder?: boolean;
  workers?: string;
  person?: string;
  hukou?: string;
  asOf?: string;
  format?: string;
  json?: boolean;
  femaleCategory?: string;
}

/** The JSON line of one person: the assessment with issues split into warnings and errors. */
export function assessmentJson(a: Assessment): Record<string, unknown> {
  const { person, schemes, issues, rulesApplied, ...rest } = a;
  return {
    person,
    schemes,
    ...rest,
    warnings: issues.filter((i) => i.severity === 'warning' || i.severity === 'information'),
    errors: issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'),
    rulesApplied,
  };
}

/** Collects repeatable `PROVINCE=INTEGER` options (fen or months). */
function provinceValue(name: string) {
  return (value: string, previous: Record<string, number> = {}): Record<string, number> => {
    const m = /^([1-9]\d)=(\d{1,15})$/.exec(value);
    if (!m) throw new CliError({ zh: `${name} 的取值须为 省=整数（两位省级代码，整数），而不是 "${value}"`, en: `${name} takes PROVINCE=INTEGER (two-digit province, whole number), got "${value}"` }, EXIT.usage);
    return { ...previous, [m[1]]: Number(m[2]) };
  };
}

/** Repeatable `PROVINCE=DAYS:WEEK` (987/2009 art. 13: a 5-, 6- or 7-day working week). */
function dayPeriod(value: string, previous: Record<string, { days: number; week: 5 | 6 | 7 }> = {}): Record<string, { days: number; week: 5 | 6 | 7 }> {
  const m = /^([1-9]\d)=(\d{1,7}):([567])$/.exec(value);
  if (!m) throw new CliError({ zh: `--day-period 的取值须为 省=天数:每周工作日（两位省级代码、天数、每周工作 5、6 或 7 天），而不是 "${value}"`, en: `--day-period takes PROVINCE=DAYS:WEEK (two-digit province, days, working week 5, 6 or 7), got "${value}"` }, EXIT.usage);
  return { ...previous, [m[1]]: { days: Number(m[2]), week: Number(m[3]) as 5 | 6 | 7 } };
}

type PersonAmounts = Record<string, { theoreticalFen?: Record<string, number>; nationalFen?: Record<string, number> }>;

/** --amounts FILE: {"<公民身份号码>": {"theoreticalFen": {"44": 250000}, "nationalFen": {"44": 90000}}}, integer fen, per person. */
async function readAmounts(file: string): Promise<PersonAmounts> {
  const data = await readJsonFile(file);
  const amounts = (v: unknown) => v === undefined || (typeof v === 'object' && v !== null && Object.entries(v).every(([k, x]) => /^[1-9]\d$/.test(k) && Number.isSafeInteger(x) && (x as number) >= 0));
  if (!data || typeof data !== 'object') throw new CliError({ zh: `${file}：应为以公民身份号码为键的对象`, en: `${file}: expected an object of people` }, EXIT.invalid);
  for (const [id, a] of Object.entries(data as Record<string, unknown>)) {
    const x = a as { theoreticalFen?: unknown; nationalFen?: unknown };
    if (!/^\d{17}[\dX]$/.test(id) || !x || typeof x !== 'object' || !amounts(x.theoreticalFen) || !amounts(x.nationalFen)) {
      throw new CliError({ zh: `${file}：/${id}：应为 {"theoreticalFen": {"省级代码": 分}, "nationalFen": {"省级代码": 分}}`, en: `${file}: /${id}: expected {"theoreticalFen": {"PROVINCE": fen}, "nationalFen": {"PROVINCE": fen}}` }, EXIT.invalid);
    }
  }
  return data as PersonAmounts;
}

type AverageWages = NonNullable<RuleOptions['averageWages']>;

/** --average-wages FILE: {"36": {"previousYearFen": 812300, "byYearFen": {"2010": 250000, …}}, …}, integer fen. */
async function readAverageWages(file: string): Promise<AverageWages> {
  const data = await readJsonFile(file, EXIT.usage);
  const fen = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  if (!data || typeof data !== 'object') throw new CliError({ zh: `${file}：应为以省级代码为键的对象`, en: `${file}: expected an object of provinces` }, EXIT.usage);
  for (const [province, w] of Object.entries(data as Record<string, unknown>)) {
    const x = w as { previousYearFen?: unknown; byYearFen?: Record<string, unknown> };
    if (!/^[1-9]\d$/.test(province) || !x || !fen(x.previousYearFen) || !x.byYearFen || typeof x.byYearFen !== 'object' || !Object.entries(x.byYearFen).every(([y, v]) => /^\d{4}$/.test(y) && fen(v))) {
      const shape = '{"previousYearFen": integer fen, "byYearFen": {"YYYY": integer fen}}';
      throw new CliError({ zh: `${file}：/${province}：应为 ${shape.replaceAll('integer fen', '整数分')}`, en: `${file}: /${province}: expected ${shape}` }, EXIT.usage);
    }
  }
  return data as AverageWages;
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  withMaskOption(addLimitOptions(withFormatDirs(program.command('assess'), lang), lang), lang)
    .description(h.description)
    .argument('<files...>', h.files)
    .option('--person <id>', h.person)
    .option('--hukou <code>', h.hukou)
    .option('--as-of <date>', h.asOf)
    .option('--format <format>', h.format)
    .option('--female-category <age>', h.femaleCategory)
    .option('--deemed <province=months>', h.deemed, provinceValue('--deemed'))
    .option('--theoretical <province=fen>', h.theoretical, provinceValue('--theoretical'))
    .option('--national <province=fen>', h.national, provinceValue('--national'))
    .option('--average-wages <file>', h.averageWages)
    .option('--amounts <file>', h.amounts)
    .option('--day-period <province=days:week>', h.dayPeriod, dayPeriod)
    .option('--inputs <file>', h.inputs)
    .option('--grouped', h.grouped)
    .option('--any-order', h.anyOrder)
    .option('--workers <n>', h.workers)
    .option('--json', h.json)
    .action(async (files: string[], opts: CommandOptions) => {
      const asOf = opts.asOf ? checkDate(opts.asOf, '--as-of') : todayInChina();
      if (opts.hukou !== undefined) checkRegion(opts.hukou, '--hukou');
      if (opts.person !== undefined) checkPerson(opts.person);
      if (opts.femaleCategory !== undefined && opts.femaleCategory !== '50' && opts.femaleCategory !== '55') throw new CliError({ zh: `--female-category 只能是 50 或 55，而不是 "${opts.femaleCategory}"`, en: `--female-category must be 50 or 55, got "${opts.femaleCategory}"` }, EXIT.usage);
      const averageWages = opts.averageWages ? await readAverageWages(opts.averageWages) : undefined;
      const amounts = opts.amounts ? await readAmounts(opts.amounts) : undefined;
      const creditingRates = opts.inputs ? (await (await import('./ledger.ts')).readLedgerInputs(opts.inputs)).creditingRates.byYear : undefined;
      const base: RuleOptions = {
        asOf,
        ...(opts.hukou ? { hukou: opts.hukou } : {}),
        ...(opts.femaleCategory ? { femaleCategory: opts.femaleCategory === '50' ? 'female-50' : 'female-55' } : {}),
        ...(opts.deemed ? { deemedMonths: opts.deemed } : {}),
        ...(opts.theoretical ? { theoreticalFen: opts.theoretical } : {}),
        ...(opts.national ? { nationalFen: opts.national } : {}),
        ...(averageWages ? { averageWages } : {}),
        ...(creditingRates ? { creditingRates } : {}),
        ...(opts.dayPeriod ? { dayPeriods: opts.dayPeriod } : {}),
      };
      const run: AssessRun = { base, ...(amounts ? { amounts } : {}), json: Boolean(opts.json), lang };
      const workers = workersOption(opts.workers, files);
      const stats = newPeopleStats();
      let unassessed = 0;
      let found = 0;
      const problems = (lines: string[]) => {
        for (const l of lines) process.stderr.write(`${l}\n`);
      };
      // --theoretical/--national are one person's amounts: a second person is an error before anything is printed
      const onePerson = !opts.person && (opts.theoretical || opts.national);
      const tooMany = () => new CliError({ zh: '--theoretical 和 --national 是一个人的金额，而输入中不止一人：请用 --person 指定一人，或用 --amounts FILE 逐人给出金额', en: "--theoretical and --national are one person's amounts, and the inputs hold more than one person: give --person, or --amounts FILE with amounts per person" }, EXIT.usage);
      async function* wanted(): AsyncGenerator<WorkPerson> {
        let held: WorkPerson | undefined;
        for await (const p of people(files, { format: opts.format, limits: limitsFrom(opts), order: orderOf(files, opts), lang }, stats)) {
          if (opts.person && p.items[0].id !== opts.person) continue;
          found += 1;
          if (onePerson) {
            if (held) throw tooMany();
            held = p;
            continue;
          }
          yield p;
        }
        if (held) yield held;
      }
      if (workers > 1) {
        const pool = new PersonPool<null>(workers, { kind: 'assess', run, files, lang }, (r) => {
          stats.invalid += r.invalid;
          unassessed += r.unassessed ?? 0;
          problems(r.problems);
          if (r.out) process.stdout.write(r.out);
        });
        try {
          for await (const batch of batches(wanted(), BATCH)) await pool.send(batch);
          await pool.end();
        } finally {
          await pool.close();
        }
      } else {
        for await (const p of wanted()) {
          const parsed = parsePerson(p.items, files, lang);
          stats.invalid += parsed.invalid;
          problems(parsed.problems);
          const a = assessOne(parsed.records, p.items[0].id, p.bad, run);
          if (!a.assessed) unassessed += 1;
          if (a.text) process.stdout.write(a.text);
        }
      }
      if (opts.person && !found) throw noRecordsOf(opts.person);
      if (stats.filesWithErrors.size && !opts.json) {
        process.stderr.write(`${say(T.inputsWithErrors, lang)}${lang === 'zh' ? '：' : ': '}${[...stats.filesWithErrors].sort((a, b) => a - b).map((i) => files[i]).join(', ')}\n`);
      }
      // a file with errors may have left someone's history incomplete: the run is not a success
      process.exitCode = unassessed > 0 || stats.invalid > 0 ? EXIT.invalid : EXIT.ok;
    });
}

/** What every person of an `assess` run is assessed with (plain data: it goes to worker threads). */
export interface AssessRun {
  base: RuleOptions;
  amounts?: PersonAmounts;
  json: boolean;
  lang: Lang;
}

/** People per batch sent to a worker. */
const BATCH = 32;

/**
 * One person's assessment as the text to print (a JSON line or the readable
 * report). `bad`: input files with errors that named the person — their history
 * may be incomplete, so they are not assessed. No records (all invalid): nothing.
 */
export function assessOne(records: ContributionRecord[], id: string, bad: string[] | undefined, run: AssessRun): { text: string; assessed: boolean } {
  if (!records.length) return { text: '', assessed: true };
  const mine = run.amounts?.[id];
  const options: RuleOptions = {
    ...run.base,
    ...(mine?.theoreticalFen ? { theoreticalFen: mine.theoreticalFen } : {}),
    ...(mine?.nationalFen ? { nationalFen: mine.nationalFen } : {}),
  };
  let a = assessPerson(records, options);
  if (bad && a.assessed) {
    a = {
      ...a,
      assessed: false,
      schemes: {},
      rulesApplied: [],
      issues: [...a.issues, { severity: 'error', code: 'input-incomplete' satisfies CliIssueCode, message: { zh: `输入文件有错误，此人的缴费记录可能不完整：${bad.join('、')}`, en: `input file(s) with errors, this person's history may be incomplete: ${bad.join(', ')}` } }],
    };
  }
  return { text: run.json ? `${JSON.stringify(assessmentJson(a))}\n` : `${humanReport(a, run.lang)}\n\n`, assessed: a.assessed };
}
