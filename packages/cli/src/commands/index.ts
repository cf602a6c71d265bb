import type { Command } from 'commander';
import type { Lang } from '../lang.ts';

/** A command's module: registers the command with every text (description, options, output) in `lang`. */
export type CommandModule = { register(program: Command, lang: Lang): void };

/**
 * Every top-level command, by the name typed on the command line, and how to
 * load the module that registers it. Modules are loaded on demand so that
 * `jiexu validate` does not pay for the platform's database or the xlsx reader.
 * Add new commands here.
 */
export const commandModules: Record<string, () => Promise<CommandModule>> = {
  validate: () => import('./validate.ts'),
  formats: () => import('./formats.ts'),
  convert: () => import('./convert.ts'),
  assess: () => import('./assess.ts'),
  'transfer-plan': () => import('./transfer-plan.ts'),
  schema: () => import('./schema.ts'),
  serve: () => import('./serve.ts'),
  platform: () => import('./platform.ts'),
  send: () => import('./send.ts'),
  inbox: () => import('./inbox.ts'),
  case: () => import('./case.ts'),
  demo: () => import('./demo.ts'),
  conformance: () => import('./conformance.ts'),
  ledger: () => import('./ledger.ts'),
  simulate: () => import('./simulate.ts'),
  stats: () => import('./stats.ts'),
  verify: () => import('./verify.ts'),
};

/** The modules needed to run `argv`: only the named command's, or all of them for help and unknown commands. */
export async function loadCommands(argv: string[]): Promise<CommandModule[]> {
  const name = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const wanted = name !== undefined && name in commandModules ? [commandModules[name]] : Object.values(commandModules);
  return Promise.all(wanted.map((load) => load()));
}
