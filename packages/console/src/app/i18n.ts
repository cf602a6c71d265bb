/**
 * The console's one language rule: every text the page shows is a `Text` ({ zh, en }); `say`
 * picks the current language. zh-CN is the default; the choice is kept in localStorage and can be
 * forced with `?lang=en` / `?lang=zh`. Code-list labels (schemes, issue codes) come from the
 * standard's code lists, not from here.
 */
export type Lang = 'zh' | 'en';
export interface Text {
  zh: string;
  en: string;
}

const KEY = 'jiexu.console.lang';
const listeners = new Set<(lang: Lang) => void>();

function initial(): Lang {
  const asked = new URLSearchParams(location.search).get('lang');
  if (asked === 'zh' || asked === 'en') return asked;
  try {
    const kept = localStorage.getItem(KEY);
    if (kept === 'zh' || kept === 'en') return kept;
  } catch {
    // storage may be off (private mode): the default stands
  }
  return 'zh';
}

let lang: Lang = initial();
document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';

export function currentLang(): Lang {
  return lang;
}

export function setLang(next: Lang): void {
  if (next === lang) return;
  lang = next;
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  try {
    localStorage.setItem(KEY, lang);
  } catch {
    // not kept: fine
  }
  for (const fn of listeners) fn(lang);
}

/** Called after every language change (the shell re-renders the open page). */
export function onLangChange(fn: (lang: Lang) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The text in the current language. */
export function say(text: Text): string {
  return text[lang];
}

/** Numbers as people read them in the current language (grouping). */
export function formatCount(n: number): string {
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}
