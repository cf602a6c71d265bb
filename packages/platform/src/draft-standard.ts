/**
 * Running the platform on the draft version of the standard (schemas/versions.json status
 * `draft`), for tests, the demo and pilots: documents declaring the draft are accepted and the
 * draft's catalogue fits every case. Until the draft is released the default platform refuses
 * them as unsupported (the benefit-period messages of 1.2 need this: docs/platform.md).
 * `jiexu serve --standard 1.2-draft` switches it on (standardChoice).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir, validateDocument } from '@jiexu/standard';
import { loadCatalogue, type Catalogue } from './catalogue.ts';
import type { Validator } from './validation.ts';

interface ListedVersion {
  version: string;
  status: 'released' | 'draft' | string;
}

function listedVersions(): ListedVersion[] {
  return (JSON.parse(readFileSync(join(schemasDir(), 'versions.json'), 'utf8')) as { versions: ListedVersion[] }).versions;
}

/** The latest version listed in schemas/versions.json, released or draft. */
export function latestListedVersion(): string {
  return listedVersions().at(-1)!.version;
}

/** The catalogue of the latest listed version (a draft's when there is one). */
export function draftCatalogue(): Catalogue {
  return loadCatalogue(join(schemasDir(), latestListedVersion(), 'catalogue', 'case-types.json'));
}

/** validateDocument accepting draft versions too. */
export function draftValidator(): Validator {
  return (doc) => validateDocument(doc, { schema: 'envelope', drafts: true });
}

/** What a platform runs on: the released standard (every released version accepted), or a draft as well. */
export interface StandardChoice {
  /** As written on the command line: `1.1` (the latest released version) or `1.2-draft`. */
  name: string;
  /** The draft version switched on, if any. */
  draft?: string;
}

/**
 * The values `jiexu serve --standard` takes, oldest first: the latest released version (the
 * default, which accepts every released version) and `<version>-draft` for each draft listed.
 */
export function standardChoices(): StandardChoice[] {
  const listed = listedVersions();
  const released = listed.filter((v) => v.status === 'released').at(-1);
  return [
    ...(released ? [{ name: released.version }] : []),
    ...listed.filter((v) => v.status === 'draft').map((v) => ({ name: `${v.version}-draft`, draft: v.version })),
  ];
}

/** The platform options for a choice (none for the released standard, the default); undefined for a name not among standardChoices(). */
export function standardOptions(name: string): { catalogue?: Catalogue; validate?: Validator } | undefined {
  const choice = standardChoices().find((c) => c.name === name);
  if (!choice) return undefined;
  if (!choice.draft) return {};
  return { catalogue: loadCatalogue(join(schemasDir(), choice.draft, 'catalogue', 'case-types.json')), validate: draftValidator() };
}
