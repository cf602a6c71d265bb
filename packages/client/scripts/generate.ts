/**
 * Generates packages/client/src/generated/openapi.ts from packages/platform/openapi.yaml
 * with openapi-typescript. Everything is resolved from local files: a `$ref` to
 * anything other than the document itself or a local file is refused (no network).
 *
 *   tsx packages/client/scripts/generate.ts          write the file
 *   tsx packages/client/scripts/generate.ts --check  exit 1 when the committed file is stale
 */
import { readFile, writeFile, rename, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';

export const OPENAPI_PATH = 'packages/platform/openapi.yaml';
export const OUTPUT_PATH = 'packages/client/src/generated/openapi.ts';

const HEADER = `// generated — do not edit.
// Source: ${OPENAPI_PATH}; regenerate with \`pnpm --filter @jiexu/client run generate\`
// (openapi-typescript). The generated-files check fails when this file is stale.

`;

/** Every `$ref` whose target is a URL other than file: (YAML or JSON spelling), with its line. */
function remoteRefs(text: string): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    for (const m of line.matchAll(/["']?\$ref["']?\s*:\s*["']?([^"'\s,}]+)/g)) {
      const target = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('file:')) out.push(`line ${i + 1}: ${target}`);
    }
  });
  return out;
}

/** The generated TypeScript for the platform's OpenAPI document, as a string. */
export async function generateClientTypes(root: string): Promise<string> {
  const source = join(root, OPENAPI_PATH);
  const text = await readFile(source, 'utf8');
  const remote = remoteRefs(text);
  if (remote.length) throw new Error(`${OPENAPI_PATH}: remote $ref not allowed (generation must not use the network): ${remote.join(', ')}`);
  const ast = await openapiTS(pathToFileURL(source), { silent: true, emptyObjectsUnknown: true });
  return HEADER + astToString(ast);
}

/** For packages/standard/scripts/generate.ts: the files this generator owns. */
export async function generate(root: string): Promise<Array<{ path: string; content: string }>> {
  return [{ path: OUTPUT_PATH, content: await generateClientTypes(root) }];
}

async function main(): Promise<number> {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
  const check = process.argv.includes('--check');
  const [file] = await generate(root);
  const target = join(root, file.path);
  if (check) {
    const current = await readFile(target, 'utf8').catch(() => '');
    if (current !== file.content) {
      process.stderr.write(`${file.path} is stale: run pnpm --filter @jiexu/client run generate\n`);
      return 1;
    }
    return 0;
  }
  await mkdir(dirname(target), { recursive: true });
  await writeFile(`${target}.tmp`, file.content);
  await rename(`${target}.tmp`, target);
  process.stdout.write(`wrote ${file.path}\n`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: Error) => {
      process.stderr.write(`generate: ${err.message}\n`);
      process.exit(2);
    },
  );
}
