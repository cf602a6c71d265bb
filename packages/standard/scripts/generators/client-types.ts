/**
 * Generator for the platform client's types: packages/client/src/generated/openapi.ts
 * from packages/platform/openapi.yaml (openapi-typescript, local files only).
 * The implementation lives with the client (packages/client/scripts/generate.ts).
 */
import { generate as generateClient } from '../../../client/scripts/generate.ts';
import type { GeneratedFile } from './common.ts';

export async function generate(root: string): Promise<GeneratedFile[]> {
  return generateClient(root);
}
