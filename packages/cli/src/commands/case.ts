/** `jiexu case <id>` / `jiexu case --overdue`: a case's timeline, current step and deadline, or the overdue cases. */
import type { Command } from 'commander';
import type { CaseReceipts, CaseSummary, CaseView, Step } from '@jiexu/client';
import { resolveLang, say, type Lang } from '../lang.ts';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError, EXIT } from '../errors.ts';
import { chinaTime, connect, platformFailure, shortType, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

interface CaseOptions extends ConnectionOptions {
  overdue?: boolean;
  receipts?: boolean;
  json?: boolean;
  lang?: string;
}

/** The receipts of a case, one line each with the client's verdict on the receiver's signature. */
export function describeReceipts(r: CaseReceipts, lang: Lang): string {
  if (!r.receipts.length) return say({ zh: `案件 ${r.caseId} 尚无回执`, en: `case ${r.caseId}: no receipts yet` }, lang);
  return r.receipts
    .map((x) => {
      const v = x.verification;
      const verdict =
        v.status === 'verified'
          ? say({ zh: `接收方签名有效（密钥 ${v.kid}）`, en: `receiver's signature verified (key ${v.kid})` }, lang)
          : say({ zh: `签名不通过：${v.status === 'refused' ? v.reason : ''}`, en: `signature does NOT verify: ${v.status === 'refused' ? v.reason : ''}` }, lang);
      return say(
        { zh: `回执  消息 ${x.receipt.message.id}  接收方 ${x.receipt.receiver}  确认于 ${chinaTime(x.receipt.acknowledgedAt)}  摘要 ${x.receipt.message.digest.slice(0, 16)}…  ${verdict}`, en: `receipt  message ${x.receipt.message.id}  receiver ${x.receipt.receiver}  acknowledged ${chinaTime(x.receipt.acknowledgedAt)}  digest ${x.receipt.message.digest.slice(0, 16)}…  ${verdict}` },
        lang,
      );
    })
    .join('\n');
}

export function describeStep(step: Step | null | undefined): string {
  if (!step) return 'no open step';
  const deadline = step.deadline
    ? `deadline ${step.deadline}${step.workingDays != null ? ` (${step.workingDays} working days)` : ''}${step.deadlineEstimated ? ' [estimated: calendar does not cover the year]' : ''}`
    : 'no deadline';
  return `waiting for ${step.awaiting.join(', ') || '—'} to send ${step.expects.map(shortType).join(' or ')}; ${deadline}${step.overdue ? ' — OVERDUE' : ''}`;
}

function describeSummary(c: CaseSummary): string {
  return `${c.caseId}  ${c.caseType}  ${c.state}  parties ${c.parties.join(', ')}  updated ${chinaTime(c.updatedAt)}\n    ${describeStep(c.currentStep)}`;
}

/** Whether a timeline message answered its step on time: late (after dueOn, China date) or by dueOn. */
export function describeTiming(t: { dueOn?: string | null; late?: boolean }): string {
  if (t.late) return `  LATE (due ${t.dueOn ?? '?'})`;
  return t.dueOn ? `  on time (due ${t.dueOn})` : '';
}

export function describeCase(c: CaseView): string {
  const lines = [
    `case ${c.caseId} (${c.caseType}${c.standardVersion ? `, standard ${c.standardVersion}` : ''}): ${c.state}`,
    `parties: ${c.parties.map((p) => `${p} (${c.roles[p] ?? '?'})`).join(', ')}; opened ${chinaTime(c.openedAt)}, updated ${chinaTime(c.updatedAt)}`,
    `current step: ${describeStep(c.currentStep)}`,
    'timeline:',
  ];
  for (const t of c.timeline) {
    lines.push(`  ${chinaTime(t.receivedAt)}  ${shortType(t.type)}  ${t.sender} → ${t.receivers.join(', ')}  id ${t.id}${t.inreplyto ? `  answers ${t.inreplyto}` : ''}${describeTiming(t)}`);
  }
  return lines.join('\n');
}

/** Writes `text` to `file` atomically (a temporary file renamed over it): never a partial bundle. */
async function writeAtomically(file: string, text: string, lang: Lang): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, text);
    await rename(tmp, file);
  } catch (err) {
    throw new CliError(say({ zh: `无法写入 ${file}：${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, en: `cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` }, lang), EXIT.usage);
  }
}

export function register(program: Command): void {
  const caseCommand = program.command('case');
  withConnectionOptions(
    caseCommand
      .command('export')
      .description('write a case as evidence (messages, signatures, receipts, keys, audit entries) to a bundle that jiexu verify checks offline')
      .argument('<caseId>', 'the case id')
      .exitOverride(),
  )
    .requiredOption('-o, --output <file>', 'the bundle file to write')
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .action(async (caseId: string, _opts: unknown, cmd: Command) => {
      // `case` has the same connection options: commander may have given them to it
      const opts = cmd.optsWithGlobals<ConnectionOptions & { output: string; lang?: string }>();
      const lang = resolveLang(opts.lang);
      const client = connect(opts);
      try {
        const bundle = await client.caseBundle(caseId).catch((err: unknown) => {
          throw platformFailure(err, `case ${caseId}`);
        });
        await writeAtomically(opts.output, `${JSON.stringify(bundle, null, 2)}\n`, lang);
        process.stdout.write(
          `${say({ zh: `已导出案件 ${caseId} 至 ${opts.output}：${bundle.messages.length} 条消息、${bundle.receipts.length} 份回执、${bundle.audit.length} 条审计记录`, en: `exported case ${caseId} to ${opts.output}: ${bundle.messages.length} message(s), ${bundle.receipts.length} receipt(s), ${bundle.audit.length} audit entries` }, lang)}\n`,
        );
      } finally {
        await client.close();
      }
    });
  withConnectionOptions(
    caseCommand
      .description('show a case (timeline, current step, deadline) or, with --overdue, the cases past a deadline')
      .argument('[caseId]', 'the case id, e.g. 110000-si:PT-2026-000001'),
  )
    .option('--overdue', 'list the open cases whose current step is past its deadline')
    .option('--receipts', "list the receipts of the case's messages, each checked against its receiver's keys")
    .option('--json', 'print JSON')
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .action(async (caseId: string | undefined, opts: CaseOptions) => {
      const lang = resolveLang(opts.lang);
      if (!caseId && !opts.overdue) throw new CliError('name a case id, or use --overdue', EXIT.usage);
      if (caseId && opts.overdue) throw new CliError('use either a case id or --overdue, not both', EXIT.usage);
      const client = connect(opts);
      try {
        if (opts.overdue) {
          const { cases } = await client.overdueCases().catch((err: unknown) => {
            throw platformFailure(err, 'overdue cases');
          });
          if (opts.json) process.stdout.write(`${JSON.stringify({ cases }, null, 2)}\n`);
          else if (cases.length === 0) process.stdout.write('no overdue cases\n');
          else for (const c of cases) process.stdout.write(`${describeSummary(c)}\n`);
        } else if (opts.receipts) {
          const r = await client.receipts(caseId!).catch((err: unknown) => {
            throw platformFailure(err, `receipts of case ${caseId}`);
          });
          process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : `${describeReceipts(r, lang)}\n`);
          if (r.receipts.some((x) => x.verification.status !== 'verified')) throw new CliError(say({ zh: '有回执签名不通过', en: 'a receipt does not verify' }, lang), EXIT.invalid);
        } else {
          const c = await client.case(caseId!).catch((err: unknown) => {
            throw platformFailure(err, `case ${caseId}`);
          });
          process.stdout.write(opts.json ? `${JSON.stringify(c, null, 2)}\n` : `${describeCase(c)}\n`);
        }
      } finally {
        await client.close();
      }
    });
}
