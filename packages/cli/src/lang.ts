/**
 * The one language rule of every `jiexu` command: `--lang zh|en` when given,
 * else the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`): a `zh*` locale
 * gives Chinese, anything else English. Every user-facing text is a `Text`
 * pair and is printed through `say`, so no command picks its language itself.
 */
import { CliError, EXIT } from './errors.ts';
import type { Lang, Text } from './text.ts';

export type { Lang, Text } from './text.ts';

/** The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty. */
export function localeLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && /^zh([_.@-]|$)/i.test(locale) ? 'zh' : 'en';
}

/** `--lang` when given (zh or en, anything else is a usage error), else the locale's language. */
export function resolveLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag === undefined || flag === '') return localeLang(env);
  if (flag !== 'zh' && flag !== 'en') throw new CliError({ zh: `--lang 只能是 zh 或 en，而不是 "${flag}"`, en: `--lang must be zh or en, got "${flag}"` }, EXIT.usage);
  return flag;
}

/** The text in the chosen language. */
export function say(text: Text, lang: Lang): string {
  return text[lang];
}

/**
 * The `--lang` value on a command line, read before the program is built (its
 * help is built in the chosen language): `--lang X` or `--lang=X`, before `--`.
 */
export function argvLang(argv: string[]): string | undefined {
  const args = argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg === '--lang') return args[i + 1];
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}

/** A number and its noun in English (`1 record`, `2 records`); Chinese nouns do not change. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** A catalogue of `Text` pairs (nested) as plain strings of one language: `inLang(T, 'zh').title`. */
export type InLang<C> = { [K in keyof C]: C[K] extends Text ? string : InLang<C[K]> };

export function inLang<C extends object>(catalogue: C, lang: Lang): InLang<C> {
  const isText = (v: unknown): v is Text => typeof v === 'object' && v !== null && typeof (v as Text).zh === 'string' && typeof (v as Text).en === 'string' && Object.keys(v).length === 2;
  return Object.fromEntries(Object.entries(catalogue).map(([k, v]) => [k, isText(v) ? v[lang] : inLang(v as object, lang)])) as InLang<C>;
}
