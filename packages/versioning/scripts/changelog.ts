/**
 * Writes schemas/CHANGELOG.md and its Chinese twin schemas/CHANGELOG.zh-CN.md
 * from the checker's output between consecutive versions; `--check` exits 1
 * when a committed file is out of date.
 *   pnpm exec tsx --conditions=@jiexu/source packages/versioning/scripts/changelog.ts [--check]
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChangelog } from '../src/changelog.ts';
import { fileURLToPath } from 'node:url';

// the repository's schemas/ (the source of truth; @jiexu/standard ships a copy)
const SCHEMAS = fileURLToPath(new URL('../../../schemas/', import.meta.url));
for (const [name, lang] of [['CHANGELOG.md', 'en'], ['CHANGELOG.zh-CN.md', 'zh']] as const) {
  const file = join(SCHEMAS, name);
  const text = renderChangelog(SCHEMAS, lang);
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
}
