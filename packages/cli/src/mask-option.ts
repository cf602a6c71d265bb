/**
 * `--mask`: a report to share outside the office, with every 公民身份号码 masked to its
 * address code and last four characters (110105********002X) however it is written — the
 * platform's log masking (`@jiexu/platform/mask`), one implementation for every command
 * that prints personal identifiers. The command says which of its streams are reports
 * (converted data written to stdout is never touched); files it writes as reports go
 * through `maskedText`.
 */
import type { Command } from 'commander';
import { maskIdentifiers } from '@jiexu/platform/mask';
import { say, type Lang, type Text } from './lang.ts';

export const MASK_HELP = {
  zh: '遮蔽报告中的公民身份号码（只留前六位地区码和后四位），用于在经办机构以外分享',
  en: 'mask citizen IDs in the report (keeping the six-digit address code and the last four characters), to share it outside the office',
} satisfies Text;

type ReportStream = 'stdout' | 'stderr';

/** The text as a report shows it: masked when `--mask` was given. */
export function maskedText(text: string, opts: { mask?: boolean }): string {
  return opts.mask ? maskIdentifiers(text) : text;
}

/** Every chunk written to `stream` from now on masked (the commands write whole lines). */
function maskStream(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : chunk;
    return write(typeof text === 'string' ? maskIdentifiers(text) : text, ...rest);
  }) as typeof stream.write;
}

/** Adds `--mask` to a command; with it, what the command prints on `streams` is masked. */
export function withMaskOption(cmd: Command, lang: Lang, streams: ReportStream[] = ['stdout', 'stderr']): Command {
  return cmd.option('--mask', say(MASK_HELP, lang)).hook('preAction', (_self, action) => {
    if (!(action.opts() as { mask?: boolean }).mask) return;
    for (const s of streams) maskStream(process[s]);
  });
}
