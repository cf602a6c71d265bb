/** The validator page (public, no account, sends nothing). */
import { h } from '../app/dom.ts';
import { say } from '../app/i18n.ts';
import type { MountPage } from '../app/page.ts';
import { T } from './texts.ts';

export const mountValidator: MountPage = (root) => {
  root.append(h('section', { class: 'page', 'aria-labelledby': 'validator-title' }, h('h2', { id: 'validator-title' }, say(T.title)), h('p', {}, say(T.intro))));
};
