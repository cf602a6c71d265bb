/**
 * The Vite plugin that lets the validator's worker run the CLI's own reading code:
 *
 * - the Node built-ins the adapters use resolve to browser stand-ins (src/worker/node/: memfs for
 *   fs, …); the rest come from vite-plugin-node-polyfills;
 * - `import.meta.url` in the sources of @jiexu/standard and @jiexu/adapters becomes a file URL of
 *   the in-memory file system (file:///jiexu/<package>/<path>), so `new URL('./formats/', …)` and
 *   `schemasDir()` name folders the worker fills at start;
 * - `virtual:jiexu-files` holds what those packages read at run time, taken from the packages
 *   themselves when the bundle is built (the standard's code lists and catalogue through
 *   schemasDir(), the adapters' mapping files and mapping schema), and the formats declared in
 *   the folders named by JIEXU_CONSOLE_FORMATS (`:`-separated; each folder's mapping.json, with
 *   its hooks/framing code bundled and handed to preloadFormatCode).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'vite';
import { schemasDir } from '@jiexu/standard';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const SHIMS = join(HERE, '../src/worker/node');
/** Node built-ins that have a browser package of their own (readable-stream 4 has Readable.from and promises). */
const EXCELJS_READER = join(dirname(createRequire(join(PACKAGES_ROOT_ADAPTERS(), 'package.json')).resolve('exceljs/package.json')), 'lib/stream/xlsx/workbook-reader.js');
const PACKAGED: Record<string, string> = {
  stream: require.resolve('readable-stream'),
  buffer: require.resolve('buffer/'),
  events: require.resolve('events/'),
  path: require.resolve('path-browserify'),
  string_decoder: require.resolve('string_decoder/'),
  process: require.resolve('process/browser.js'),
};

function PACKAGES_ROOT_ADAPTERS(): string {
  return dirname(realpathSync(require.resolve('@jiexu/adapters/package.json')));
}

/** The in-memory file system's root for a package, and the package folders on disk. */
const PACKAGES: Record<string, string> = {
  standard: dirname(realpathSync(require.resolve('@jiexu/standard/package.json'))),
  adapters: dirname(realpathSync(require.resolve('@jiexu/adapters/package.json'))),
};
export const VIRTUAL_ROOT = '/jiexu';
export const FORMATS_ROOT = `${VIRTUAL_ROOT}/formats`;

const SHIMMED: Record<string, string> = {
  fs: 'fs.ts',
  'fs/promises': 'fs-promises.ts',
  'stream/promises': 'stream-promises.ts',
  url: 'url.ts',
  readline: 'readline.ts',
  module: 'module.ts',
  zlib: 'zlib.ts',
  util: 'util.ts',
  os: 'os.ts',
  crypto: 'crypto.ts',
  assert: 'assert.cjs',
};

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

/** The folders of JIEXU_CONSOLE_FORMATS, each holding a mapping.json. */
export function extraFormatDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.JIEXU_CONSOLE_FORMATS ?? '').split(':').filter(Boolean).map((d) => resolve(d));
  for (const d of dirs) if (!existsSync(join(d, 'mapping.json'))) throw new Error(`JIEXU_CONSOLE_FORMATS: ${d} has no mapping.json`);
  return dirs;
}

/** Path in the in-memory file system → file contents (text). */
function runtimeFiles(formatDirs: string[]): Record<string, string> {
  const files: Record<string, string> = {};
  const schemas = schemasDir();
  for (const file of walk(schemas)) {
    const rel = relative(schemas, file).split(sep).join('/');
    // what the standard reads at run time: code lists (labels, region codes) and the case-type catalogue
    if (/^[0-9.]+\/(codelists\/[a-z0-9-]+\.json|catalogue\/case-types\.json)$/.test(rel) || rel === 'versions.json') files[`${VIRTUAL_ROOT}/standard/schemas/${rel}`] = readFileSync(file, 'utf8');
  }
  const adapters = PACKAGES.adapters!;
  files[`${VIRTUAL_ROOT}/adapters/mapping.schema.json`] = readFileSync(join(adapters, 'mapping.schema.json'), 'utf8');
  for (const file of walk(join(adapters, 'src/formats'))) {
    if (file.endsWith('mapping.json')) files[`${VIRTUAL_ROOT}/adapters/${relative(adapters, file).split(sep).join('/')}`] = readFileSync(file, 'utf8');
  }
  // the built-in formats' code files exist too (the registry looks for them); they run from the bundle
  for (const { virtual } of builtinCode()) files[virtual] = '';
  for (const dir of formatDirs) {
    files[`${FORMATS_ROOT}/${basename(dir)}/mapping.json`] = readFileSync(join(dir, 'mapping.json'), 'utf8');
    // the code files exist in the file system (the registry looks for them) but run from the bundle
    for (const code of codeFiles(dir)) files[`${FORMATS_ROOT}/${basename(dir)}/${basename(code)}`] = '';
  }
  return files;
}

/** The built-in formats' code files (hooks.ts …): real path and in-memory path. */
function builtinCode(): { real: string; virtual: string }[] {
  const adapters = PACKAGES.adapters!;
  const root = join(adapters, 'src/formats');
  return readdirSync(root).flatMap((name) =>
    statSync(join(root, name)).isDirectory() ? codeFiles(join(root, name)).map((real) => ({ real, virtual: `${VIRTUAL_ROOT}/adapters/src/formats/${name}/${basename(real)}` })) : [],
  );
}

function codeFiles(dir: string): string[] {
  return ['hooks', 'framing'].flatMap((base) => ['mjs', 'js', 'ts'].map((ext) => join(dir, `${base}.${ext}`)).filter((f) => existsSync(f)).slice(0, 1));
}

/** The @jiexu package a source file belongs to, and its path inside it. */
function inPackage(id: string): { name: string; rel: string } | undefined {
  const file = id.split('?')[0]!;
  for (const [name, dir] of Object.entries(PACKAGES)) {
    if (file.startsWith(dir + sep)) return { name, rel: relative(dir, file).split(sep).join('/') };
  }
  return undefined;
}

export function jiexuInBrowser(): Plugin {
  const formatDirs = extraFormatDirs();
  return {
    name: 'jiexu-in-browser',
    enforce: 'pre',
    resolveId(source, importer) {
      const bare = source.replace(/^node:/, '');
      // a dependency (CommonJS, e.g. the xlsx reader's) gets the file system object itself, whole and patchable
      if (bare === 'fs' && importer?.includes(`${sep}node_modules${sep}`)) return join(SHIMS, 'graceful-fs.cjs');
      if (SHIMMED[bare] && (source.startsWith('node:') || bare === source)) return join(SHIMS, SHIMMED[bare]!);
      if (PACKAGED[bare] && (source.startsWith('node:') || bare === source)) return PACKAGED[bare];
      // exceljs's Node build (streaming reader), resolved from the adapters that depend on it
      if (source === 'exceljs') return join(SHIMS, 'exceljs.ts');
      if (source === 'graceful-fs') return join(SHIMS, 'graceful-fs.cjs');
      if (source === 'exceljs/lib/stream/xlsx/workbook-reader.js') return EXCELJS_READER;
      if (source === 'virtual:jiexu-files' || source === 'virtual:jiexu-format-code') return `\0${source}`;
      return undefined;
    },
    load(id) {
      if (id === '\0virtual:jiexu-files') return `export default ${JSON.stringify(runtimeFiles(formatDirs))};`;
      if (id === '\0virtual:jiexu-format-code') {
        const lines: string[] = [];
        const entries: string[] = [];
        builtinCode().forEach(({ real, virtual }, k) => {
          lines.push(`import * as b${k} from ${JSON.stringify(real)};`);
          entries.push(`[${JSON.stringify(`file://${virtual}`)}, b${k}]`);
        });
        formatDirs.forEach((dir, i) => {
          codeFiles(dir).forEach((code, j) => {
            lines.push(`import * as m${i}_${j} from ${JSON.stringify(code)};`);
            entries.push(`[${JSON.stringify(`file://${FORMATS_ROOT}/${basename(dir)}/${basename(code)}`)}, m${i}_${j}]`);
          });
        });
        const dirs = formatDirs.map((d) => `${FORMATS_ROOT}/${basename(d)}`);
        return `${lines.join('\n')}\nexport const formatDirs = ${JSON.stringify(dirs)};\nexport const formatCode = new Map([${entries.join(', ')}]);\n`;
      }
      return undefined;
    },
    transform(code, id) {
      const where = inPackage(id);
      if (!where || !code.includes('import.meta.url')) return undefined;
      return { code: code.replaceAll('import.meta.url', JSON.stringify(`file://${VIRTUAL_ROOT}/${where.name}/${where.rel}`)), map: null };
    },
  };
}
