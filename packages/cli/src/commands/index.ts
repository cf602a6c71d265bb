import type { Command } from 'commander';

export type CommandModule = { register(program: Command): void };

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
  verify: () => import('./verify.ts'),
};

/** The modules needed to run `argv`: only the named command's, or all of them for help and unknown commands. */
export async function loadCommands(argv: string[]): Promise<CommandModule[]> {
  const name = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const wanted = name !== undefined && name in commandModules ? [commandModules[name]] : Object.values(commandModules);
  return Promise.all(wanted.map((load) => load()));
}
