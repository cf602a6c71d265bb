import type { Lang, Text } from './text.ts';

/**
 * An error the CLI reports as one line on stderr and an exit code, never as a
 * stack trace. Its text is in both languages; `message` is the English one (for
 * logs and tests), `say(lang)` the one the user reads.
 */
export class CliError extends Error {
  constructor(
    readonly text: Text,
    readonly exitCode: 1 | 2 = 2,
  ) {
    super(text.en);
    this.name = 'CliError';
  }

  say(lang: Lang): string {
    return this.text[lang];
  }
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;
