/**
 * The formats: every folder under formats/ holding a mapping.json (and, when a
 * format needs code, a hooks.ts). Adding a format adds a folder; nothing here changes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { loadMapping, type Mapping } from './mapping.ts';
import type { Hooks } from './rows.ts';

const FORMATS_DIR = new URL('./formats/', import.meta.url);

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
      const mapping = loadMapping(file);
      if (mapping.name !== d.name) throw new Error(`formats/${d.name}/mapping.json declares name "${mapping.name}"; the folder must have the format's name`);
      entries.set(mapping.name, { mapping, dir });
    }
  }
  return entries;
}

/**
 * Adds a format kept outside this package (a folder with mapping.json and
 * optionally hooks.ts), e.g. a vendor's own. Its name must be new.
 */
export function addFormatDir(dir: URL): FormatEntry {
  const folder = dir.href.endsWith('/') ? dir : new URL(`${dir.href}/`);
  const mapping = loadMapping(new URL('mapping.json', folder));
  if (formatEntries().has(mapping.name)) throw new Error(`format ${mapping.name} already exists`);
  const entry = { mapping, dir: folder };
  formatEntries().set(mapping.name, entry);
  return entry;
}

const hookCache = new Map<string, Hooks>();

/** The format's hooks (functions exported by its hooks.ts), checked against what the mapping names. */
export async function hooksOf(entry: FormatEntry): Promise<Hooks> {
  const cached = hookCache.get(entry.mapping.name);
  if (cached) return cached;
  // hooks.ts beside the mapping (sources), or the hooks.js it was built to (an installed package)
  const file = [new URL('hooks.ts', entry.dir), new URL('hooks.js', entry.dir)].find((f) => existsSync(f));
  const hooks: Hooks = file ? ((await import(file.href)) as { hooks: Hooks }).hooks : {};
  const json = JSON.stringify(entry.mapping.framing);
  for (const m of json.matchAll(/"hook":"([A-Za-z0-9]+)"/g)) {
    if (!hooks[m[1]]) throw new Error(`format ${entry.mapping.name} names hook ${m[1]}, which its hooks.ts does not export`);
  }
  hookCache.set(entry.mapping.name, hooks);
  return hooks;
}
