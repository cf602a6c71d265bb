/** One case: its timeline (each message, the deadline it answered, late or not) and its audit trail. */
import { h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import { read, type AuditPage, type TimelinePage } from './api.ts';
import { chinaTime } from './format.ts';
import { T } from './texts.ts';
import { auditHref, badge, caseHref, person, table } from './ui.ts';

export async function renderTimeline(root: HTMLElement, caseId: string): Promise<void> {
  const data = await read<TimelinePage>(`/v1/console/cases/${encodeURIComponent(caseId)}`);
  const c = data.case;
  const step = c.step;
  root.append(
    h('p', {}, h('a', { href: '#/console/cases' }, `← ${say(T.backToCases)}`)),
    h('h2', { id: 'page-title' }, `${say(T.timeline)}: ${c.caseId}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, say(T.caseType)), h('dd', {}, say(c.caseTypeLabel)),
      h('dt', {}, say(T.state)), h('dd', {}, say(c.stateLabel), c.closed ? [' ', badge(T.closed, 'muted')] : null),
      h('dt', {}, say(T.person)), h('dd', {}, person(c.person)),
      h('dt', {}, say(T.parties)), h('dd', {}, c.parties.map((p) => `${p.id} (${say(p.roleLabel)})`).join(', ')),
      h('dt', {}, say(T.currentStep)),
      h(
        'dd',
        { 'data-testid': 'current-step' },
        step
          ? [
              `${say(T.waitingFor)} ${step.expects.map((e) => say(e.label)).join(' / ')} — ${step.awaiting.join(', ')}; ${say(T.deadline)} ${step.deadline ?? '—'}`,
              step.workingDays !== null ? ` (${step.workingDays} ${say(T.workingDays)})` : '',
              step.overdue ? [' ', badge(T.isOverdue, 'bad')] : null,
              data.calendar ? h('span', { class: 'muted' }, ` · ${data.calendar.calendarDays} ${say(T.calendarDays)}, ${data.calendar.nonWorkingDays.length} ${say(T.skipped)}`) : null,
            ]
          : say(T.noStep),
      ),
    ),
    table(
      T.messages,
      [T.received, T.message, T.fromTo, T.dueOn, T.late, T.stateAfter],
      data.timeline.map((m) => [
        chinaTime(m.receivedAt),
        [say(m.label), h('br'), h('code', {}, m.message)],
        `${m.sender} → ${m.receivers.join(', ')}`,
        m.dueOn ?? say(T.notAnswering),
        m.dueOn ? (m.late ? badge({ zh: `${T.late.zh} ${m.workingDaysLate} ${T.lateDays.zh}`, en: `${T.late.en} ${m.workingDaysLate} ${T.lateDays.en}` }, 'bad') : badge(T.onTime, 'ok')) : '—',
        say(m.stateAfterLabel),
      ]),
      { class: 'timeline', 'data-testid': 'timeline' },
    ),
    h('p', {}, h('a', { href: auditHref(c.caseId) }, say(T.openAudit))),
  );
}

export async function renderAudit(root: HTMLElement, caseId: string): Promise<void> {
  const data = await read<AuditPage>(`/v1/console/cases/${encodeURIComponent(caseId)}/audit`);
  root.append(h('p', {}, h('a', { href: caseHref(caseId) }, `← ${say(T.openTimeline)}`)), h('h2', { id: 'page-title' }, `${say(T.audit)}: ${caseId}`), h('p', {}, say(T.auditIntro)));
  if (data.masked) root.append(h('p', { class: 'note' }, say(T.maskedNote)));
  root.append(
    table(
      { zh: `${data.entries.length} 条记录`, en: `${data.entries.length} entries` },
      ['#', T.at, T.actor, T.action, T.object, T.hash],
      data.entries.map((e) => [e.index, chinaTime(e.at), e.actor, h('code', {}, e.action), e.object, h('code', { title: e.hash }, `${e.hash.slice(0, 12)}…`)]),
      { class: 'audit', 'data-testid': 'audit' },
    ),
  );
}
