/**
 * `--formats-dir DIR` (repeatable) and JIEXU_FORMATS (a path list): legacy
 * formats declared outside jiexu, on every command that takes a format. DIR is
 * one format folder (it holds mapping.json) or a folder of format folders.
 * They are loaded before the command runs; a mapping error names the file and
 * the JSON pointer and exits 2.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { AdapterError, formatDirsFromEnv, loadFormats } from '@jiexu/adapters';
import { CliError, EXIT } from './errors.ts';
import { foreign } from './file-errors.ts';
import { say, type Lang } from './lang.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** The format folders a DIR stands for: itself when it holds a mapping, else its sub-folders that do. */
export function formatFolders(dir: string): string[] {
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st?.isDirectory()) throw new CliError({ zh: `--formats-dir ${dir}：${st ? '不是文件夹' : '文件夹不存在'}`, en: `--formats-dir ${dir}: ${st ? 'not a folder' : 'no such folder'}` }, EXIT.usage);
  if (existsSync(join(dir, 'mapping.json'))) return [resolve(dir)];
  const found = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'mapping.json')))
    .map((d) => resolve(dir, d.name))
    .sort();
  if (!found.length) throw new CliError({ zh: `--formats-dir ${dir}：其中既没有 mapping.json，也没有含 mapping.json 的子文件夹`, en: `--formats-dir ${dir}: holds no mapping.json, nor folders that do` }, EXIT.usage);
  return found;
}

/** Loads the format folders of the environment and of the option. */
export async function useFormatDirs(dirs: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const folders = [...formatDirsFromEnv(env), ...dirs].flatMap(formatFolders);
  try {
    await loadFormats(folders);
  } catch (err) {
    if (err instanceof AdapterError) throw foreign(err, EXIT.usage);
    throw err;
  }
}

/** Adds --formats-dir to a command and loads the folders (and JIEXU_FORMATS) before its action. */
export function withFormatDirs(cmd: Command, lang: Lang): Command {
  return cmd
    .option('--formats-dir <dir>', say({ zh: '在 jiexu 之外声明的格式文件夹（mapping.json、取值钩子、文件结构代码），或包含这类文件夹的文件夹（可重复；也可用路径列表 JIEXU_FORMATS）', en: 'a format folder (mapping.json, hooks, framing) or a folder of them, declared outside jiexu (repeatable; also JIEXU_FORMATS, a path list)' }, lang), collect)
    .hook('preAction', async (_self, action) => {
      await useFormatDirs((action.opts() as { formatsDir?: string[] }).formatsDir);
    });
}
