/**
 * The readers' limits as `--max-…` options (convert, validate --format,
 * assess): each overrides what the format declares (see @jiexu/adapters'
 * limits, docs/adapters/detection.md).
 */
import type { Command } from 'commander';
import { DEFAULT_LIMITS, LIMIT_OPTIONS, type Limits } from '@jiexu/adapters';
import { CliError, EXIT } from '../errors.ts';
import { say, type Lang } from '../lang.ts';

const keys = Object.keys(LIMIT_OPTIONS) as (keyof Limits)[];
const camel = (option: string): string => option.replace(/^--/, '').replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

export function addLimitOptions(cmd: Command, lang: Lang): Command {
  for (const k of keys) {
    const { option, en, zh } = LIMIT_OPTIONS[k];
    cmd.option(`${option} <n>`, say({ zh: `读取时允许的最大${zh}（默认 ${DEFAULT_LIMITS[k]}，或格式自身的声明）`, en: `most ${en} a reader accepts (default ${DEFAULT_LIMITS[k]}, or the format's own)` }, lang));
  }
  return cmd;
}

/** The limits given on the command line; a value that is not a positive integer is a usage error. */
export function limitsFrom(opts: object): Partial<Limits> {
  const out: Partial<Limits> = {};
  for (const k of keys) {
    const { option } = LIMIT_OPTIONS[k];
    const raw = (opts as Record<string, unknown>)[camel(option)];
    if (raw === undefined) continue;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < 1) throw new CliError({ zh: `${option} 须为正整数，而不是 "${String(raw)}"`, en: `${option} must be a positive whole number, got "${String(raw)}"` }, EXIT.usage);
    out[k] = n;
  }
  return out;
}
