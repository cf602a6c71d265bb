/**
 * `jiexu formats`: the legacy formats the adapters read and write (from their
 * mapping files), with the regions known to use them. `--json` for machines.
 */
import type { Command } from 'commander';
import { CANONICAL, formats } from '@jiexu/adapters';
import { withFormatDirs } from '../format-dirs.ts';

export function register(program: Command): void {
  withFormatDirs(program
    .command('formats'))
    .description('list the legacy formats `jiexu convert` and `jiexu validate --format` understand')
    .option('--json', 'machine-readable output')
    .option('--lang <lang>', 'zh or en', 'en')
    .action((opts: { json?: boolean; lang?: string }) => {
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(formats, null, 2)}\n`);
        return;
      }
      const lang = opts.lang === 'zh' ? 'zh' : 'en';
      const width = Math.max(...formats.map((f) => f.name.length), CANONICAL.length);
      for (const f of formats) {
        process.stdout.write(`${f.name.padEnd(width)}  ${f.description[lang]}  [${f.regions.join(', ')}] ${f.extensions.join(' ')}\n`);
      }
      process.stdout.write(`${CANONICAL.padEnd(width)}  ${lang === 'zh' ? '标准缴费记录 JSON Lines（每行一条 ContributionRecord）' : 'canonical contribution records as JSON Lines (one ContributionRecord per line)'}\n`);
    });
}
