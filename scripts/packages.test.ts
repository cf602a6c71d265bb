/**
 * The package manifests keep the promises docs/releasing.md makes: every
 * package is publishable (no `private`), its exports lead a user's Node and
 * tsc to dist/ and the workspace to src/, its tarball is limited to what the
 * code reads, the CLI's bin is built JavaScript, and no package's code reads
 * a file outside its own folder by relative path.
 * (scripts/outside-install.sh proves the same from a real install.)
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PACKAGE_COPIES, rewriteRelativeTsImports } from './copy-assets.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const packages = readdirSync(join(ROOT, 'packages')).filter((d) => existsSync(join(ROOT, 'packages', d, 'package.json')));
const manifest = (dir: string) => JSON.parse(readFileSync(join(ROOT, 'packages', dir, 'package.json'), 'utf8'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describe('package manifests', () => {
  it('covers the eight packages', () => {
    expect(packages.sort()).toEqual(['adapters', 'cli', 'client', 'console', 'platform', 'rules', 'standard', 'versioning']);
  });

  for (const dir of packages) {
    describe(`@jiexu/${dir}`, () => {
      const pkg = manifest(dir);

      it('is publishable, public, ESM, with a build script', () => {
        expect(pkg.name).toBe(`@jiexu/${dir}`);
        expect(pkg.private).toBeUndefined();
        expect(pkg.type).toBe('module');
        expect(pkg.publishConfig).toEqual({ access: 'public' });
        expect(pkg.scripts.build).toContain('tsc -p tsconfig.build.json');
        expect(pkg.files).toContain('dist');
      });

      it('exports src/ under @jiexu/source first, then dist/ types and import', () => {
        for (const [subpath, target] of Object.entries<Record<string, string> | string>(pkg.exports)) {
          if (subpath === './package.json') continue;
          expect(typeof target).toBe('object');
          const t = target as Record<string, string>;
          expect(Object.keys(t)).toEqual(['@jiexu/source', 'types', 'import']);
          expect(existsSync(join(ROOT, 'packages', dir, t['@jiexu/source']))).toBe(true);
          const stem = t['@jiexu/source'].replace(/^\.\/src\//, '').replace(/\.ts$/, '');
          expect(t.types).toBe(`./dist/${stem}.d.ts`);
          expect(t.import).toBe(`./dist/${stem}.js`);
        }
      });

      it('depends on sibling packages through workspace:*, and never on tsx at run time', () => {
        const deps: Record<string, string> = pkg.dependencies ?? {};
        expect(deps.tsx).toBeUndefined();
        for (const [name, range] of Object.entries(deps)) if (name.startsWith('@jiexu/')) expect(range).toBe('workspace:*');
      });

      it('ships every folder or file beside src/ that its code reads through import.meta.url', () => {
        const sources = walk(join(ROOT, 'packages', dir, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.split(sep).includes('testing') && !f.endsWith(`${sep}testing.ts`));
        for (const file of sources) {
          const code = readFileSync(file, 'utf8');
          for (const m of code.matchAll(/new URL\(\s*['"`]([^'"`$]+)['"`]\s*,\s*import\.meta\.url\s*\)/g)) {
            const target = resolve(join(file, '..'), m[1]!);
            const rel = relative(join(ROOT, 'packages', dir), target);
            // nothing outside the package's own folder
            expect(rel.startsWith('..'), `${relative(ROOT, file)} reads ${m[1]}`).toBe(false);
            const top = rel.split(sep)[0]!;
            if (top === 'src' || top === 'package.json') continue; // built into dist/ (copy-assets) or always packed
            expect(pkg.files, `${relative(ROOT, file)} reads ${m[1]}`).toContain(top);
          }
        }
      });
    });
  }

  it('the CLI runs built JavaScript', () => {
    const cli = manifest('cli');
    expect(cli.bin).toEqual({ jiexu: './dist/bin.js' });
    expect(readFileSync(join(ROOT, 'packages/cli/src/bin.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('the copies a package ships are in its files and gitignored', () => {
    const ignore = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
    for (const [pkgRel, copies] of Object.entries(PACKAGE_COPIES)) {
      for (const [, to] of copies) {
        expect(manifest(pkgRel.replace('packages/', '')).files).toContain(to);
        expect(ignore).toContain(`${pkgRel}/${to}/`);
      }
    }
  });
});

describe('rewriteRelativeTsImports (the JS assets of a build)', () => {
  it('rewrites relative .ts specifiers, as tsc does for .ts files', () => {
    expect(rewriteRelativeTsImports('import { formats } from "../formats.ts";')).toBe('import { formats } from "../formats.js";');
    expect(rewriteRelativeTsImports("export * from './a/b.ts'")).toBe("export * from './a/b.js'");
    expect(rewriteRelativeTsImports('await import("./hooks.ts")')).toBe('await import("./hooks.js")');
  });

  it('leaves package specifiers and other strings alone', () => {
    for (const code of ['import x from "pkg.ts";', 'const s = "./a.ts";', 'import y from "./data.json";']) expect(rewriteRelativeTsImports(code)).toBe(code);
  });
});
