/**
 * Where the released standard is on disk: the package's own schemas/ folder
 * (a copy of the repository's schemas/, made by the package's build), found
 * relative to this module, so the same path works from src/ and from dist/,
 * in the workspace and in a user's node_modules.
 */
import { fileURLToPath } from 'node:url';

/** The standard's schemas/ folder (versions.json, <version>/…), with a trailing separator. */
export function schemasDir(): string {
  return fileURLToPath(new URL('../schemas/', import.meta.url));
}
