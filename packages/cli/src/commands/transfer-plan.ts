/**
 * `jiexu transfer-plan --person ID --from REGION --to REGION --date DATE <files>...`:
 * the messages a pension transfer needs, in order, who sends each, the latest
 * date each step may finish on the official calendar, and the amounts that move
 * (or why none do: the temporary-account path).
 */
import type { Command } from 'commander';
import { withMaskOption } from '../mask-option.ts';
import { codeLabel, formatIssue, roleLabel } from '@jiexu/standard';
import { cite, transferPlan, TransferPlanError, type TransferPlan } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { foreign } from '../file-errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { checkDate, checkPerson, checkRegion, noRecordsOf, readInputs, yuan } from './assess.ts';
import { withFormatDirs } from '../format-dirs.ts';

interface PlanOptions {
  person: string;
  from: string;
  to: string;
  date: string;
  hukou?: string;
  format?: string;
  json?: boolean;
  unemploymentBenefit?: string;
  unemploymentMonths?: string;
}

const T = {
  plan: { zh: '转移计划', en: 'Transfer plan' },
  path: {
    transfer: { zh: '正常转移', en: 'transfer' },
    'temporary-account': { zh: '临时缴费账户', en: 'temporary account' },
    undecided: { zh: '待定（户籍地未知）', en: 'undecided (hukou unknown)' },
  },
  by: { zh: '发送方', en: 'sent by' },
  latest: { zh: '最迟', en: 'latest' },
  workingDays: { zh: '个工作日', en: 'working days' },
  none: { zh: '无法定时限', en: 'no statutory limit' },
  est: { zh: '（估算：官方日历未覆盖该年）', en: ' (estimate: the official calendar does not cover that year)' },
  amounts: { zh: '转移金额', en: 'amounts that move' },
  pooled: { zh: '统筹基金', en: 'pooled fund' },
  account: { zh: '个人账户', en: 'individual account' },
  noAmounts: { zh: '不转移资金', en: 'no funds move' },
  months: { zh: '实缴月数', en: 'paid months' },
  only: { zh: '仅在有不能转移的年限或资金时', en: 'only when years or funds cannot move' },
  rules: { zh: '适用规则', en: 'rules applied' },
  warnings: { zh: '提示', en: 'warnings' },
} satisfies Record<string, Text | Record<string, Text>>;

const HELP = {
  description: { zh: '一次基本养老保险关系转移所需的报文、发送方、最迟日期和转移金额（或临时缴费账户路径）', en: 'the messages, senders, latest dates and amounts of one pension transfer (or the temporary-account path)' },
  files: { zh: '旧系统导出文件（自动识别格式）或标准 .jsonl 文件', en: 'legacy export files (format detected) or canonical .jsonl' },
  person: { zh: '公民身份号码', en: '公民身份号码 (citizen ID)' },
  from: { zh: '参保人转出的统筹地区（6 位代码）', en: 'the pooling region the person leaves (6 digits)' },
  to: { zh: '参保人转入并提出申请的统筹地区（6 位代码）', en: 'the pooling region the person moves to and applies at (6 digits)' },
  date: { zh: '在新参保地提出申请的日期，YYYY-MM-DD', en: 'the application date at the new place, YYYY-MM-DD' },
  hukou: { zh: '户籍地县级代码（6 位）；不指定时取记录中的户籍地，再不行取身份号码地址码（会提示）', en: 'hukou (户籍) county code (6 digits); else from the records, else the ID address code (warned)' },
  format: { zh: '所有输入文件的旧系统格式，不再自动识别', en: 'the legacy format of every input, instead of detecting it' },
  json: { zh: '以 JSON 输出计划', en: 'print the plan as JSON' },
  unemploymentBenefit: { zh: '每月失业保险金，单位分：与 --unemployment-months 一起给出跨省转移时随转的金额（规则 16）', en: 'unemployment benefit per month, fen: with --unemployment-months, what a cross-province move carries (rule 16)' },
  unemploymentMonths: { zh: '尚可领取失业保险金的月数', en: 'months of unemployment benefit still due' },
} satisfies Record<string, Text>;

export function humanPlan(p: TransferPlan, lang: Lang): string {
  const t = inLang(T, lang);
  const out = [`${t.plan} ${p.person}: ${p.from} → ${p.to}, ${p.date} — ${t.path[p.path]}`];
  p.steps.forEach((s, i) => {
    const when = s.latest ? `${t.latest} ${s.latest}${s.workingDays ? ` (${s.workingDays} ${t.workingDays}${s.after ? ` ← ${s.after}` : ''})` : ''}${s.estimated ? t.est : ''}` : t.none;
    const message = lang === 'zh' ? `${s.message}（${codeLabel('message-type', s.message, 'zh') ?? s.message}）` : s.message;
    const sender = lang === 'zh' ? `${roleLabel(s.sender, 'zh') ?? s.sender} [${s.sender}]` : s.sender;
    out.push(`  ${i + 1}. ${message}  ${t.by} ${sender} ${s.senderRegion} → ${s.receiverRegion}  ${when}`);
    if (s.conditional) out.push(`     ${t.only}: ${s.conditional[lang]}`);
  });
  if (p.amounts) {
    out.push(`  ${t.amounts}: ${t.pooled} ${yuan(p.amounts.pooledFund)}, ${t.account} ${yuan(p.amounts.individualAccount)}${p.amounts.accountYear ? ` (${p.amounts.accountYear})` : ''}, ${t.months} ${p.amounts.paidMonths}`);
  }
  if (p.noAmounts) out.push(`  ${t.noAmounts}: ${p.noAmounts[lang]}`);
  if (p.unemployment) {
    const u = p.unemployment;
    out.push(say({
      zh: `  失业保险金转移：${u.crossProvince ? `尚未领取的失业保险金 ${yuan(Number(u.benefitDueFen))} + 50% ${yuan(Number(u.subsidyFen))} = ${yuan(Number(u.totalFen))}` : '省内流动，不转移资金'}`,
      en: `  unemployment benefit moving: ${u.crossProvince ? `benefit still due ${yuan(Number(u.benefitDueFen))} + 50% ${yuan(Number(u.subsidyFen))} = ${yuan(Number(u.totalFen))}` : 'within one province: no funds move'}`,
    }, lang));
  }
  if (p.issues.length) {
    out.push(`  ${t.warnings}:`);
    for (const i of p.issues) out.push(`    ${formatIssue(i, lang)}`);
  }
  out.push(`  ${t.rules}:`);
  for (const r of p.rulesApplied) out.push(`    ${r.id}: ${cite(r.id, lang)} — ${r.title[lang]}`);
  return out.join('\n');
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  withMaskOption(withFormatDirs(program.command('transfer-plan'), lang), lang)
    .description(h.description)
    .argument('<files...>', h.files)
    .requiredOption('--person <id>', h.person)
    .requiredOption('--from <region>', h.from)
    .requiredOption('--to <region>', h.to)
    .requiredOption('--date <date>', h.date)
    .option('--hukou <code>', h.hukou)
    .option('--format <format>', h.format)
    .option('--json', h.json)
    .option('--unemployment-benefit <fen>', h.unemploymentBenefit)
    .option('--unemployment-months <n>', h.unemploymentMonths)
    .action(async (files: string[], opts: PlanOptions) => {
      const date = checkDate(opts.date, '--date');
      checkRegion(opts.from, '--from');
      checkRegion(opts.to, '--to');
      if (opts.hukou !== undefined) checkRegion(opts.hukou, '--hukou');
      checkPerson(opts.person);
      const inputs = await readInputs(files, opts.format);
      for (const i of inputs.issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
      const records = inputs.byPerson.get(opts.person);
      if (!records) throw noRecordsOf(opts.person);
      const bad = inputs.incomplete.get(opts.person);
      if (bad) throw new CliError({ zh: `输入文件有错误，${opts.person} 的缴费记录可能不完整：${bad.join('、')}`, en: `input file(s) with errors, the history of ${opts.person} may be incomplete: ${bad.join(', ')}` }, EXIT.invalid);
      let plan: TransferPlan;
      try {
        if ((opts.unemploymentBenefit === undefined) !== (opts.unemploymentMonths === undefined)) throw new CliError({ zh: '--unemployment-benefit 与 --unemployment-months 须同时给出', en: '--unemployment-benefit and --unemployment-months go together' }, EXIT.usage);
        for (const [name, v] of [['--unemployment-benefit', opts.unemploymentBenefit], ['--unemployment-months', opts.unemploymentMonths]] as const) {
          if (v !== undefined && !/^\d{1,12}$/.test(v)) throw new CliError({ zh: `${name} 须为非负整数，而不是 "${v}"`, en: `${name} must be a whole number, got "${v}"` }, EXIT.usage);
        }
        const unemployment = opts.unemploymentBenefit !== undefined ? { monthlyBenefitFen: Number(opts.unemploymentBenefit), remainingMonths: Number(opts.unemploymentMonths) } : undefined;
        plan = transferPlan({ records, person: opts.person, from: opts.from, to: opts.to, date, ...(opts.hukou ? { hukou: opts.hukou } : {}), ...(unemployment ? { unemployment } : {}) });
      } catch (err) {
        if (err instanceof TransferPlanError) {
          for (const i of err.issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
          throw foreign(err, EXIT.invalid);
        }
        throw err;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(plan, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}\n` : `${humanPlan(plan, lang)}\n`);
      process.exitCode = EXIT.ok;
    });
}
