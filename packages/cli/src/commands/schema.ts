import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { checkPaths, checkPolicy, cutVersion, formatChange, LoadError, migrate, MigrationError, MODES, releaseVersion, SCHEMAS_DIR, type Mode } from '@jiexu/versioning';
import { CliError, EXIT } from '../errors.ts';

/** Runs a versioning step, turning its clean failures (unreadable input, bad version) into exit code 2. */
function guarded<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (err instanceof LoadError || err instanceof MigrationError) throw new CliError(err.message, EXIT.usage);
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
  if (!dir) throw new CliError(`no schemas/versions.json in ${process.cwd()}: run in a checkout of the standard`, EXIT.usage);
  return dir;
}

/** `jiexu schema …`: work on the standard itself: compare versions, check the policy, cut and release versions. */
export function register(program: Command): void {
  const schema = program.command('schema').description('work on the standard itself: compare versions, check the versioning policy, cut a version');

  schema
    .command('diff')
    .description('classify every change between two versions of a schema (files) or of the standard (folders such as schemas/1.0 schemas/1.1)')
    .argument('<old>', 'old schema file or version folder')
    .argument('<new>', 'new schema file or version folder')
    .option('--json', 'print {"verdict", "changes": [{"pointer", "change", "class", "reason"}]} for machines')
    .option('--mode <mode>', `compatibility required: ${MODES.join(' | ')}`, 'backward')
    .option('--allow-unclassified', 'do not fail on changes the checker cannot classify')
    .action((oldPath: string, newPath: string, opts: { json?: boolean; mode: string; allowUnclassified?: boolean }) => {
      if (!MODES.includes(opts.mode as Mode)) throw new CliError(`--mode must be one of ${MODES.join(', ')} (got '${opts.mode}')`, EXIT.usage);
      const result = guarded(() => checkPaths(oldPath, newPath, opts.mode as Mode, Boolean(opts.allowUnclassified)));
      if (opts.json) {
        const { verdict, mode, ok, changes } = result;
        process.stdout.write(`${JSON.stringify({ verdict, mode, ok, old: result.old, new: result.new, changes }, null, 2)}\n`);
      } else {
        for (const c of result.changes) process.stdout.write(`${formatChange(c)}\n`);
        const problems = result.violations.length + (opts.allowUnclassified ? 0 : result.unclassified.length);
        process.stdout.write(`${result.changes.length} change(s); verdict ${result.verdict}; mode ${result.mode}: ${result.ok ? 'ok' : `${problems} change(s) not allowed`}\n`);
      }
      process.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });

  schema
    .command('policy')
    .description('check the versioning policy over schemas/: versions side by side, each backward compatible with every earlier one of its major')
    .action(() => {
      const failures = guarded(() => checkPolicy(workingSchemas() ?? SCHEMAS_DIR));
      for (const f of failures) process.stdout.write(`${f.message}\n`);
      process.stdout.write(failures.length === 0 ? 'versioning policy holds\n' : `${failures.length} policy failure(s)\n`);
      process.exitCode = failures.length === 0 ? EXIT.ok : EXIT.invalid;
    });

  schema
    .command('cut')
    .description('start a new version of the standard: copy the latest to schemas/<version>/, rename $ids, move version markers, register it as a draft')
    .argument('<version>', 'the new version, major.minor (the next minor, or the next major with minor 0)')
    .action((version: string) => {
      const r = guarded(() => cutVersion(version, { schemasDir: checkoutSchemas() }));
      process.stdout.write(`cut ${r.to} from ${r.from}: ${r.folder} (${r.rewritten.length} files rewritten), registered as a draft in schemas/versions.json\n`);
      for (const line of r.review) process.stdout.write(`review: ${line}\n`);
    });

  schema
    .command('release')
    .description('mark a draft version released in schemas/versions.json (after `jiexu schema policy` passes)')
    .argument('<version>', 'the draft version')
    .action((version: string) => {
      const schemasDir = checkoutSchemas();
      const failures = guarded(() => checkPolicy(schemasDir));
      if (failures.length > 0) {
        for (const f of failures) process.stderr.write(`${f.message}\n`);
        throw new CliError(`not releasing ${version}: ${failures.length} policy failure(s)`, EXIT.invalid);
      }
      guarded(() => releaseVersion(version, { schemasDir }));
      process.stdout.write(`released ${version}\n`);
    });

  schema
    .command('migrate')
    .description('convert a document (envelope, contribution record, or message body with --from) to another version of its major; what a down-conversion drops is reported')
    .argument('<file>', 'the JSON document')
    .requiredOption('--to <version>', 'the target version, e.g. 1.0')
    .option('--from <version>', 'the version of a message body (envelopes and records declare theirs)')
    .option('--json', 'print {"doc", "report"} on stdout instead of the document alone')
    .action((file: string, opts: { to: string; from?: string; json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, EXIT.usage);
      }
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (err) {
        throw new CliError(`${file}: not valid JSON: ${(err as Error).message}`, EXIT.invalid);
      }
      const result = guarded(() => migrate(doc, opts.to, opts.from ? { from: opts.from } : {}));
      if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      else {
        process.stdout.write(`${JSON.stringify(result.doc, null, 2)}\n`);
        for (const i of result.report.issues) process.stderr.write(`${file}: ${i.severity} ${i.code} ${i.pointer ?? ''}: ${i.message.en}\n`);
        process.stderr.write(`${result.report.from} → ${result.report.to}: ${result.report.lossless ? 'lossless' : 'values dropped (see above)'}\n`);
      }
    });
}
