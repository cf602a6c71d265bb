import type { Command } from 'commander';
import { checkPaths, formatChange, LoadError, MODES, type Mode } from '@jiexu/versioning';
import { CliError, EXIT } from '../errors.ts';

/** `jiexu schema …`: work on the standard's schemas (compatibility between versions). */
export function register(program: Command): void {
  const schema = program.command('schema').description('work on the standard itself: compare versions');

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
      let result;
      try {
        result = checkPaths(oldPath, newPath, opts.mode as Mode, Boolean(opts.allowUnclassified));
      } catch (err) {
        if (err instanceof LoadError) throw new CliError(err.message, EXIT.usage);
        throw err;
      }
      if (opts.json) {
        const { verdict, mode, ok, changes } = result;
        process.stdout.write(`${JSON.stringify({ verdict, mode, ok, old: result.old, new: result.new, changes }, null, 2)}\n`);
      } else {
        for (const c of result.changes) process.stdout.write(`${formatChange(c)}\n`);
        const problems = result.violations.length + (opts.allowUnclassified ? 0 : result.unclassified.length);
        process.stdout.write(
          `${result.changes.length} change(s); verdict ${result.verdict}; mode ${result.mode}: ${result.ok ? 'ok' : `${problems} change(s) not allowed`}\n`,
        );
      }
      process.exitCode = result.ok ? EXIT.ok : EXIT.invalid;
    });
}
