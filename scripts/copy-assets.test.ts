import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { syncTree } from './copy-assets.mjs';

// vitest's global setup refreshes packages/standard/schemas on every run; a bench or a
// server started from the same checkout reads those files meanwhile.
describe('copy-assets syncTree', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-sync-'));
    dirs.push(dir);
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(join(dir, rel, '..'), { recursive: true });
      writeFileSync(join(dir, rel), text);
    }
    return dir;
  };

  it('leaves unchanged files as they are (same inode), replaces changed ones and removes stale ones', () => {
    const source = tree({ 'a.json': '{"a":1}', 'v/b.json': '{"b":2}', 'v/c.json': 'new' });
    const target = tree({ 'a.json': '{"a":1}', 'v/c.json': 'old', 'gone.json': 'x' });
    const inodeBefore = statSync(join(target, 'a.json')).ino;
    expect(syncTree(source, target)).toEqual({ written: 2, removed: 1 });
    expect(statSync(join(target, 'a.json')).ino).toBe(inodeBefore);
    expect(readFileSync(join(target, 'v/b.json'), 'utf8')).toBe('{"b":2}');
    expect(readFileSync(join(target, 'v/c.json'), 'utf8')).toBe('new');
    expect(existsSync(join(target, 'gone.json'))).toBe(false);
    // a second pass has nothing to do
    expect(syncTree(source, target)).toEqual({ written: 0, removed: 0 });
  });

  it('creates the target when it is missing', () => {
    const source = tree({ 'x/y.json': '1' });
    const target = join(tree({}), 'copy');
    expect(syncTree(source, target)).toEqual({ written: 1, removed: 0 });
    expect(readFileSync(join(target, 'x/y.json'), 'utf8')).toBe('1');
  });
});
