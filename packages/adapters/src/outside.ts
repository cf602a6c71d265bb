/**
 * Loading a format's own code (framing.*, hooks.*) from a folder anywhere on
 * disk. Node resolves a bare specifier from the importing file's folder, so a
 * file outside this repository cannot find `@jiexu/adapters` by itself; a
 * resolve hook (node:module `register`) maps `@jiexu/adapters` and its
 * entries to this very copy, so outside code shares the running registry and
 * needs no symlink, no install and no package.json. `.mjs` and `.js` load
 * natively; `.ts` loads where tsx is registered (the jiexu command runs on tsx).
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

const HOOK = `
let map = {};
export async function initialize(data) { map = data.map; }
export async function resolve(specifier, context, next) {
  if (Object.prototype.hasOwnProperty.call(map, specifier)) return { url: map[specifier], shortCircuit: true };
  return next(specifier, context);
}`;

let registered = false;

/** Registers the resolve hook once (a no-op where node:module has no register, e.g. inside a bundler's runner). */
export function registerSdkResolution(): void {
  if (registered) return;
  registered = true;
  if (typeof nodeModule.register !== 'function') return;
  nodeModule.register(`data:text/javascript,${encodeURIComponent(HOOK)}`, { data: { map: SDK_ENTRIES } });
}

/** Imports a format's code file; a .ts file where no TypeScript loader runs is refused with a clear reason. */
export async function importOutside(file: URL): Promise<unknown> {
  registerSdkResolution();
  try {
    return await import(file.href);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ERR_UNKNOWN_FILE_EXTENSION') {
      throw new Error(`${file.pathname}: TypeScript needs a loader; run it through the jiexu command (which runs on tsx) or write it as .mjs`);
    }
    throw new Error(`${file.pathname} cannot be loaded: ${e.message}`);
  }
}
