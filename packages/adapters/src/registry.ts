/**
 * The formats: every folder under formats/ holding a mapping.json, and folders
 * added from outside (`--formats-dir`, JIEXU_FORMATS, `loadFormats`). A folder
 * may hold, beside its mapping, `hooks.{mjs,js,ts}` (value hooks) and
 * `framing.{mjs,js,ts}` (its own framing). Adding a format adds a folder;
 * nothing here changes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { loadMapping, type FormatIssueCode, type Mapping } from './mapping.ts';
import type { Hooks } from './rows.ts';
import { registerFraming, type Framing } from './framing/index.ts';
import { importOutside } from './outside.ts';

const FORMATS_DIR = new URL('./formats/', import.meta.url);
const CODE_FILES = ['mjs', 'js', 'ts'];

export interface FormatEntry {
  mapping: Mapping;
  dir: URL;
}

let entries: Map<string, FormatEntry> | undefined;

export function formatEntries(): Map<string, FormatEntry> {
  if (!entries) {
    entries = new Map();
    for (const d of readdirSync(FORMATS_DIR, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const dir = new URL(`${d.name}/`, FORMATS_DIR);
      const file = new URL('mapping.json', dir);
      if (!existsSync(file)) continue;
      const mapping = loadMapping(file, { schemaChecked: true }); // the package's own: checked by mapping.test.ts
      if (mapping.name !== d.name) throw new Error(`formats/${d.name}/mapping.json declares name "${mapping.name}"; the folder must have the format's name`);
      entries.set(mapping.name, { mapping, dir });
    }
  }
  return entries;
}

/** The format's code file of that base name (framing, hooks), if it has one. */
function codeFile(dir: URL, base: string): URL | undefined {
  for (const ext of CODE_FILES) {
    const file = new URL(`${base}.${ext}`, dir);
    if (existsSync(file)) return file;
  }
  return undefined;
}

const asFolder = (dir: URL): URL => (dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`));

function register(entry: FormatEntry): FormatEntry {
  const known = formatEntries().get(entry.mapping.name);
  if (known && known.dir.href !== entry.dir.href) throw new Error(`format ${entry.mapping.name} already exists (in ${known.dir.pathname})`);
  formatEntries().set(entry.mapping.name, entry);
  for (const c of entry.mapping.issueCodes ?? []) formatIssueCodes.set(c.code, c);
  return entry;
}

/**
 * Adds a format kept outside this package whose mapping uses a registered
 * framing (no framing file). Its name must be new. `loadFormatDir` also loads
 * a framing of its own.
 */
export function addFormatDir(dir: URL): FormatEntry {
  const folder = asFolder(dir);
  if (codeFile(folder, 'framing')) throw new Error('the folder has its own framing: load it with loadFormats (asynchronous)');
  return register({ mapping: loadMapping(new URL('mapping.json', folder)), dir: folder });
}

/** Adds a format folder, loading its own framing first when it has one. Loading the same folder again is a no-op. */
export async function loadFormatDir(dir: URL): Promise<FormatEntry> {
  const folder = asFolder(dir);
  const framingFile = codeFile(folder, 'framing');
  if (framingFile) {
    const mod = (await importOutside(framingFile)) as { framing?: Framing; default?: Framing };
    const framing = mod.framing ?? mod.default;
    if (!framing) throw new Error(`${framingFile.pathname} exports no framing (export const framing = defineFraming({...}))`);
    registerFraming(framing);
  }
  return register({ mapping: loadMapping(new URL('mapping.json', folder)), dir: folder });
}

/** Issue codes declared by formats (x-<format>-…), with their labels. */
export const formatIssueCodes = new Map<string, FormatIssueCode>();

const hookCache = new Map<string, Hooks>();

/** The format's hooks (functions exported by its hooks file), checked against what the mapping names. */
export async function hooksOf(entry: FormatEntry): Promise<Hooks> {
  const cached = hookCache.get(entry.mapping.name);
  if (cached) return cached;
  const file = codeFile(entry.dir, 'hooks');
  const hooks: Hooks = file ? ((await importOutside(file)) as { hooks: Hooks }).hooks ?? {} : {};
  const json = JSON.stringify(entry.mapping.framing);
  for (const m of json.matchAll(/"hook":"([A-Za-z0-9]+)"/g)) {
    if (!hooks[m[1]]) throw new Error(`format ${entry.mapping.name} names hook ${m[1]}, which its hooks file does not export`);
  }
  hookCache.set(entry.mapping.name, hooks);
  return hooks;
}

/** Folders named by JIEXU_FORMATS (a path list, `:`-separated; `;` on Windows). */
export function formatDirsFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const sep = process.platform === 'win32' ? ';' : ':';
  return (env.JIEXU_FORMATS ?? '').split(sep).filter((p) => p !== '');
}

export const dirUrl = (dir: string | URL): URL => (typeof dir === 'string' ? pathToFileURL(dir) : dir);
