/** `jiexu case <id>` / `jiexu case --overdue`: a case's timeline, current step and deadline, or the overdue cases. */
import type { Command } from 'commander';
import { maskedText, withMaskOption } from '../mask-option.ts';
import type { CaseReceipts, CaseSummary, CaseView, Step } from '@jiexu/client';
import { caseStateLabel, roleLabel } from '@jiexu/standard';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError, EXIT } from '../errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { unwritable } from '../file-errors.ts';
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

const HELP = {
  description: { zh: '查看一个案件（时间线、当前步骤、期限），或用 --overdue 列出已超期的案件', en: 'show a case (timeline, current step, deadline) or, with --overdue, the cases past a deadline' },
  caseId: { zh: '案件标识，例如 110000-si:PT-2026-000001', en: 'the case id, e.g. 110000-si:PT-2026-000001' },
  overdue: { zh: '列出当前步骤已过期限的未结案件', en: 'list the open cases whose current step is past its deadline' },
  json: { zh: '输出 JSON', en: 'print JSON' },
  nameOne: { zh: '请给出案件标识，或使用 --overdue', en: 'name a case id, or use --overdue' },
  notBoth: { zh: '案件标识与 --overdue 只能二选一', en: 'use either a case id or --overdue, not both' },
  receipts: { zh: '列出案件各条消息的回执，并逐一用接收方的公钥核验', en: "list the receipts of the case's messages, each checked against its receiver's keys" },
  exportDescription: { zh: '把一个案件导出为证据包（消息、签名、回执、公钥、审计记录），可用 jiexu verify 离线核验', en: 'write a case as evidence (messages, signatures, receipts, keys, audit entries) to a bundle that jiexu verify checks offline' },
  exportCaseId: { zh: '案件标识', en: 'the case id' },
  exportOutput: { zh: '要写出的证据包文件', en: 'the bundle file to write' },
} satisfies Record<string, Text>;

const T = {
  noStep: { zh: '没有待办步骤', en: 'no open step' },
  deadline: { zh: '期限', en: 'deadline' },
  workingDays: { zh: '个工作日', en: 'working days' },
  estimated: { zh: '[估算：日历未覆盖该年]', en: '[estimated: calendar does not cover the year]' },
  noDeadline: { zh: '无期限', en: 'no deadline' },
  waitingFor: { zh: '等待', en: 'waiting for' },
  toSend: { zh: '发送', en: 'to send' },
  or: { zh: '或', en: 'or' },
  overdueMark: { zh: '已超期', en: 'OVERDUE' },
  parties: { zh: '参与方', en: 'parties' },
  updated: { zh: '更新于', en: 'updated' },
  late: { zh: '逾期', en: 'LATE' },
  onTime: { zh: '按期', en: 'on time' },
  due: { zh: '期限', en: 'due' },
  case: { zh: '案件', en: 'case' },
  standard: { zh: '标准', en: 'standard' },
  opened: { zh: '立案于', en: 'opened' },
  current: { zh: '当前步骤', en: 'current step' },
  timeline: { zh: '时间线', en: 'timeline' },
  id: { zh: '报文', en: 'id' },
  answers: { zh: '答复', en: 'answers' },
  noOverdue: { zh: '没有超期的案件', en: 'no overdue cases' },
} satisfies Record<string, Text>;

/** A state as the reader reads it: in Chinese the catalogue's label with the code (`已办结 [completed]`), in English the code. */
function stateOf(caseType: string, state: string, lang: Lang): string {
  if (lang === 'en') return state;
  const label = caseStateLabel(caseType, state, 'zh');
  return label ? `${label} [${state}]` : state;
}

export function describeStep(step: Step | null | undefined, lang: Lang = 'en'): string {
  const t = inLang(T, lang);
  if (!step) return t.noStep;
  const zh = lang === 'zh';
  const deadline = step.deadline
    ? `${t.deadline} ${step.deadline}${step.workingDays != null ? ` (${step.workingDays} ${t.workingDays})` : ''}${step.deadlineEstimated ? ` ${t.estimated}` : ''}`
    : t.noDeadline;
  const expects = step.expects.map(shortType).join(` ${t.or} `);
  const awaiting = step.awaiting.join(', ') || '—';
  return `${t.waitingFor} ${awaiting} ${t.toSend} ${expects}${zh ? '；' : '; '}${deadline}${step.overdue ? ` — ${t.overdueMark}` : ''}`;
}

function describeSummary(c: CaseSummary, lang: Lang): string {
  const t = inLang(T, lang);
  return `${c.caseId}  ${c.caseType}  ${stateOf(c.caseType, c.state, lang)}  ${t.parties} ${c.parties.join(', ')}  ${t.updated} ${chinaTime(c.updatedAt)}\n    ${describeStep(c.currentStep, lang)}`;
}

/** Whether a timeline message answered its step on time: late (after dueOn, China date) or by dueOn. */
export function describeTiming(t: { dueOn?: string | null; late?: boolean }, lang: Lang = 'en'): string {
  const w = inLang(T, lang);
  if (t.late) return `  ${w.late} (${w.due} ${t.dueOn ?? '?'})`;
  return t.dueOn ? `  ${w.onTime} (${w.due} ${t.dueOn})` : '';
}

export function describeCase(c: CaseView, lang: Lang = 'en'): string {
  const t = inLang(T, lang);
  const zh = lang === 'zh';
  const role = (p: string) => {
    const r = c.roles[p];
    return r === undefined ? '?' : zh ? `${roleLabel(r, 'zh') ?? r} [${r}]` : r;
  };
  const sep = zh ? '：' : ': ';
  const lines = [
    `${t.case} ${c.caseId} (${c.caseType}${c.standardVersion ? `, ${t.standard} ${c.standardVersion}` : ''})${sep}${stateOf(c.caseType, c.state, lang)}`,
    `${t.parties}${sep}${c.parties.map((p) => `${p} (${role(p)})`).join(', ')}${zh ? '；' : '; '}${t.opened} ${chinaTime(c.openedAt)}, ${t.updated} ${chinaTime(c.updatedAt)}`,
    `${t.current}${sep}${describeStep(c.currentStep, lang)}`,
    `${t.timeline}${zh ? '：' : ':'}`,
  ];
  for (const e of c.timeline) {
    lines.push(`  ${chinaTime(e.receivedAt)}  ${shortType(e.type)}  ${e.sender} → ${e.receivers.join(', ')}  ${t.id} ${e.id}${e.inreplyto ? `  ${t.answers} ${e.inreplyto}` : ''}${describeTiming(e, lang)}`);
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
    throw unwritable(file, err);
  }
}

export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  const caseCommand = program.command('case');
  withMaskOption(withConnectionOptions(
    caseCommand
      .command('export')
      .description(h.exportDescription)
      .argument('<caseId>', h.exportCaseId)
      .exitOverride(),
    lang,
  ), lang)
    .requiredOption('-o, --output <file>', h.exportOutput)
    .action(async (caseId: string, _opts: unknown, cmd: Command) => {
      // `case` has the same connection options: commander may have given them to it
      const opts = cmd.optsWithGlobals<ConnectionOptions & { output: string; mask?: boolean }>();
      const client = connect(opts);
      try {
        const bundle = await client.caseBundle(caseId).catch((err: unknown) => {
          throw platformFailure(err, { zh: `案件 ${caseId}`, en: `case ${caseId}` });
        });
        // masked, the bundle is a copy to read: its signatures no longer verify (docs/platform.md)
        await writeAtomically(opts.output, maskedText(`${JSON.stringify(bundle, null, 2)}\n`, opts), lang);
        process.stdout.write(
          `${say({ zh: `已导出案件 ${caseId} 至 ${opts.output}：${bundle.messages.length} 条消息、${bundle.receipts.length} 份回执、${bundle.audit.length} 条审计记录`, en: `exported case ${caseId} to ${opts.output}: ${bundle.messages.length} message(s), ${bundle.receipts.length} receipt(s), ${bundle.audit.length} audit entries` }, lang)}\n`,
        );
      } finally {
        await client.close();
      }
    });
  withMaskOption(withConnectionOptions(caseCommand.description(h.description).argument('[caseId]', h.caseId), lang), lang)
    .option('--overdue', h.overdue)
    .option('--receipts', h.receipts)
    .option('--json', h.json)
    .action(async (caseId: string | undefined, opts: CaseOptions) => {
      if (!caseId && !opts.overdue) throw new CliError(HELP.nameOne, EXIT.usage);
      if (caseId && opts.overdue) throw new CliError(HELP.notBoth, EXIT.usage);
      const client = connect(opts);
      try {
        if (opts.overdue) {
          const { cases } = await client.overdueCases().catch((err: unknown) => {
            throw platformFailure(err, { zh: '超期案件', en: 'overdue cases' });
          });
          if (opts.json) process.stdout.write(`${JSON.stringify({ cases }, null, 2)}\n`);
          else if (cases.length === 0) process.stdout.write(`${inLang(T, lang).noOverdue}\n`);
          else for (const c of cases) process.stdout.write(`${describeSummary(c, lang)}\n`);
        } else if (opts.receipts) {
          const r = await client.receipts(caseId!).catch((err: unknown) => {
            throw platformFailure(err, { zh: `案件 ${caseId} 的回执`, en: `receipts of case ${caseId}` });
          });
          process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : `${describeReceipts(r, lang)}\n`);
          if (r.receipts.some((x) => x.verification.status !== 'verified')) throw new CliError({ zh: '有回执签名不通过', en: 'a receipt does not verify' }, EXIT.invalid);
        } else {
          const c = await client.case(caseId!).catch((err: unknown) => {
            throw platformFailure(err, { zh: `案件 ${caseId}`, en: `case ${caseId}` });
          });
          process.stdout.write(opts.json ? `${JSON.stringify(c, null, 2)}\n` : `${describeCase(c, lang)}\n`);
        }
      } finally {
        await client.close();
      }
    });
}
