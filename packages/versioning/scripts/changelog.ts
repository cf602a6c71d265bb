/**
 * Writes schemas/CHANGELOG.md and its Chinese twin schemas/CHANGELOG.zh-CN.md
 * from the checker's output between consecutive versions; `--check` exits 1
 * when a committed file is out of date.
 *   pnpm exec tsx packages/versioning/scripts/changelog.ts [--check]
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderChangelog } from '../src/changelog.ts';
import { SCHEMAS_DIR } from '../src/versions.ts';

for (const [name, lang] of [['CHANGELOG.md', 'en'], ['CHANGELOG.zh-CN.md', 'zh']] as const) {
  const file = join(SCHEMAS_DIR, name);
  const text = renderChangelog(SCHEMAS_DIR, lang);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      /* missing counts as out of date */
    }
    if (current !== text) {
      process.stderr.write(`${file} is out of date: run pnpm exec tsx packages/versioning/scripts/changelog.ts\n`);
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
