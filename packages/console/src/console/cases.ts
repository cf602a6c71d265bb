/** Cases by state and step, with filters (region, scheme, state, step, overdue). The filters live in the hash: #/console/cases?region=360000&overdue=true */
import { h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import { read, type CasesPage } from './api.ts';
import { count } from './format.ts';
import { T } from './texts.ts';
import { badge, caseLink, person, table } from './ui.ts';

const FILTERS = ['region', 'scheme', 'state', 'step', 'overdue'] as const;

export async function renderCases(root: HTMLElement, query: URLSearchParams): Promise<void> {
  const params = new URLSearchParams();
  for (const f of FILTERS) {
    const v = query.get(f);
    if (v) params.set(f, v);
  }
  const data = await read<CasesPage>(`/v1/console/cases${params.size ? `?${params}` : ''}`);
  const go = (next: URLSearchParams) => {
    location.hash = `#/console/cases${next.size ? `?${next}` : ''}`;
  };
  const field = (name: string, text: typeof T.region, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: `f-${name}` }, say(text)), control);
  const states = [...new Map(data.byStateAndStep.map((r) => [r.state, r.stateLabel])).entries()];
  const steps = [...new Map(data.byStateAndStep.filter((r) => r.step).map((r) => [r.step!, r.stepLabel!])).entries()];
  const select = (name: string, options: Array<[string, string]>) =>
    h('select', { id: `f-${name}`, name }, h('option', { value: '' }, say(T.any)), ...options.map(([v, text]) => h('option', { value: v, selected: params.get(name) === v }, text)));
  const form = h(
    'form',
    {
      class: 'filters',
      'aria-label': say(T.filters),
      onsubmit: (e: Event) => {
        e.preventDefault();
        const fd = new FormData(e.target as HTMLFormElement);
        const next = new URLSearchParams();
        for (const f of FILTERS) {
          const v = fd.get(f);
          if (typeof v === 'string' && v.trim()) next.set(f, v.trim());
        }
        go(next);
      },
    },
    field('region', T.region, h('input', { id: 'f-region', name: 'region', inputmode: 'numeric', pattern: '[0-9]{6}', value: params.get('region') ?? '', size: 8 })),
    field('scheme', T.scheme, select('scheme', data.schemes.map((s) => [s.code, `${s.code} ${say(s.label)}`]))),
    field('state', T.state, select('state', states.map(([code, label]) => [code, say(label)]))),
    field('step', T.step, select('step', steps.map(([code, label]) => [code, say(label)]))),
    h('div', { class: 'field check' }, h('input', { type: 'checkbox', id: 'f-overdue', name: 'overdue', value: 'true', checked: params.get('overdue') === 'true' }), h('label', { for: 'f-overdue' }, say(T.onlyOverdue))),
    h('div', { class: 'field buttons' }, h('button', { type: 'submit' }, say(T.apply)), h('button', { type: 'button', onclick: () => go(new URLSearchParams()) }, say(T.reset))),
  );
  const summary = table(
    T.byStateAndStep,
    [T.caseType, T.state, T.step, T.count, T.overdueCount],
    data.byStateAndStep.map((r) => {
      const next = new URLSearchParams(params);
      next.set('state', r.state);
      if (r.step) next.set('step', r.step);
      else next.delete('step');
      return [r.caseType, say(r.stateLabel), r.stepLabel ? say(r.stepLabel) : '—', h('a', { href: `#/console/cases?${next}` }, count(r.cases)), r.overdue ? badge({ zh: count(r.overdue), en: count(r.overdue) }, 'bad') : '0'];
    }),
    { class: 'summary' },
  );
  const list = data.cases.length
    ? table(
        { zh: `${say(T.caseList)}（${say(T.total)} ${count(data.total)}，${say(T.shown)} ${count(data.cases.length)}）`, en: `${T.caseList.en} (${T.total.en} ${count(data.total)}, ${count(data.cases.length)} ${T.shown.en})` },
        [T.caseId, T.caseType, T.state, T.awaiting, T.deadline, T.parties, T.person],
        data.cases.map((c) => [
          caseLink(c.caseId),
          say(c.caseTypeLabel),
          [say(c.stateLabel), c.closed ? [' ', badge(T.closed, 'muted')] : null],
          c.step ? [c.step.expects.map((e) => say(e.label)).join(' / '), h('br'), h('span', { class: 'muted' }, c.step.awaiting.join(', '))] : '—',
          c.step?.deadline ? [c.step.deadline, c.step.overdue ? [' ', badge(T.isOverdue, 'bad')] : null] : '—',
          c.parties.map((p) => `${p.id} (${say(p.roleLabel)})`).join(', '),
          person(c.person),
        ]),
        { class: 'cases', 'data-testid': 'case-list' },
      )
    : h('p', { 'data-testid': 'case-list' }, say(T.noCases));
  root.append(h('h2', { id: 'page-title' }, say(T.cases)), form, summary, list);
}
