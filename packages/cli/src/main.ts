import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './errors.ts';
import { loadCommands, type CommandModule } from './commands/index.ts';

/** The version in the package's package.json (the same path from src/ and dist/). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Builds the `jiexu` program from command modules (each lives in its own module under commands/). */
export function buildProgram(modules: CommandModule[]): Command {
  const program = new Command('jiexu')
    .description('jiexu (接续): validate, convert and assess social-insurance records; run the transfer platform')
    .version(packageVersion())
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  for (const module of modules) module.register(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(await loadCommands(argv));
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are "errors" to commander but successes to us
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof CliError) {
      process.stderr.write(`jiexu: ${err.message}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`jiexu: internal error: ${message}\n`);
    if (process.env.JIEXU_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT.usage;
  }
}
