/**
 * Loading a format's own code (framing.*, hooks.*) from a folder anywhere on
 * disk. Node resolves a bare specifier from the importing file's folder, so a
 * file outside this repository cannot find `@jiexu/adapters` by itself; a
 * resolve hook (node:module `register`) maps `@jiexu/adapters` and its
 * entries to this very copy, so outside code shares the running registry and
 * needs no symlink, no install and no package.json. `.mjs` and `.js` load
 * natively; `.ts` loads where a TypeScript loader such as tsx is registered (the workspace runs the command from sources on
 * tsx), as a module: a second hook says so for the folder's .ts files.
 */
import { extname } from 'node:path';
import * as nodeModule from 'node:module';

const ext = extname(new URL(import.meta.url).pathname);
/** The package's public entries, as files of this copy. */
export const SDK_ENTRIES: Record<string, string> = {
  '@jiexu/adapters': new URL(`./index${ext}`, import.meta.url).href,
  '@jiexu/adapters/sdk': new URL(`./sdk${ext}`, import.meta.url).href,
  '@jiexu/adapters/conformance': new URL(`./conformance/index${ext}`, import.meta.url).href,
};

/** Maps the SDK's names to this copy; resolving the mapped file is left to the loaders after (tsx for .ts). */
const RESOLVE = `
let map = {};
export async function initialize(data) { map = data.map; }
export async function resolve(specifier, context, next) {
  if (Object.prototype.hasOwnProperty.call(map, specifier)) return next(map[specifier], context);
  return next(specifier, context);
}`;

/**
 * A format folder's TypeScript files are modules (they use import/export),
 * whatever package.json — usually none — the folder sits in; without this a
 * TypeScript loader would take them as CommonJS.
 */
const AS_MODULE = `
let folder = '';
export async function initialize(data) { folder = data.folder; }
export async function load(url, context, next) {
  if (url.startsWith(folder) && /\\.ts$/.test(url.split('?')[0])) return next(url, { ...context, format: 'module' });
  return next(url, context);
}`;

let registered = false;
const modulesIn = new Set<string>();
const canRegister = (): boolean => typeof nodeModule.register === 'function';

/** Registers the resolve hook once (a no-op where node:module has no register, e.g. inside a bundler's runner). */
export function registerSdkResolution(): void {
  if (registered) return;
  registered = true;
  if (canRegister()) nodeModule.register(`data:text/javascript,${encodeURIComponent(RESOLVE)}`, { data: { map: SDK_ENTRIES } });
}

/** Format code bundled ahead of time, by file URL (a browser build has no file system to import from). */
const preloaded = new Map<string, unknown>();

/** Hands over a format's code file (hooks, framing) already loaded: importOutside returns it for that URL instead of importing. */
export function preloadFormatCode(href: string, module: unknown): void {
  preloaded.set(href, module);
}

/** Imports a format's code file; a .ts file where no TypeScript loader runs is refused with a clear reason. */
export async function importOutside(file: URL): Promise<unknown> {
  if (preloaded.has(file.href)) return preloaded.get(file.href);
  registerSdkResolution();
  const folder = new URL('./', file).href;
  if (file.pathname.endsWith('.ts') && canRegister() && !modulesIn.has(folder)) {
    modulesIn.add(folder);
    nodeModule.register(`data:text/javascript,${encodeURIComponent(AS_MODULE)}`, { data: { folder } });
  }
  try {
    return await import(file.href);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new Error(`${file.pathname}: TypeScript needs a loader: write it as .mjs or .js (the installed jiexu command is plain JavaScript), or run node with a TypeScript loader such as tsx`);
    }
    throw new Error(`${file.pathname} cannot be loaded: ${e.message}`);
  }
}
