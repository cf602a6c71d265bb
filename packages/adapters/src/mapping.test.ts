/** Mapping files are checked against mapping.schema.json when loaded; the shipped ones pass. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMapping } from './mapping.ts';
import { formats } from './index.ts';

describe('mapping files', () => {
  it.each(formats.map((f) => f.name))('%s/mapping.json is valid', (name) => {
    expect(loadMapping(new URL(`./formats/${name}/mapping.json`, import.meta.url)).name).toBe(name);
  });

  it('a mapping that breaks the schema is refused with the reason', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jiexu-mapping-'));
    try {
      const good = JSON.parse(readFileSync(new URL('./formats/ln-jb/mapping.json', import.meta.url), 'utf8'));
      const cases: [string, (m: Record<string, any>) => void, RegExp][] = [
        ['unknown encoding', (m) => (m.encoding = 'big5'), /encoding/],
        ['a code field without its list', (m) => delete m.framing.fields[2].codes, /codes/],
        ['an unknown target', (m) => (m.framing.fields[0].as = 'person.nickname'), /as/],
        ['a fixed field without width', (m) => (m.framing = { kind: 'fixed', recordLength: 10, records: [{ type: 'D', role: 'row', fields: [{ name: 'x', as: 'person.id', type: 'text', start: 1 }] }] }), /width/],
      ];
      for (const [, change, why] of cases) {
        const m = structuredClone(good);
        change(m);
        const file = join(dir, 'mapping.json');
        await writeFile(file, JSON.stringify(m));
        expect(() => loadMapping(file)).toThrow(why);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
