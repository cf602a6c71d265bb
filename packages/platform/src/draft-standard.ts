/**
 * Running the platform on the draft version of the standard (schemas/versions.json status
 * `draft`), for tests, the demo and pilots: documents declaring the draft are accepted and the
 * draft's catalogue fits every case. Until the draft is released the default platform refuses
 * them as unsupported (the benefit-period messages of 1.2 need this: docs/platform.md).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir, validateDocument } from '@jiexu/standard';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import type { Validator } from './validation.ts';

/** The latest version listed in schemas/versions.json, released or draft. */
export function latestListedVersion(): string {
  const listed = JSON.parse(readFileSync(join(schemasDir(), 'versions.json'), 'utf8')) as { versions: Array<{ version: string }> };
  return listed.versions.at(-1)!.version;
}

/** The catalogue of the latest listed version (a draft's when there is one). */
export function draftCatalogue(): Catalogue {
  return loadCatalogue(join(schemasDir(), latestListedVersion(), 'catalogue', 'case-types.json'));
}

/** validateDocument accepting draft versions too. */
export function draftValidator(): Validator {
  return (doc) => validateDocument(doc, { schema: 'envelope', drafts: true });
}
