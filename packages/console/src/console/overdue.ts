/** Overdue steps by the region whose move it is and by step, with their deadlines on the official calendar. */
import { h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import { read, type OverduePage } from './api.ts';
import { chinaTime } from './format.ts';
import { T } from './texts.ts';
import { caseLink, person, table } from './ui.ts';

export async function renderOverdue(root: HTMLElement): Promise<void> {
  const data = await read<OverduePage>('/v1/console/overdue');
  root.append(h('h2', { id: 'page-title' }, say(T.overdue)), h('p', {}, say(T.overdueIntro)), h('p', {}, `${say(T.today)}: ${data.today}`));
  if (!data.groups.length) {
    root.append(h('p', {}, say(T.noOverdue)));
    return;
  }
  for (const g of data.groups) {
    root.append(
      h('section', { class: 'group', 'data-region': g.region, 'data-step': g.step }, h('h3', {}, `${say(g.regionLabel)} (${g.region}) · ${say(T.waitingFor)} ${say(g.stepLabel)}`),
        table(
          { zh: `${g.steps.length} 个超期步骤`, en: `${g.steps.length} overdue step(s)` },
          [T.caseId, T.state, T.awaiting, T.person, T.started, T.workingDays, T.deadline, T.lateBy, T.calendar],
          g.steps.map((s) => [
            caseLink(s.caseId),
            say(s.stateLabel),
            s.awaiting,
            person(s.person),
            chinaTime(s.startedAt),
            s.workingDays === null ? '—' : String(s.workingDays),
            `${s.deadline}${s.deadlineEstimated ? ' *' : ''}`,
            h('strong', { class: 'bad' }, String(s.overdueWorkingDays)),
            `${s.calendar.calendarDays} ${say(T.calendarDays)}, ${s.calendar.nonWorkingDays.length} ${say(T.skipped)}${s.calendar.workedWeekendDays.length ? `, ${s.calendar.workedWeekendDays.length} ${say(T.worked)}` : ''}`,
          ]),
        ),
      ),
    );
  }
}
