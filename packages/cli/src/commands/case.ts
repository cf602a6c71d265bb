/** `jiexu case <id>` / `jiexu case --overdue`: a case's timeline, current step and deadline, or the overdue cases. */
import type { Command } from 'commander';
import type { CaseSummary, CaseView, Step } from '@jiexu/client';
import { CliError, EXIT } from '../errors.ts';
import { chinaTime, connect, platformFailure, shortType, withConnectionOptions, type ConnectionOptions } from './platform-connection.ts';

interface CaseOptions extends ConnectionOptions {
  overdue?: boolean;
  json?: boolean;
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

export function register(program: Command): void {
  withConnectionOptions(
    program
      .command('case')
      .description('show a case (timeline, current step, deadline) or, with --overdue, the cases past a deadline')
      .argument('[caseId]', 'the case id, e.g. 110000-si:PT-2026-000001'),
  )
    .option('--overdue', 'list the open cases whose current step is past its deadline')
    .option('--json', 'print JSON')
    .action(async (caseId: string | undefined, opts: CaseOptions) => {
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
