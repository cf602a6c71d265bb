/**
 * Writes schemas/CHANGELOG.md from the checker's output between consecutive
 * versions; `--check` exits 1 when the committed file is out of date.
 *   pnpm exec tsx --conditions=@jiexu/source packages/versioning/scripts/changelog.ts [--check]
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChangelog } from '../src/changelog.ts';
import { fileURLToPath } from 'node:url';

// the repository's schemas/ (the source of truth; @jiexu/standard ships a copy)
const SCHEMAS = fileURLToPath(new URL('../../../schemas/', import.meta.url));
const file = join(SCHEMAS, 'CHANGELOG.md');
const text = renderChangelog(SCHEMAS);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    /* missing counts as out of date */
  }
  if (current !== text) {
    process.stderr.write(`${file} is out of date: run pnpm --filter @jiexu/versioning run changelog\n`);
    process.exit(1);
  }
  process.stdout.write(`${file} is up to date\n`);
} else {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  process.stdout.write(`wrote ${file}\n`);
}
