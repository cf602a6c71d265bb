/**
 * `jiexu assess <files>...`: reads legacy exports (any format, detected or
 * --format) and canonical JSONL, merges each person's records across files and
 * reports where their rights stand under the statutory rules (@jiexu/rules).
 * JSON: one object per person per line. Exit 0 all assessed, 1 input errors
 * left someone unassessed, 2 usage or I/O error.
 */
import type { Command } from 'commander';
import { AdapterError, readRecords, type Limits } from '@jiexu/adapters';
import { addLimitOptions, limitsFrom } from './limits.ts';
import { formatIssue, type Issue } from '@jiexu/standard';
import { assessPerson, cite, type Assessment, type AssessOptions as RuleOptions, type ContributionRecord, type PensionAssessment, type UnemploymentAssessment, type OtherSchemeAssessment } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import type { CliIssueCode } from '../issue-codes.ts';

export type Lang = 'zh' | 'en';

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
      if (err instanceof AdapterError) throw new CliError(`${file}: ${err.message}`, EXIT.usage);
      const e = err as NodeJS.ErrnoException;
      if (e?.code) throw new CliError(`${file}: cannot read (${e.code})`, EXIT.usage);
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
    throw new CliError(`${option} must be a date YYYY-MM-DD, got "${value}"`, EXIT.usage);
  }
  return value;
}

export function checkLang(value: string | undefined): Lang {
  if (value === undefined) return 'zh';
  if (value !== 'zh' && value !== 'en') throw new CliError(`--lang must be zh or en, got "${value}"`, EXIT.usage);
  return value;
}

/** Fen as yuan with two decimals, exactly. */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const s = String(fen).padStart(3, '0');
  return `${s.slice(0, -2).replace(/\B(?=(\d{3})+$)/g, ',')}.${s.slice(-2)}`;
}

const T = {
  zh: {
    person: '参保人', hukou: '户籍地', from: { option: '参数', records: '记录', 'citizen-id': '身份号码地址码', unknown: '未知' },
    pension: '企业职工基本养老保险 (110)', unemployment: '失业保险 (210)', scheme: '险种',
    paid: '实缴月数', overlap: '多地重复月数', province: '省', pooled: '统筹基金转移额', account: '个人账户',
    benefit: '待遇领取地', rule: '规则', minimum: '最低缴费年限', retires: '法定退休日期', needs: '需缴费月数', short: '尚缺',
    duplicates: '重复缴费', keep: '保留', refund: '退还个人缴费', eu: '欧盟模式比较（按比例）', share: '份额', proRata: '按比例金额',
    benefitMonths: '可领取失业保险金月数', gaps: '中断', continuity: '连续', notContinuous: '不连续，可能有最长6个月等待期',
    warnings: '提示', rules: '适用规则', lacking: '缺少的数据', notAssessed: '未评估：输入有误',
    category: { male: '男', 'female-50': '女（原50岁）', 'female-55': '女（原55岁）' },
    benefitRule: { 'hukou-relationship': '关系在户籍省 (10a)', 'current-10y': '关系所在省满10年 (10b)', 'previous-10y': '上一个满10年的省 (10c)', 'hukou-fallback': '各省均不满10年，归户籍地 (10d)' },
  },
  en: {
    person: 'Person', hukou: 'hukou', from: { option: 'option', records: 'records', 'citizen-id': 'ID address code', unknown: 'unknown' },
    pension: 'Enterprise employee pension (110)', unemployment: 'Unemployment (210)', scheme: 'Scheme',
    paid: 'paid months', overlap: 'months paid in more than one region', province: 'province', pooled: 'pooled fund moved', account: 'individual account',
    benefit: 'benefit province', rule: 'rule', minimum: 'minimum for a monthly pension', retires: 'retirement date', needs: 'months needed', short: 'short by',
    duplicates: 'duplicates', keep: 'keep', refund: 'refund of individual contributions', eu: 'EU-style comparison (pro-rata)', share: 'share', proRata: 'pro-rata',
    benefitMonths: 'benefit months', gaps: 'gaps', continuity: 'continuous', notContinuous: 'not continuous: a waiting period of up to 6 months may apply',
    warnings: 'warnings', rules: 'rules applied', lacking: 'data lacking', notAssessed: 'NOT ASSESSED: the inputs have errors',
    category: { male: 'male', 'female-50': 'female (originally 50)', 'female-55': 'female (originally 55)' },
    benefitRule: { 'hukou-relationship': 'relationship in the hukou province (10a)', 'current-10y': '10 years where the relationship is (10b)', 'previous-10y': 'previous province with 10 years (10c)', 'hukou-fallback': 'no province with 10 years: hukou place (10d)' },
  },
} as const;

const SCHEME_NAMES: Record<string, { zh: string; en: string }> = {
  '120': { zh: '机关事业单位养老保险', en: 'Civil-service pension' },
  '170': { zh: '城乡居民基本养老保险', en: 'Resident pension' },
  '310': { zh: '职工基本医疗保险', en: 'Employee medical' },
  '390': { zh: '城乡居民基本医疗保险', en: 'Resident medical' },
  '410': { zh: '工伤保险', en: 'Work injury' },
  '510': { zh: '生育保险', en: 'Maternity' },
};

function pad(s: string, n: number): string {
  let w = 0;
  for (const ch of s) w += ch.codePointAt(0)! > 0x2e80 ? 2 : 1;
  return s + ' '.repeat(Math.max(0, n - w));
}

export function humanReport(a: Assessment, lang: Lang): string {
  const t = T[lang];
  const out: string[] = [];
  out.push(`${t.person} ${a.person}  ${t.hukou} ${a.hukou.code ?? '—'} (${t.from[a.hukou.source]})`);
  if (!a.assessed) out.push(`  ${t.notAssessed}`);
  const p = a.schemes['110'] as PensionAssessment | undefined;
  if (p) {
    out.push(`  ${t.pension}: ${t.paid} ${p.paidMonths}, ${t.overlap} ${p.overlapMonths}`);
    out.push(`    ${pad(t.province, 10)}${pad(t.paid, 14)}${pad(t.pooled, 20)}${t.account}`);
    for (const x of p.byProvince) out.push(`    ${pad(x.province, 10)}${pad(String(x.paidMonths), 14)}${pad(yuan(x.pooledFund), 20)}${yuan(x.individualAccount)}`);
    out.push(`    ${t.benefit}: ${p.benefitProvince ?? '—'} — ${t.benefitRule[p.benefitRule]}`);
    for (const m of p.minimum) {
      out.push(`    ${t.minimum} [${t.category[m.category]}]: ${t.retires} ${m.retirementDate} (${lang === 'zh' ? `${m.retirementAge.years}岁${m.retirementAge.months}个月` : `${m.retirementAge.years}y${m.retirementAge.months}m`}), ${t.needs} ${m.requiredMonths}, ${t.paid} ${m.paidMonths}${m.shortfallMonths ? `, ${t.short} ${m.shortfallMonths}` : ''}`);
    }
    for (const d of p.duplicates) out.push(`    ${t.duplicates}: ${d.from}..${d.to} (${d.months}) ${d.regions.join('+')}; ${t.keep} ${d.keep}; ${t.refund} ${Object.entries(d.refundIndividualFen).map(([r, f]) => `${r} ${yuan(f)}`).join(', ')}`);
    out.push(`    ${t.eu}: ${p.eu.byProvince.map((x) => `${x.province} ${t.share} ${x.share.numerator}/${x.share.denominator}${x.proRataFen !== null ? ` ${t.proRata} ${yuan(x.proRataFen)}` : ''}`).join('; ')}`);
    if (p.lacking.length) out.push(`    ${t.lacking}: ${p.lacking.map((l) => l.message[lang]).join(lang === 'zh' ? '；' : '; ')}`);
  }
  const u = a.schemes['210'] as UnemploymentAssessment | undefined;
  if (u) out.push(`  ${t.unemployment}: ${t.paid} ${u.paidMonths}, ${t.overlap} ${u.overlapMonths}; ${t.benefitMonths} ${u.benefitMonths}`);
  for (const [scheme, s] of Object.entries(a.schemes)) {
    if (scheme === '110' || scheme === '210' || !s) continue;
    const o = s as OtherSchemeAssessment;
    const gaps = o.gaps?.length ? `; ${t.gaps}: ${o.gaps.map((g) => `${g.from}..${g.to} (${g.months}, ${g.keepsContinuity ? t.continuity : t.notContinuous})`).join(', ')}` : '';
    out.push(`  ${SCHEME_NAMES[scheme]?.[lang] ?? t.scheme} (${scheme}): ${t.paid} ${o.paidMonths}, ${t.overlap} ${o.overlapMonths}${gaps}`);
  }
  if (a.issues.length) {
    out.push(`  ${t.warnings}:`);
    for (const i of a.issues) out.push(`    ${formatIssue(i, lang)}`);
  }
  if (a.rulesApplied.length) {
    out.push(`  ${t.rules}:`);
    for (const r of a.rulesApplied) out.push(`    ${r.id}: ${cite(r.id)} — ${r.title[lang]}`);
  }
  return out.join('\n');
}

interface CommandOptions {
  deemed?: Record<string, number>;
  theoretical?: Record<string, number>;
  national?: Record<string, number>;
  averageWages?: string;
  person?: string;
  hukou?: string;
  asOf?: string;
  format?: string;
  json?: boolean;
  lang?: string;
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
    if (!m) throw new CliError(`${name} takes PROVINCE=INTEGER (two-digit province, whole number), got "${value}"`, EXIT.usage);
    return { ...previous, [m[1]]: Number(m[2]) };
  };
}

type AverageWages = NonNullable<RuleOptions['averageWages']>;

/** --average-wages FILE: {"36": {"previousYearFen": 812300, "byYearFen": {"2010": 250000, …}}, …}, integer fen. */
async function readAverageWages(file: string): Promise<AverageWages> {
  const { readFile } = await import('node:fs/promises');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, EXIT.usage);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new CliError(`${file}: not JSON: ${(err as Error).message}`, EXIT.usage);
  }
  const fen = (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
  if (!data || typeof data !== 'object') throw new CliError(`${file}: expected an object of provinces`, EXIT.usage);
  for (const [province, w] of Object.entries(data as Record<string, unknown>)) {
    const x = w as { previousYearFen?: unknown; byYearFen?: Record<string, unknown> };
    if (!/^[1-9]\d$/.test(province) || !x || !fen(x.previousYearFen) || !x.byYearFen || typeof x.byYearFen !== 'object' || !Object.entries(x.byYearFen).every(([y, v]) => /^\d{4}$/.test(y) && fen(v))) {
      throw new CliError(`${file}: /${province}: expected {"previousYearFen": integer fen, "byYearFen": {"YYYY": integer fen}}`, EXIT.usage);
    }
  }
  return data as AverageWages;
}

export function register(program: Command): void {
  const cmd = program
    .command('assess')
    .description('assess people from legacy exports and canonical JSONL: paid months, funds that move, benefit place, minimum years, unemployment months')
    .argument('<files...>', 'legacy export files (format detected) or canonical .jsonl')
    .option('--person <id>', 'only this 公民身份号码')
    .option('--hukou <code>', '户籍 county code (6 digits); else from the records, else the ID address code (warned)')
    .option('--as-of <date>', 'the day to assess for, YYYY-MM-DD (default today, China time)')
    .option('--format <format>', 'the legacy format of every input, instead of detecting it')
    .option('--female-category <age>', "a woman's original retirement age, 50 (worker) or 55 (cadre); without it both answers")
    .option('--deemed <province=months>', 'months deemed paid (视同缴费年限) in a province, for the 10 years and the minimum (repeatable)', provinceValue('--deemed'))
    .option('--theoretical <province=fen>', 'EU comparison: theoretical monthly amount of a province, fen (repeatable)', provinceValue('--theoretical'))
    .option('--national <province=fen>', 'EU comparison: the national monthly amount of a province, fen; the higher is paid (repeatable)', provinceValue('--national'))
    .option('--average-wages <file>', 'EU comparison by the 国发〔2005〕38号 formula: JSON of provincial average monthly wages in fen')
    .option('--json', 'one JSON object per person per line')
    .option('--lang <lang>', 'zh or en for the readable report', 'zh');
  addLimitOptions(cmd)
    .action(async (files: string[], opts: CommandOptions) => {
      const lang = checkLang(opts.lang);
      const asOf = opts.asOf ? checkDate(opts.asOf, '--as-of') : todayInChina();
      if (opts.hukou !== undefined && !/^[1-9]\d{5}$/.test(opts.hukou)) throw new CliError(`--hukou must be a 6-digit region code, got "${opts.hukou}"`, EXIT.usage);
      if (opts.person !== undefined && !/^\d{17}[\dX]$/.test(opts.person)) throw new CliError(`--person must be an 18-character 公民身份号码, got "${opts.person}"`, EXIT.usage);
      if (opts.femaleCategory !== undefined && opts.femaleCategory !== '50' && opts.femaleCategory !== '55') throw new CliError(`--female-category must be 50 or 55, got "${opts.femaleCategory}"`, EXIT.usage);
      const averageWages = opts.averageWages ? await readAverageWages(opts.averageWages) : undefined;
      const inputs = await readInputs(files, opts.format, limitsFrom(opts));
      for (const i of inputs.issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
      let people = [...inputs.byPerson.keys()].sort();
      if (opts.person) {
        if (!inputs.byPerson.has(opts.person)) throw new CliError(`no records of person ${opts.person} in the inputs`, EXIT.invalid);
        people = [opts.person];
      }
      let unassessed = 0;
      for (const id of people) {
        let a = assessPerson(inputs.byPerson.get(id)!, {
          asOf,
          ...(opts.hukou ? { hukou: opts.hukou } : {}),
          ...(opts.femaleCategory ? { femaleCategory: opts.femaleCategory === '50' ? 'female-50' : 'female-55' } : {}),
          ...(opts.deemed ? { deemedMonths: opts.deemed } : {}),
          ...(opts.theoretical ? { theoreticalFen: opts.theoretical } : {}),
          ...(opts.national ? { nationalFen: opts.national } : {}),
          ...(averageWages ? { averageWages } : {}),
        });
        const bad = inputs.incomplete.get(id);
        if (bad && a.assessed) {
          a = {
            ...a,
            assessed: false,
            schemes: {},
            rulesApplied: [],
            issues: [...a.issues, { severity: 'error', code: 'input-incomplete' satisfies CliIssueCode, message: { zh: `输入文件有错误，此人的缴费记录可能不完整：${bad.join('、')}`, en: `input file(s) with errors, this person's history may be incomplete: ${bad.join(', ')}` } }],
          };
        }
        if (!a.assessed) unassessed += 1;
        process.stdout.write(opts.json ? `${JSON.stringify(assessmentJson(a))}\n` : `${humanReport(a, lang)}\n\n`);
      }
      if (inputs.filesWithErrors.length && !opts.json) {
        process.stderr.write(`${lang === 'zh' ? '有错误的输入' : 'inputs with errors'}: ${inputs.filesWithErrors.join(', ')}\n`);
      }
      process.exitCode = unassessed > 0 || inputs.filesWithErrors.length > 0 ? EXIT.invalid : EXIT.ok;
    });
}
