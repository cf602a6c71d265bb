/**
 * `jiexu formats`: the legacy formats the adapters read and write (from their
 * mapping files), with the regions known to use them. `--json` for machines.
 */
import type { Command } from 'commander';
import { CANONICAL, formats } from '@jiexu/adapters';
import { say, type Lang, type Text } from '../lang.ts';

const T = {
  description: { zh: '列出 `jiexu convert` 和 `jiexu validate --format` 能读写的旧系统格式', en: 'list the legacy formats `jiexu convert` and `jiexu validate --format` understand' },
  json: { zh: '输出机器可读的 JSON', en: 'machine-readable output' },
  canonical: { zh: '标准缴费记录 JSON Lines（每行一条 ContributionRecord）', en: 'canonical contribution records as JSON Lines (one ContributionRecord per line)' },
} satisfies Record<string, Text>;

export function register(program: Command, lang: Lang): void {
  program
    .command('formats')
    .description(say(T.description, lang))
    .option('--json', say(T.json, lang))
    .action((opts: { json?: boolean }) => {
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(formats, null, 2)}\n`);
        return;
      }
      const width = Math.max(...formats.map((f) => f.name.length), CANONICAL.length);
      for (const f of formats) {
        process.stdout.write(`${f.name.padEnd(width)}  ${f.description[lang]}  [${f.regions.join(', ')}] ${f.extensions.join(' ')}\n`);
      }
      process.stdout.write(`${CANONICAL.padEnd(width)}  ${say(T.canonical, lang)}\n`);
    });
}
