/**
 * The signed-in console (issue 13, part 2; docs/console.md). Not signed in: the sign-in form
 * (the key file is read and used in this browser only). Signed in: who, sign-out, and the
 * pages by hash — #/console/cases?…, #/console/overdue, #/console/case/<id>,
 * #/console/audit/<id>, #/console/directory, #/console/transfers?region=… . When a page has
 * rendered, the section carries data-ready="<page>" (tests wait for it).
 */
import './console.css';
import { clear, h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import type { MountPage, PageContext } from '../app/page.ts';
import { ApiError, currentSession, SessionEnded, signOut, type Session } from './api.ts';
import { renderCases } from './cases.ts';
import { renderDirectory } from './directory.ts';
import { chinaTime } from './format.ts';
import { renderOverdue } from './overdue.ts';
import { signIn, SignInFailure } from './signin.ts';
import { T } from './texts.ts';
import { renderAudit, renderTimeline } from './timeline.ts';
import { renderTransfers } from './transfers.ts';

const SECTIONS = [
  { path: 'cases', label: T.cases },
  { path: 'overdue', label: T.overdue },
  { path: 'directory', label: T.directory },
  { path: 'transfers', label: T.transfers },
] as const;

/** The console's own part of the hash: #/console/case/abc?x=1 → { page: 'case', arg: 'abc', query }. */
function consoleRoute(): { page: string; arg: string | undefined; query: URLSearchParams } {
  const rest = location.hash.replace(/^#\/?console\/?/, '');
  const [path, q] = rest.split('?');
  const [page, ...arg] = (path ?? '').split('/');
  return { page: page || 'cases', arg: arg.length ? decodeURIComponent(arg.join('/')) : undefined, query: new URLSearchParams(q ?? '') };
}

/** Re-renders the shell (and with it this page), e.g. after signing in or out. */
const rerender = () => window.dispatchEvent(new HashChangeEvent('hashchange'));

function renderSignIn(section: HTMLElement, ctx: PageContext, note?: string): void {
  const status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, note ?? '');
  const principal = h('input', { id: 'signin-principal', name: 'principal', autocomplete: 'username', required: true, size: 24, spellcheck: 'false' });
  const file = h('input', { id: 'signin-key', name: 'key', type: 'file', accept: '.key,.pem,application/x-pem-file', required: true });
  const button = h('button', { type: 'submit' }, say(T.signIn));
  const form = h(
    'form',
    {
      class: 'signin',
      'aria-labelledby': 'page-title',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const id = principal.value.trim();
        const picked = file.files?.[0];
        if (!id) return void (status.textContent = say(T.noPrincipal));
        if (!picked) return void (status.textContent = say(T.noKey));
        button.disabled = true;
        status.textContent = say(T.signingIn);
        try {
          await signIn(ctx.platformUrl, id, await picked.text());
          rerender();
        } catch (err) {
          status.textContent = err instanceof SignInFailure ? say(err) : String((err as Error).message);
          status.classList.add('bad');
          button.disabled = false;
        }
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'signin-principal' }, say(T.principal)), principal),
    h('div', { class: 'field' }, h('label', { for: 'signin-key' }, say(T.keyFile)), file),
    h('div', { class: 'field buttons' }, button),
  );
  section.append(h('h2', { id: 'page-title' }, say(T.signInTitle)), h('p', {}, say(T.signInIntro)), form, status);
  section.dataset.ready = 'signin';
}

function whoBar(session: Session): HTMLElement {
  const who = session.viewer.kind === 'operator' ? `${session.viewer.id} — ${say(T.operator)}` : `${session.viewer.id} ${session.viewer.name !== session.viewer.id ? session.viewer.name : ''}`.trim();
  return h(
    'div',
    { class: 'who' },
    h('span', { 'data-testid': 'signed-in-as' }, say(T.signedInAs), h('strong', {}, who)),
    h('span', { class: 'muted' }, `${say(T.until)} ${chinaTime(session.expiresAt)}`),
    h('button', { type: 'button', onclick: async () => { await signOut(); rerender(); } }, say(T.signOut)),
  );
}

export const mountConsole: MountPage = (root, ctx) => {
  const section = h('section', { class: 'page console', 'aria-labelledby': 'page-title' }, h('p', {}, say(T.loading)));
  root.append(section);
  let gone = false;
  let dispose = () => {};
  const run = async () => {
    const session = await currentSession();
    if (gone) return;
    clear(section);
    if (!session) return renderSignIn(section, ctx);
    const route = consoleRoute();
    const current = route.page === 'case' || route.page === 'audit' ? 'cases' : route.page;
    const body = h('div', { class: 'console-body' }, h('p', {}, say(T.loading)));
    section.append(
      whoBar(session),
      h('nav', { class: 'sub', 'aria-label': say(T.sections) }, ...SECTIONS.map((s) => h('a', { href: `#/console/${s.path}`, 'aria-current': s.path === current ? 'page' : undefined, 'data-section': s.path }, say(s.label)))),
      body,
    );
    const content = h('div', {});
    try {
      if (route.page === 'overdue') await renderOverdue(content);
      else if (route.page === 'case' && route.arg) await renderTimeline(content, route.arg);
      else if (route.page === 'audit' && route.arg) await renderAudit(content, route.arg);
      else if (route.page === 'directory') await renderDirectory(content);
      else if (route.page === 'transfers') {
        clear(body);
        body.append(content); // the chart needs its box in the page to measure it
        dispose = await renderTransfers(content, route.query);
      } else await renderCases(content, route.query);
      if (gone) return dispose();
      clear(body);
      body.append(content);
      section.dataset.ready = route.page;
    } catch (err) {
      if (gone) return;
      if (err instanceof SessionEnded) {
        clear(section);
        return renderSignIn(section, ctx, say(T.sessionEnded));
      }
      clear(body);
      body.append(h('p', { class: 'bad', role: 'alert' }, say(T.failed), err instanceof ApiError ? say(err.text) : String((err as Error).message)));
      section.dataset.ready = 'error';
    }
  };
  void run();
  return {
    unmount() {
      gone = true;
      dispose();
    },
  };
};
