import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatIssue, jsonParseMessage } from '@jiexu/standard';
import { checkPaths, checkPolicy, CLASS_ZH, cutVersion, formatChange, LoadError, migrate, MigrationError, MODES, releaseVersion, SCHEMAS_DIR, type Mode } from '@jiexu/versioning';
import { CliError, EXIT } from '../errors.ts';
import { foreign, unreadable } from '../file-errors.ts';
import { inLang, say, type Lang, type Text } from '../lang.ts';

const HELP = {
  schema: { zh: '维护标准本身：比较版本、检查版本策略、切出新版本', en: 'work on the standard itself: compare versions, check the versioning policy, cut a version' },
  diff: { zh: '对一个模式（文件）或整个标准（如 schemas/1.0 schemas/1.1 这样的目录）的两个版本之间的每处变更分类', en: 'classify every change between two versions of a schema (files) or of the standard (folders such as schemas/1.0 schemas/1.1)' },
  old: { zh: '旧模式文件或版本目录', en: 'old schema file or version folder' },
  new: { zh: '新模式文件或版本目录', en: 'new schema file or version folder' },
  diffJson: { zh: '为程序输出 {"verdict", "changes": [{"pointer", "change", "class", "reason", "zh"}]}（"zh" 是中文的 "change" 和 "reason"）', en: 'print {"verdict", "changes": [{"pointer", "change", "class", "reason", "zh"}]} for machines ("zh" holds "change" and "reason" in Chinese)' },
  mode: { zh: '要求的兼容性', en: 'compatibility required' },
  allowUnclassified: { zh: '检查器无法分类的变更不算失败', en: 'do not fail on changes the checker cannot classify' },
  policy: { zh: '检查 schemas/ 的版本策略：各版本并存，每个版本向后兼容同一主版本的所有早期版本', en: 'check the versioning policy over schemas/: versions side by side, each backward compatible with every earlier one of its major' },
  cut: { zh: '开始标准的新版本：把最新版本复制到 schemas/<version>/，改写 $id，更新版本标记，登记为草案', en: 'start a new version of the standard: copy the latest to schemas/<version>/, rename $ids, move version markers, register it as a draft' },
  cutVersion: { zh: '新版本号，主版本.次版本（下一个次版本，或次版本为 0 的下一个主版本）', en: 'the new version, major.minor (the next minor, or the next major with minor 0)' },
  release: { zh: '在 schemas/versions.json 中把草案版本标记为已发布（须先通过 `jiexu schema policy`）', en: 'mark a draft version released in schemas/versions.json (after `jiexu schema policy` passes)' },
  releaseVersion: { zh: '草案版本号', en: 'the draft version' },
  migrate: { zh: '把文档（信封、缴费记录，或配合 --from 的报文体）转换为同一主版本的另一个版本；降级转换丢弃的内容会报告出来', en: 'convert a document (envelope, contribution record, or message body with --from) to another version of its major; what a down-conversion drops is reported' },
  file: { zh: 'JSON 文档', en: 'the JSON document' },
  to: { zh: '目标版本，例如 1.0', en: 'the target version, e.g. 1.0' },
  from: { zh: '报文体的版本（信封和缴费记录自带版本）', en: 'the version of a message body (envelopes and records declare theirs)' },
  migrateJson: { zh: '在标准输出上输出 {"doc", "report"}，而不只是文档本身', en: 'print {"doc", "report"} on stdout instead of the document alone' },
} satisfies Record<string, Text>;


/** Runs a versioning step, turning its clean failures (unreadable input, bad version) into exit code 2. */
function guarded<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof LoadError || err instanceof MigrationError) throw foreign(err, EXIT.usage);
    throw err;
  }
}

/**
 * The schemas/ folder `policy`, `cut` and `release` work on: the one in the
 * current directory (a checkout of the standard, where versions are cut and
 * released); `policy` elsewhere checks the standard the CLI ships with.
 */
function workingSchemas(): string | undefined {
  const here = resolve('schemas');
  return existsSync(join(here, 'versions.json')) ? here : undefined;
}

function checkoutSchemas(): string {
  const dir = workingSchemas();
  if (!dir) throw new CliError({ zh: `${process.cwd()} 中没有 schemas/versions.json：请在标准的检出目录中运行`, en: `no schemas/versions.json in ${process.cwd()}: run in a checkout of the standard` }, EXIT.usage);
  return dir;
}

/** `jiexu schema …`: work on the standard itself: compare versions, check the policy, cut and release versions. */
export function register(program: Command, lang: Lang): void {
  const h = inLang(HELP, lang);
  const zh = lang === 'zh';
  const schema = program.command('schema').description(h.schema);

  schema
    .command('diff')
    .description(h.diff)
    .argument('<old>', h.old)
    .argument('<new>', h.new)
    .option('--json', h.diffJson)
    .option('--mode <mode>', `${h.mode}: ${MODES.join(' | ')}`, 'backward')
    .option('--allow-unclassified', h.allowUnclassified)
    .action((oldPath: string, newPath: string, opts: { json?: boolean; mode: string; allowUnclassified?: boolean }) => {
      if (!MODES.includes(opts.mode as Mode)) throw new CliError({ zh: `--mode 只能是 ${MODES.join('、')} 之一（而不是 '${opts.mode}'）`, en: `--mode must be one of ${MODES.join(', ')} (got '${opts.mode}')` }, EXIT.usage);
      const result = guarded(() => checkPaths(oldPath, newPath, opts.mode as Mode, Boolean(opts.allowUnclassified)));
      if (opts.json) {
        const { verdict, mode, ok, changes } = result;
        process.stdout.write(`${JSON.stringify({ verdict, mode, ok, old: result.old, new: result.new, changes }, null, 2)}\n`);
      } else {
        for (const c of result.changes) process.stdout.write(`${formatChange(c, lang)}\n`);
        const problems = result.violations.length + (opts.allowUnclassified ? 0 : result.unclassified.length);
        const verdict = zh
          ? `${result.changes.length} 处变更；结论 ${CLASS_ZH[result.verdict] ?? result.verdict} [${result.verdict}]；模式 ${result.mode}：${result.ok ? '通过' : `${problems} 处变更不允许`}`
          : `${result.changes.length} change(s); verdict ${result.verdict}; mode ${result.mode}: ${result.ok ? 'ok' : `${problems} change(s) not allowed`}`;
        process.stdout.write(`${verdict}\n`);
      }
      process.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });

  schema
    .command('policy')
    .description(h.policy)
    .action(() => {
      const failures = guarded(() => checkPolicy(workingSchemas() ?? SCHEMAS_DIR));
      for (const f of failures) process.stdout.write(`${zh ? f.messageZh : f.message}\n`);
      const verdict = failures.length === 0 ? { zh: '版本策略成立', en: 'versioning policy holds' } : { zh: `${failures.length} 处违反版本策略`, en: `${failures.length} policy failure(s)` };
      process.stdout.write(`${say(verdict, lang)}\n`);
      process.exitCode = failures.length === 0 ? EXIT.ok : EXIT.invalid;
    });

  schema
    .command('cut')
    .description(h.cut)
    .argument('<version>', h.cutVersion)
    .action((version: string) => {
      const r = guarded(() => cutVersion(version, { schemasDir: checkoutSchemas() }));
      const done = {
        zh: `已从 ${r.from} 切出 ${r.to}：${r.folder}（改写 ${r.rewritten.length} 个文件），已在 schemas/versions.json 中登记为草案`,
        en: `cut ${r.to} from ${r.from}: ${r.folder} (${r.rewritten.length} files rewritten), registered as a draft in schemas/versions.json`,
      };
      process.stdout.write(`${say(done, lang)}\n`);
      for (const line of r.review) process.stdout.write(`${zh ? '待复核' : 'review'}: ${line}\n`);
    });

  schema
    .command('release')
    .description(h.release)
    .argument('<version>', h.releaseVersion)
    .action((version: string) => {
      const schemasDir = checkoutSchemas();
      const failures = guarded(() => checkPolicy(schemasDir));
      if (failures.length > 0) {
        for (const f of failures) process.stderr.write(`${zh ? f.messageZh : f.message}\n`);
        throw new CliError({ zh: `不发布 ${version}：${failures.length} 处违反版本策略`, en: `not releasing ${version}: ${failures.length} policy failure(s)` }, EXIT.invalid);
      }
      guarded(() => releaseVersion(version, { schemasDir }));
      process.stdout.write(`${say({ zh: `已发布 ${version}`, en: `released ${version}` }, lang)}\n`);
    });

  schema
    .command('migrate')
    .description(h.migrate)
    .argument('<file>', h.file)
    .requiredOption('--to <version>', h.to)
    .option('--from <version>', h.from)
    .option('--json', h.migrateJson)
    .action((file: string, opts: { to: string; from?: string; json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw unreadable(file, err);
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw new CliError({ zh: `${file}：不是有效的 JSON：${jsonParseMessage(err).zh}`, en: `${file}: not valid JSON: ${(err as Error).message}` }, EXIT.invalid);
      }
      const result = guarded(() => migrate(doc, opts.to, opts.from ? { from: opts.from } : {}));
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        process.stdout.write(`${JSON.stringify(result.doc, null, 2)}\n`);
        for (const i of result.report.issues) process.stderr.write(`${formatIssue({ ...i, location: { file } }, lang)}\n`);
        const outcome = result.report.lossless ? { zh: '无损', en: 'lossless' } : { zh: '有值被丢弃（见上）', en: 'values dropped (see above)' };
        process.stderr.write(`${result.report.from} → ${result.report.to}${zh ? '：' : ': '}${say(outcome, lang)}\n`);
      }
    });
}
