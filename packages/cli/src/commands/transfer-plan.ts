/**
 * `jiexu transfer-plan --person ID --from REGION --to REGION --date DATE <files>...`:
 * the messages a pension transfer needs, in order, who sends each, the latest
 * date each step may finish on the official calendar, and the amounts that move
 * (or why none do: the temporary-account path).
 */
import type { Command } from 'commander';
import { formatIssue } from '@jiexu/standard';
import { cite, transferPlan, TransferPlanError, type TransferPlan } from '@jiexu/rules';
import { CliError, EXIT } from '../errors.ts';
import { checkDate, checkLang, readInputs, yuan, type Lang } from './assess.ts';

interface PlanOptions {
  person: string;
  from: string;
  to: string;
  date: string;
  hukou?: string;
  format?: string;
  json?: boolean;
  lang?: string;
  unemploymentBenefit?: string;
  unemploymentMonths?: string;
}

const T = {
  zh: { plan: '转移计划', path: { transfer: '正常转移', 'temporary-account': '临时缴费账户', undecided: '待定（户籍地未知）' }, step: '步骤', by: '发送方', latest: '最迟', none: '无法定时限', est: '（估算：官方日历未覆盖该年）', amounts: '转移金额', pooled: '统筹基金', account: '个人账户', noAmounts: '不转移资金', months: '实缴月数', only: '仅在有不能转移的年限或资金时', rules: '适用规则', warnings: '提示' },
  en: { plan: 'Transfer plan', path: { transfer: 'transfer', 'temporary-account': 'temporary account', undecided: 'undecided (hukou unknown)' }, step: 'step', by: 'sent by', latest: 'latest', none: 'no statutory limit', est: ' (estimate: the official calendar does not cover that year)', amounts: 'amounts that move', pooled: 'pooled fund', account: 'individual account', noAmounts: 'no funds move', months: 'paid months', only: 'only when years or funds cannot move', rules: 'rules applied', warnings: 'warnings' },
} as const;

export function humanPlan(p: TransferPlan, lang: Lang): string {
  const t = T[lang];
  const out = [`${t.plan} ${p.person}: ${p.from} → ${p.to}, ${p.date} — ${t.path[p.path]}`];
  p.steps.forEach((s, i) => {
    const when = s.latest ? `${t.latest} ${s.latest}${s.workingDays ? ` (${s.workingDays} ${lang === 'zh' ? '个工作日' : 'working days'}${s.after ? ` ← ${s.after}` : ''})` : ''}${s.estimated ? t.est : ''}` : t.none;
    out.push(`  ${i + 1}. ${s.message}  ${t.by} ${s.sender} ${s.senderRegion} → ${s.receiverRegion}  ${when}`);
    if (s.conditional) out.push(`     ${t.only}: ${s.conditional[lang]}`);
  });
  if (p.amounts) {
    out.push(`  ${t.amounts}: ${t.pooled} ${yuan(p.amounts.pooledFund)}, ${t.account} ${yuan(p.amounts.individualAccount)}${p.amounts.accountYear ? ` (${p.amounts.accountYear})` : ''}, ${t.months} ${p.amounts.paidMonths}`);
  }
  if (p.noAmounts) out.push(`  ${t.noAmounts}: ${p.noAmounts[lang]}`);
  if (p.unemployment) {
    const u = p.unemployment;
    out.push(lang === 'zh'
      ? `  失业保险金转移：${u.crossProvince ? `尚未领取的失业保险金 ${yuan(Number(u.benefitDueFen))} + 50% ${yuan(Number(u.subsidyFen))} = ${yuan(Number(u.totalFen))}` : '省内流动，不转移资金'}`
      : `  unemployment benefit moving: ${u.crossProvince ? `benefit still due ${yuan(Number(u.benefitDueFen))} + 50% ${yuan(Number(u.subsidyFen))} = ${yuan(Number(u.totalFen))}` : 'within one province: no funds move'}`);
  }
  if (p.issues.length) {
    out.push(`  ${t.warnings}:`);
    for (const i of p.issues) out.push(`    ${formatIssue(i, lang)}`);
  }
  out.push(`  ${t.rules}:`);
  for (const r of p.rulesApplied) out.push(`    ${r.id}: ${cite(r.id)} — ${r.title[lang]}`);
  return out.join('\n');
}

export function register(program: Command): void {
  program
    .command('transfer-plan')
    .description('the messages, senders, latest dates and amounts of one pension transfer (or the temporary-account path)')
    .argument('<files...>', 'legacy export files (format detected) or canonical .jsonl')
    .requiredOption('--person <id>', '公民身份号码')
    .requiredOption('--from <region>', 'the pooling region the person leaves (6 digits)')
    .requiredOption('--to <region>', 'the pooling region the person moves to and applies at (6 digits)')
    .requiredOption('--date <date>', 'the application date at the new place, YYYY-MM-DD')
    .option('--hukou <code>', '户籍 county code (6 digits); else from the records, else the ID address code (warned)')
    .option('--format <format>', 'the legacy format of every input, instead of detecting it')
    .option('--json', 'print the plan as JSON')
    .option('--unemployment-benefit <fen>', 'unemployment benefit per month, fen: with --unemployment-months, what a cross-province move carries (rule 16)')
    .option('--unemployment-months <n>', 'months of unemployment benefit still due')
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .action(async (files: string[], opts: PlanOptions) => {
      const lang = checkLang(opts.lang);
      const date = checkDate(opts.date, '--date');
      for (const [name, v] of [['--from', opts.from], ['--to', opts.to], ['--hukou', opts.hukou]] as const) {
        if (v !== undefined && !/^[1-9]\d{5}$/.test(v)) throw new CliError(`${name} must be a 6-digit region code, got "${v}"`, EXIT.usage);
      }
      if (!/^\d{17}[\dX]$/.test(opts.person)) throw new CliError(`--person must be an 18-character 公民身份号码, got "${opts.person}"`, EXIT.usage);
      const inputs = await readInputs(files, opts.format);
      for (const i of inputs.issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
      const records = inputs.byPerson.get(opts.person);
      if (!records) throw new CliError(`no records of person ${opts.person} in the inputs`, EXIT.invalid);
      const bad = inputs.incomplete.get(opts.person);
      if (bad) throw new CliError(`input file(s) with errors, the history of ${opts.person} may be incomplete: ${bad.join(', ')}`, EXIT.invalid);
      let plan: TransferPlan;
      try {
        if ((opts.unemploymentBenefit === undefined) !== (opts.unemploymentMonths === undefined)) throw new CliError('--unemployment-benefit and --unemployment-months go together', EXIT.usage);
        for (const [name, v] of [['--unemployment-benefit', opts.unemploymentBenefit], ['--unemployment-months', opts.unemploymentMonths]] as const) {
          if (v !== undefined && !/^\d{1,12}$/.test(v)) throw new CliError(`${name} must be a whole number, got "${v}"`, EXIT.usage);
        }
        const unemployment = opts.unemploymentBenefit !== undefined ? { monthlyBenefitFen: Number(opts.unemploymentBenefit), remainingMonths: Number(opts.unemploymentMonths) } : undefined;
        plan = transferPlan({ records, person: opts.person, from: opts.from, to: opts.to, date, ...(opts.hukou ? { hukou: opts.hukou } : {}), ...(unemployment ? { unemployment } : {}) });
      } catch (err) {
        if (err instanceof TransferPlanError) {
          for (const i of err.issues) process.stderr.write(`${formatIssue(i, lang)}\n`);
          throw new CliError(err.message, EXIT.invalid);
        }
        throw err;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(plan, (_k, v) => (typeof v === 'bigint' ? Number(v) : v))}\n` : `${humanPlan(plan, lang)}\n`);
      process.exitCode = EXIT.ok;
    });
}
