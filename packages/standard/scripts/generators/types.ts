/**
 * TypeScript types for every schema, one file per standard version
 * (src/generated/types/v<version>.ts), by json-schema-to-typescript. `$ref`s
 * between schemas are resolved here by `$id` from the local files (bundle()),
 * and json-schema-to-typescript is told not to resolve anything external, so
 * generation never touches the network.
 */
import { compile } from 'json-schema-to-typescript';
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
  return out;
}
