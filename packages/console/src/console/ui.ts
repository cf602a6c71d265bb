/** Small pieces the console's pages share: tables, badges, links between pages. */
import { h, type Child } from '../app/dom.ts';
import { say, type Text } from '../app/i18n.ts';
import type { Person } from './api.ts';
import { T } from './texts.ts';

/** A table with a caption and header cells of scope col. */
export function table(caption: Text | string, head: Array<Text | string>, rows: Child[][], attrs: Record<string, string> = {}): HTMLTableElement {
  return h(
    'table',
    attrs,
    h('caption', {}, typeof caption === 'string' ? caption : say(caption)),
    h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { scope: 'col' }, typeof c === 'string' ? c : say(c))))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

export function badge(text: Text, kind: 'bad' | 'ok' | 'muted'): HTMLElement {
  return h('span', { class: `badge ${kind}` }, say(text));
}

export const caseHref = (caseId: string) => `#/console/case/${encodeURIComponent(caseId)}`;
export const auditHref = (caseId: string) => `#/console/audit/${encodeURIComponent(caseId)}`;

export function caseLink(caseId: string): HTMLAnchorElement {
  return h('a', { href: caseHref(caseId), 'data-case': caseId }, caseId);
}

export function person(p: Person | null): Child {
  if (!p) return '—';
  return [`${p.name ?? ''} ${p.id ?? ''}`.trim(), p.masked ? h('span', { class: 'muted' }, say(T.masked)) : null];
}
