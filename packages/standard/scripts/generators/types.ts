/**
 * TypeScript types for every schema, one file per standard version
 * (src/generated/types/v<version>.ts), by json-schema-to-typescript. `$ref`s
 * between schemas are resolved here by `$id` from the local files (bundle()),
 * and json-schema-to-typescript is told not to resolve anything external, so
 * generation never touches the network.
 */
import path from 'node:path';
import { compile } from 'json-schema-to-typescript';
import { readVersions } from '../../../versioning/src/versions.ts';
import { bundle, loadSchemas, versionsOf } from '../lib/schemas.ts';
import { GENERATED_NOTICE, type GeneratedFile } from './common.ts';

export async function generate(root: string): Promise<GeneratedFile[]> {
  const all = await loadSchemas(root);
  const out: GeneratedFile[] = [];
  for (const version of versionsOf(all)) {
    const schemas = all.filter((s) => s.version === version);
    const documents = schemas.filter((s) => s.topLevel);
    const name = `JiexuDocument${version.replace('.', '_')}`;
    const bundled = bundle(schemas, documents, name);
    bundled.description = `Any document of the jiexu standard ${version}.`;
    const ts = await compile(bundled as never, name, {
      bannerComment: `// ${GENERATED_NOTICE}\n// TypeScript types for the jiexu standard ${version} (json-schema-to-typescript, from schemas/${version}/).`,
      additionalProperties: false,
      ignoreMinAndMaxItems: true,
      unreachableDefinitions: false,
      strictIndexSignatures: true,
      unknownAny: true,
      format: true,
      style: { singleQuote: true, printWidth: 120 },
      cwd: root,
      $refOptions: { resolve: { external: false, file: false, http: false } } as never,
    });
    out.push({ path: `packages/standard/src/generated/types/v${version}.ts`, content: ts });
  }
  out.push({ path: 'packages/standard/src/generated/types/index.ts', content: typesIndex(root, versionsOf(all)) });
  return out;
}

/** The latest released version's types under their plain names, and every version's as a namespace (v1_0, v1_1, …). */
function typesIndex(root: string, versions: string[]): string {
  const released = readVersions(path.join(root, 'schemas')).versions.filter((v) => v.status === 'released').map((v) => v.version);
  const latest = released.at(-1);
  if (!latest) throw new Error('schemas/versions.json lists no released version');
  return [
    `// ${GENERATED_NOTICE}`,
    `/** The types of the latest released version of the standard (${latest}) under their plain names (ContributionRecord, Envelope, …). */`,
    `export type * from './v${latest}.ts';`,
    '/** Every version\'s types, by version: v1_0.ContributionRecord, v1_1.ContributionRecord, … */',
    ...versions.map((v) => `export type * as v${v.replace('.', '_')} from './v${v}.ts';`),
    '',
  ].join('\n');
}
