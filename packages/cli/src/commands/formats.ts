/**
 * `jiexu formats`: the legacy formats the adapters read and write (from their
 * mapping files), with the regions known to use them. `--json` for machines.
 */
import type { Command } from 'commander';
import { AdapterError, CANONICAL, formats } from '@jiexu/adapters';
import { scaffoldFormat, TEMPLATE_KINDS } from '@jiexu/adapters/conformance';
import { CliError, EXIT } from '../errors.ts';
import { resolveLang, say } from '../lang.ts';
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
  const formatsCommand = program.commands.find((c) => c.name() === 'formats')!;
  withFormatDirs(formatsCommand.command('new'))
    .description('scaffold a new format folder: mapping.json, a sample written through it, and a conformance test')
    .argument('<name>', 'the new format name, e.g. ah-dbf')
    .requiredOption('--like <kind-or-format>', `start from a framing (${[...TEMPLATE_KINDS, 'fixed', 'delimited', 'xml', 'spreadsheet'].join(', ')}) or an existing format`)
    .option('--dir <parent>', 'the folder to create it in', '.')
    .option('--lang <lang>', 'zh or en (default: from the locale)')
    .action(async (name: string, opts: { like: string; dir: string; lang?: string }) => {
      const lang = resolveLang(opts.lang);
      try {
        const s = await scaffoldFormat({ name, like: opts.like, parent: opts.dir });
        process.stdout.write(`${say({ zh: `已创建 ${s.dir}：${s.files.join('、')}`, en: `created ${s.dir}: ${s.files.join(', ')}` }, lang)}
`);
        process.stdout.write(`${say({ zh: `下一步：按本地区的文件改写 mapping.json，换上真实样例，运行 jiexu conformance --formats-dir ${s.dir} --format ${name} <样例>`, en: `next: make mapping.json describe your region's file, put a real sample beside it, and run jiexu conformance --formats-dir ${s.dir} --format ${name} <sample>` }, lang)}
`);
      } catch (err) {
        if (err instanceof AdapterError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
    });
}
