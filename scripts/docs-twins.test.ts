/**
 * Chinese first: every user-facing Markdown file tracked in the repository has
 * its zh-CN twin (README.md → README.zh-CN.md, docs/x.md → docs/zh-CN/x.md),
 * the English one links to the twin near its top and the twin links back.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Documents being rewritten on other branches, whose authors write both languages
 * themselves; they are checked like the others as soon as their twin exists.
 */
const PENDING: Record<string, string> = {};

/** Not read by users: the changesets tool's notes. */
const NOT_USER_FACING = (file: string) => file.startsWith('.changeset/') || file.includes('node_modules/');

/** The twin's path of an English document. */
export function twinOf(file: string): string {
  // a format folder (docs/adapters/<name>/) is copied as a whole: its README's twin sits beside it
  if (file.startsWith('docs/') && !/^docs\/adapters\/[^/]+\/README\.md$/.test(file)) return `docs/zh-CN/${file.slice('docs/'.length)}`;
  return file.replace(/\.md$/, '.zh-CN.md');
}

const isTwin = (file: string) => file.startsWith('docs/zh-CN/') || file.endsWith('.zh-CN.md');

const tracked = execFileSync('git', ['ls-files', '-z', '--', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
const english = tracked.filter((f) => !isTwin(f) && !NOT_USER_FACING(f));

/** Whether `from` links to `to` (a relative Markdown link) in its first lines. */
function linksTo(from: string, to: string): boolean {
  const head = readFileSync(path.join(ROOT, from), 'utf8').split('\n').slice(0, 12).join('\n');
  const href = path.posix.relative(path.posix.dirname(from), to);
  return head.includes(`](${href})`);
}

describe('zh-CN twins of the documentation', () => {
  it('knows the twin paths', () => {
    expect(twinOf('README.md')).toBe('README.zh-CN.md');
    expect(twinOf('packages/cli/README.md')).toBe('packages/cli/README.zh-CN.md');
    expect(twinOf('docs/standard/messages/admin.close.md')).toBe('docs/zh-CN/standard/messages/admin.close.md');
    expect(twinOf('docs/adapters/ah-dbf/README.md')).toBe('docs/adapters/ah-dbf/README.zh-CN.md');
  });

  for (const file of english) {
    const twin = twinOf(file);
    const pending = PENDING[file];
    if (pending && !existsSync(path.join(ROOT, twin))) {
      it.skip(`${file}: twin pending (${pending})`, () => {});
      continue;
    }
    it(`${file} has ${twin}, each linking to the other at the top`, () => {
      expect(existsSync(path.join(ROOT, twin)), `${twin} is missing`).toBe(true);
      expect(tracked, `${twin} is not committed`).toContain(twin);
      expect(linksTo(file, twin), `${file} does not link to ${twin} in its first lines`).toBe(true);
      expect(linksTo(twin, file), `${twin} does not link back to ${file} in its first lines`).toBe(true);
      const han = readFileSync(path.join(ROOT, twin), 'utf8').match(/\p{Script=Han}/gu)?.length ?? 0;
      expect(han, `${twin} holds hardly any Chinese`).toBeGreaterThanOrEqual(30);
    });
  }

  it('has no twin without its English document', () => {
    const orphans = tracked.filter(isTwin).filter((t) => !english.some((f) => twinOf(f) === t));
    expect(orphans).toEqual([]);
  });
});
