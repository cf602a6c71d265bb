/**
 * `jiexu formats`: the legacy formats the adapters read and write (from their
 * mapping files), with the regions known to use them. `--json` for machines.
 */
import type { Command } from 'commander';
import { AdapterError, CANONICAL, formats } from '@jiexu/adapters';
import { scaffoldFormat, TEMPLATE_KINDS } from '@jiexu/adapters/conformance';
import { foreign } from '../file-errors.ts';
import { EXIT } from '../errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';
import { withFormatDirs } from '../format-dirs.ts';

const T = {
  description: { zh: '列出 `jiexu convert` 和 `jiexu validate --format` 能读写的旧系统格式', en: 'list the legacy formats `jiexu convert` and `jiexu validate --format` understand' },
  json: { zh: '输出机器可读的 JSON', en: 'machine-readable output' },
  canonical: { zh: '标准缴费记录 JSON Lines（每行一条 ContributionRecord）', en: 'canonical contribution records as JSON Lines (one ContributionRecord per line)' },
  newDescription: { zh: '新建一个格式文件夹：mapping.json、按它写出的样例和一致性测试', en: 'scaffold a new format folder: mapping.json, a sample written through it, and a conformance test' },
  newName: { zh: '新格式的名称，例如 `ah-dbf`', en: 'the new format name, e.g. ah-dbf' },
  newLike: { zh: `以某种文件结构（${[...TEMPLATE_KINDS, 'fixed', 'delimited', 'xml', 'spreadsheet'].map((k) => `\`${k}\``).join('、')}）或某个已有格式为起点`, en: `start from a framing (${[...TEMPLATE_KINDS, 'fixed', 'delimited', 'xml', 'spreadsheet'].join(', ')}) or an existing format` },
  newDir: { zh: '在哪个文件夹下创建', en: 'the folder to create it in' },
} satisfies Record<string, Text>;

export function register(program: Command, lang: Lang): void {
  const h = inLang(T, lang);
  const formatsCommand = withFormatDirs(program.command('formats'), lang)
    .description(h.description)
    .option('--json', h.json)
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
  withFormatDirs(formatsCommand.command('new'), lang)
    .description(h.newDescription)
    .argument('<name>', h.newName)
    .requiredOption('--like <kind-or-format>', h.newLike)
    .option('--dir <parent>', h.newDir, '.')
    .action(async (name: string, opts: { like: string; dir: string }) => {
      try {
        const s = await scaffoldFormat({ name, like: opts.like, parent: opts.dir });
        process.stdout.write(`${say({ zh: `已创建 ${s.dir}：${s.files.join('、')}`, en: `created ${s.dir}: ${s.files.join(', ')}` }, lang)}
`);
        process.stdout.write(`${say({ zh: `下一步：按本地区的文件改写 mapping.json，换上真实样例，运行 jiexu conformance --formats-dir ${s.dir} --format ${name} <样例>`, en: `next: make mapping.json describe your region's file, put a real sample beside it, and run jiexu conformance --formats-dir ${s.dir} --format ${name} <sample>` }, lang)}
`);
      } catch (err) {
        if (err instanceof AdapterError) throw foreign(err, EXIT.usage);
        throw err;
      }
    });
}
