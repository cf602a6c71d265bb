/**
 * The standard's schema files on disk: every `*.schema.json` under a schemas/ folder, examples
 * excluded. Read by the generators (scripts/lib/schemas.ts) and by the reference validator
 * (reference.ts), which compiles them at run time.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** Full paths of every schema file under `base` (folders named `examples` skipped), in walk order. */
export function schemaFilePaths(base: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'examples') walk(full);
      } else if (entry.name.endsWith('.schema.json')) files.push(full);
    }
  };
  walk(base);
  return files;
}
