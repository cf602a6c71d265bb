/**
 * Mapping files are checked against mapping.schema.json when loaded; the
 * shipped ones pass (checked here: at run time the registry loads them with
 * `schemaChecked`, no ajv compile at start-up).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMapping, MappingError } from './mapping.ts';
import { formats } from './index.ts';

describe('mapping files', () => {
  it.each(formats.map((f) => f.name))('%s/mapping.json is valid', (name) => {
    expect(loadMapping(new URL(`./formats/${name}/mapping.json`, import.meta.url)).name).toBe(name);
  });

  it('schemaChecked leaves out only the schema: the checks beyond it still refuse (a code list missing, an unknown framing)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'jiexu-mapping-'));
    try {
      const good = JSON.parse(readFileSync(new URL('./formats/ln-jb/mapping.json', import.meta.url), 'utf8'));
      const file = join(dir, 'mapping.json');
      await writeFile(file, JSON.stringify(good));
      expect(loadMapping(file, { schemaChecked: true })).toEqual(loadMapping(file));
      const noList = structuredClone(good);
      noList.codes = {};
      await writeFile(file, JSON.stringify(noList));
      expect(() => loadMapping(file, { schemaChecked: true })).toThrow(/expected one of the code lists/);
      await writeFile(file, JSON.stringify({ ...good, framing: { kind: 'punched-cards' } }));
      expect(() => loadMapping(file, { schemaChecked: true })).toThrow(/\/framing\/kind: is "punched-cards"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
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

  describe('errors as a person reads them: one line naming the file, the JSON pointer, what is wrong and what was expected', () => {
    const good = () => JSON.parse(readFileSync(new URL('./formats/jx-fixed/mapping.json', import.meta.url), 'utf8'));
    const errorOf = async (change: (m: Record<string, any>) => void): Promise<string> => {
      const dir = await mkdtemp(join(tmpdir(), 'jiexu-mapping-'));
      try {
        const m = good();
        change(m);
        const file = join(dir, 'mapping.json');
        await writeFile(file, JSON.stringify(m));
        try {
          loadMapping(file);
        } catch (err) {
          expect(err).toBeInstanceOf(MappingError);
          return (err as Error).message.replace(dir, '<dir>');
        }
        throw new Error('the mapping was accepted');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    };

    it('a wrong field type', async () => {
      expect(await errorOf((m) => (m.framing.records[1].fields[2].width = '10'))).toBe('<dir>/mapping.json: /framing/records/1/fields/2/width: is a string ("10"); expected integer');
    });

    it('a missing required property', async () => {
      expect(await errorOf((m) => delete m.framing.recordLength)).toBe('<dir>/mapping.json: /framing/recordLength: is missing; expected this property here');
    });

    it('an unknown framing option', async () => {
      expect(await errorOf((m) => (m.framing.recordLen = 122))).toBe('<dir>/mapping.json: /framing/recordLen: is not a known property here; expected one of kind, recordLength, records');
    });

    it('an unknown framing names the known ones, never an ajv branch dump', async () => {
      const e = await errorOf((m) => (m.framing.kind = 'fixd'));
      expect(e).toMatch(/^<dir>\/mapping.json: \/framing\/kind: is "fixd"; expected one of "fixed", "delimited", "xml", "spreadsheet"/);
      expect(e.split('\n')).toHaveLength(1);
    });

    it('lineEnd and bom are required of a text framing only', async () => {
      expect(await errorOf((m) => delete m.lineEnd)).toBe('<dir>/mapping.json: /lineEnd: is missing; expected it for a text framing (fixed)');
    });

    it('a private-character table for a framing that does not apply one', async () => {
      expect(await errorOf((m) => (m.characters = { AAA1: '䶮' }))).toBe('<dir>/mapping.json: /characters: the fixed framing does not apply a private-character table; expected it only with a framing that does (dbf, json)');
    });

    it('a writer option the framing does not take', async () => {
      expect(await errorOf((m) => (m.writer = { pageSize: 10 }))).toBe('<dir>/mapping.json: /writer/pageSize: is not a known property here; expected one of recordsPerPart');
    });
  });
});

