import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { CliError, EXIT } from './errors.ts';
import { allCommands, HELP_TEXT, localiseCommander } from './help.ts';
import { argvLang, resolveLang, say, type Lang } from './lang.ts';
import { loadCommands, type CommandModule } from './commands/index.ts';

/** The version in the package's package.json (the same path from src/ and dist/). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const PROGRAM = {
  description: { zh: 'jiexu（接续）：校验、转换和评估社会保险缴费记录；运行全国转移接续平台', en: 'jiexu (接续): validate, convert and assess social-insurance records; run the transfer platform' },
  internal: { zh: '内部错误', en: 'internal error' },
};

/**
 * Builds the `jiexu` program from command modules (each lives in its own module
 * under commands/), every text in `lang`; every command takes `--lang` (read
 * before the program is built, see `argvLang`).
 */
export function buildProgram(modules: CommandModule[], lang: Lang): Command {
  const program = new Command('jiexu').description(say(PROGRAM.description, lang)).version(packageVersion(), '-V, --version', say(HELP_TEXT.version, lang)).exitOverride();
  localiseCommander(program, lang);
  for (const module of modules) module.register(program, lang);
  for (const cmd of allCommands(program)) {
    cmd.exitOverride();
    if (!cmd.options.some((o) => o.long === '--lang')) cmd.option('--lang <lang>', say(HELP_TEXT.lang, lang));
  }
  return program;
}

/** Runs the CLI and resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let lang: Lang;
  try {
    lang = resolveLang(argvLang(argv));
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    lang = resolveLang(undefined);
    process.stderr.write(`jiexu: ${err.say(lang)}\n`);
    return err.exitCode;
  }
  const program = buildProgram(await loadCommands(argv), lang);
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
      process.stderr.write(`jiexu: ${err.say(lang)}\n`);
      return err.exitCode;
    }
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`jiexu: ${say(PROGRAM.internal, lang)}: ${message}\n`);
    if (process.env.JIEXU_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return EXIT.usage;
  }
}
