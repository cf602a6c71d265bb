#!/usr/bin/env node
/**
 * The non-TypeScript half of a package's build, run in the package folder
 * after tsc: copies the files the code reads beside itself (JSON mappings,
 * the generated standalone validators and their .d.ts) from src/ to dist/,
 * and refreshes the copies a package ships of files whose source of truth is
 * elsewhere in the repository (PACKAGE_COPIES). The copies are gitignored:
 * `pnpm install` builds them (root `prepare`), and vitest refreshes them
 * before every run (globalSetup in vitest.config.ts), so they never go stale.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../', import.meta.url));

/** Per package folder: [source in the repository, destination in the package]. */
export const PACKAGE_COPIES = {
  'packages/standard': [['schemas', 'schemas']],
  'packages/cli': [['examples/samples', 'samples']],
};

/** Not part of a built package: tests, test helpers, test fixtures. */
const isTestOnly = (rel) =>
  /\.test\.[cm]?[jt]s$/.test(rel) || rel.split(sep).some((part) => part === '__fixtures__' || part === 'testing' || part === 'testing.ts');

function walk(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/**
 * Writes `content` to `to` only when it differs from what is there, through a
 * temporary file renamed over it: a process reading the file meanwhile (a bench
 * or a server started from the same checkout while vitest's global setup runs)
 * sees the old file or the new one, never a missing or half-written one.
 */
function writeIfChanged(to, content) {
  if (existsSync(to) && readFileSync(to).equals(content)) return false;
  mkdirSync(dirname(to), { recursive: true });
  const tmp = `${to}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, to);
  return true;
}

/**
 * What tsc's rewriteRelativeImportExtensions does for .ts files, for a
 * hand-written or generated .js module: `from "./x.ts"` → `from "./x.js"`.
 */
export function rewriteRelativeTsImports(code) {
  return code.replace(/(\b(?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*?)\.ts\2/g, '$1$2$3.js$2');
}

/** src/**: everything tsc does not emit (not *.ts, or a hand-written *.d.ts) → dist/. */
export function copySourceAssets(pkgDir) {
  const src = join(pkgDir, 'src');
  let n = 0;
  for (const file of walk(src)) {
    const rel = relative(src, file);
    if (isTestOnly(rel) || (file.endsWith('.ts') && !file.endsWith('.d.ts'))) continue;
    const to = join(pkgDir, 'dist', rel);
    writeIfChanged(to, file.endsWith('.js') ? Buffer.from(rewriteRelativeTsImports(readFileSync(file, 'utf8'))) : readFileSync(file));
    n++;
  }
  return n;
}

/**
 * Makes `target` hold exactly the files of `source`, in place: changed files are
 * replaced (atomically), files no longer in the source removed, unchanged ones
 * left alone — so the copy is never missing while this runs. Returns how many
 * files it wrote and removed.
 */
export function syncTree(source, target) {
  const wanted = new Set();
  let written = 0;
  let removed = 0;
  for (const file of walk(source)) {
    const rel = relative(source, file);
    wanted.add(rel);
    if (writeIfChanged(join(target, rel), readFileSync(file))) written++;
  }
  if (existsSync(target)) {
    for (const file of walk(target)) {
      if (wanted.has(relative(target, file))) continue;
      rmSync(file, { force: true });
      removed++;
    }
  }
  return { written, removed };
}

/** Brings each of the package's copies in step with its source in the repository (syncTree). */
export function refreshCopies(pkgRel) {
  for (const [from, to] of PACKAGE_COPIES[pkgRel] ?? []) {
    const source = join(REPO, from);
    if (!existsSync(source)) throw new Error(`copy-assets: ${from} is missing`);
    syncTree(source, join(REPO, pkgRel, to));
  }
}

/** Every package's copies (vitest globalSetup: tests read what a user's install reads). */
export function refreshAllCopies() {
  for (const pkgRel of Object.keys(PACKAGE_COPIES)) refreshCopies(pkgRel);
}

export default refreshAllCopies;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const pkgDir = process.cwd();
  const pkgRel = relative(REPO, pkgDir).split(sep).join('/');
  const name = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name;
  try {
    const n = copySourceAssets(pkgDir);
    refreshCopies(pkgRel);
    const copies = (PACKAGE_COPIES[pkgRel] ?? []).map(([from, to]) => `${from} → ${to}`);
    process.stdout.write(`${name}: ${n} asset(s) src → dist${copies.length ? `; ${copies.join(', ')}` : ''}\n`);
  } catch (err) {
    process.stderr.write(`${name}: ${err.message}\n`);
    process.exit(1);
  }
}
