/**
 * The docs generator (scripts/generators/docs.ts): deterministic, marked as
 * generated, and complete — every message has a page listing every field of
 * its schema and every case type it takes part in; the catalogue page shows
 * every case type with its deadlines. (No timestamps: two runs give the same bytes.)
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../../scripts/generators/docs.ts';
import { GENERATED_NOTICE } from '../../scripts/generators/common.ts';
import { caseTypeCatalogue, codeLists, schemaFiles } from './schema-files.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** The documented version: the latest released one in schemas/versions.json. */
const versions = JSON.parse(readFileSync(join(root, 'schemas', 'versions.json'), 'utf8')) as { versions: Array<{ version: string; status: string }> };
const latest = versions.versions.filter((v) => v.status === 'released').at(-1)!.version;

describe('docs generator', async () => {
  const files = await generate(root);
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const catalogue = caseTypeCatalogue(root, latest) as {
    caseTypes: Array<{ code: string; steps: Array<{ message: string; deadline?: { workingDays: number } }>; administrative: Array<{ message: string }> }>;
  };
  const messageNames = codeLists(root, latest).find((l) => l.name === 'message-type')!.codes.map((c) => c.code);

  it('is deterministic and sorted, and marks every file as generated', async () => {
    expect(await generate(root)).toEqual(files);
    expect(files.map((f) => f.path)).toEqual([...files.map((f) => f.path)].sort());
    for (const f of files) expect(f.content.split('\n')[0], f.path).toContain(`${GENERATED_NOTICE} (from schemas/${latest}/)`);
  });

  it('writes a page per message with every top-level field of its schema', () => {
    for (const name of messageNames) {
      const page = byPath.get(`docs/standard/messages/${name}.md`);
      expect(page, name).toBeDefined();
      const schema = schemaFiles(root, latest).find((s) => s.path.endsWith(`/messages/${name}.schema.json`))!.schema as unknown as {
        properties: Record<string, unknown>;
        required?: string[];
      };
      for (const prop of Object.keys(schema.properties)) {
        const row = page!.split('\n').find((l) => l.startsWith(`| \`${prop}\` |`));
        expect(row, `${name}: ${prop}`).toBeDefined();
        expect(row!.includes('| yes |'), `${name}: ${prop} required`).toBe((schema.required ?? []).includes(prop));
      }
      for (const c of catalogue.caseTypes) {
        const takesPart = c.steps.some((s) => s.message === name) || c.administrative.some((a) => a.message === name);
        expect(page!.includes(`[${c.code}](../catalogue.md#${c.code})`), `${name} in ${c.code}`).toBe(takesPart);
      }
    }
  });

  it('shows every case type and every deadline in the catalogue page', () => {
    const page = byPath.get('docs/standard/catalogue.md')!;
    for (const c of catalogue.caseTypes) {
      expect(page).toContain(`### ${c.code}`);
      const section = page.slice(page.indexOf(`### ${c.code}`)).split('\n### ')[0];
      for (const s of c.steps.filter((x) => x.deadline)) {
        const row = section.split('\n').find((l) => l.includes(`[\`${s.message}\`]`) && l.includes(`${s.deadline!.workingDays} working days`));
        expect(row, `${c.code}: ${s.message} deadline`).toBeDefined();
      }
    }
    for (const name of messageNames) expect(page).toContain(`[\`${name}\`](messages/${name}.md)`);
  });

  it('documents the envelope and the code lists', () => {
    expect(byPath.get('docs/standard/envelope.md')).toContain('| `caseversion` |');
    const lists = byPath.get('docs/standard/codelists.md')!;
    for (const l of codeLists(root, latest)) expect(lists).toContain(`## ${l.name}`);
  });
});
