/**
 * Writes packages/rules/data/calendar/<year>.json from chinese-days.
 *   tsx packages/rules/scripts/generate-calendar.ts          write the files
 *   tsx packages/rules/scripts/generate-calendar.ts --check  exit 1 if any committed file differs
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './calendar-data.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const check = process.argv.includes('--check');
let stale = 0;
for (const file of await generate(root)) {
  const target = join(root, file.path);
  let current: string | undefined;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === file.content) continue;
  if (check) {
    process.stderr.write(`stale generated file: ${file.path}\n`);
    stale += 1;
    continue;
  }
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(`${target}.tmp`, file.content);
  renameSync(`${target}.tmp`, target);
  process.stdout.write(`wrote ${file.path}\n`);
}
process.exitCode = stale ? 1 : 0;
