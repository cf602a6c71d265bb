/**
 * The one language rule of every `jiexu` command: `--lang zh|en` when given,
 * else the locale (`LC_ALL`, then `LC_MESSAGES`, then `LANG`): a `zh*` locale
 * gives Chinese, anything else English. Every user-facing text is a `Text`
 * pair and is printed through `say`, so no command picks its language itself.
 */
import { CliError, EXIT } from './errors.ts';

export type Lang = 'zh' | 'en';

/** A user-facing text in both languages, Chinese first. */
export interface Text {
  zh: string;
  en: string;
}

/** The language the locale asks for: the first of LC_ALL, LC_MESSAGES, LANG that is set and not empty. */
export function localeLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const locale = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return locale !== undefined && /^zh([_.@-]|$)/i.test(locale) ? 'zh' : 'en';
}

/** `--lang` when given (zh or en, anything else is a usage error), else the locale's language. */
export function resolveLang(flag?: string, env: NodeJS.ProcessEnv = process.env): Lang {
  if (flag === undefined || flag === '') return localeLang(env);
  if (flag !== 'zh' && flag !== 'en') throw new CliError(`--lang must be zh or en / --lang 只能是 zh 或 en, got "${flag}"`, EXIT.usage);
  return flag;
}

/** The text in the chosen language. */
export function say(text: Text, lang: Lang): string {
  return text[lang];
}
