/**
 * The console's shell: a header with the tabs (验证器 Validator, 控制台 Console) and the language
 * switch, and the open page below. Navigation is by location hash, so the static bundle needs no
 * server routes; a language change re-mounts the open page.
 */
import './style.css';
import { clear, h } from './dom.ts';
import { currentLang, onLangChange, say, setLang } from './i18n.ts';
import type { MountedPage } from './page.ts';
import { ROUTES, routeOf } from './routes.ts';

const T = {
  title: { zh: '接续 · 社会保险转移接续', en: 'jiexu · social-insurance transfers' },
  skip: { zh: '跳到正文', en: 'Skip to content' },
  nav: { zh: '页面', en: 'Pages' },
  language: { zh: '语言', en: 'Language' },
};

const app = document.getElementById('app')!;
let mounted: MountedPage | void;

function render(): void {
  if (mounted) mounted.unmount();
  mounted = undefined;
  clear(app);
  const route = routeOf(location.hash);
  document.title = `${say(route.label)} · ${say(T.title)}`;
  const main = h('main', { id: 'main', tabindex: -1 });
  const langSwitch = h(
    'div',
    { class: 'lang', role: 'group', 'aria-label': say(T.language) },
    h('button', { type: 'button', lang: 'zh-CN', 'aria-pressed': String(currentLang() === 'zh'), 'data-lang': 'zh', onclick: () => setLang('zh') }, '中文'),
    h('button', { type: 'button', lang: 'en', 'aria-pressed': String(currentLang() === 'en'), 'data-lang': 'en', onclick: () => setLang('en') }, 'English'),
  );
  app.append(
    h('a', { class: 'skip', href: '#main', onclick: (e: Event) => { e.preventDefault(); main.focus(); } }, say(T.skip)),
    h(
      'header',
      { class: 'shell' },
      h('h1', {}, say(T.title)),
      h('nav', { 'aria-label': say(T.nav) }, ...ROUTES.map((r) => h('a', { href: `#/${r.path}`, 'aria-current': r === route ? 'page' : undefined, 'data-route': r.path }, say(r.label)))),
      langSwitch,
    ),
    main,
  );
  mounted = route.mount(main, { platformUrl: location.origin });
}

window.addEventListener('hashchange', render);
onLangChange(render);
render();
