/**
 * Cuts a new version of the standard: `pnpm --filter @jiexu/versioning run cut 1.2`
 * (the same as `pnpm exec jiexu schema cut 1.2`). See docs/versioning.md.
 */
import { fileURLToPath } from 'node:url';
import { cutVersion } from '../src/cut.ts';
import { LoadError } from '../src/load.ts';

const version = process.argv[2];
if (!version || process.argv.length > 3) {
  process.stderr.write('usage: tsx packages/versioning/scripts/cut.ts <major.minor>\n');
  process.exit(2);
}
try {
  const r = cutVersion(version, { schemasDir: fileURLToPath(new URL('../../../schemas/', import.meta.url)) });
  process.stdout.write(`cut ${r.to} from ${r.from}: ${r.folder} (${r.rewritten.length} files rewritten), registered as a draft in schemas/versions.json\n`);
  for (const line of r.review) process.stdout.write(`review: ${line}\n`);
} catch (err) {
  if (!(err instanceof LoadError)) throw err;
  process.stderr.write(`cut: ${err.message}\n`);
  process.exit(2);
}
