/**
 * The signed-in console (issue 13, part 2): cases, overdue steps, timelines, the directory,
 * statistics and the audit trail. The shell mounts it on the 控制台 / Console tab.
 * Placeholder until that part lands: it says so, in both languages.
 */
import { h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import type { MountPage } from '../app/page.ts';

const T = {
  title: { zh: '控制台', en: 'Console' },
  soon: { zh: '机构登录后的控制台页面尚在建设中。', en: 'The signed-in console pages are being built.' },
};

export const mountConsole: MountPage = (root) => {
  root.append(h('section', { class: 'page', 'aria-labelledby': 'console-title' }, h('h2', { id: 'console-title' }, say(T.title)), h('p', {}, say(T.soon))));
};
