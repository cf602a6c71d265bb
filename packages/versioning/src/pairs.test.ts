/**
 * The corpus of change pairs: each __fixtures__/pairs/<name>/ holds old.json,
 * new.json and expected.json ({ class, pointer?, witnesses }). The checker's
 * verdict must equal the expected class, and the expected class is itself
 * checked against real validation (ajv) of witness documents: a document valid
 * only under the old schema proves the change is not backward compatible, one
 * valid only under the new schema proves it is not forward compatible.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { diffPaths } from './diff.ts';
import type { ChangeClass } from './compat.ts';

const dir = fileURLToPath(new URL('./__fixtures__/pairs/', import.meta.url));
const names = readdirSync(dir).sort();

interface Expected {
  class: ChangeClass;
  pointer?: string;
  witnesses: { oldOnly: unknown[]; newOnly: unknown[]; both: unknown[] };
}

function compile(schema: object): (data: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const validate = ajv.compile(schema);
  return (data) => validate(data) as boolean;
}

const read = (name: string, file: string): unknown => JSON.parse(readFileSync(join(dir, name, file), 'utf8'));

describe('change pairs', () => {
  it('cover every keyword the checker claims to understand, both ways', () => {
    const want = ['required', 'property', 'additional-properties', 'unevaluated-properties', 'enum', 'const', 'type', 'format', 'pattern',
      'minimum', 'maximum', 'exclusive', 'min-length', 'max-length', 'min-items', 'max-items', 'one-of', 'any-of', 'all-of', 'ref', 'defs', 'codelist'];
    for (const w of want) expect(names.filter((n) => n.startsWith(w)).length, w).toBeGreaterThanOrEqual(2);
  });

  for (const name of names) {
    it(name, () => {
      const expected = read(name, 'expected.json') as Expected;
      const result = diffPaths(join(dir, name, 'old.json'), join(dir, name, 'new.json'));
      const lines = result.changes.map((c) => `${c.class} ${c.pointer}: ${c.change}`).join('\n');
      expect(result.verdict, lines).toBe(expected.class);
      if (expected.pointer !== undefined) {
        expect(result.changes.some((c) => c.pointer === expected.pointer && c.class === expected.class), lines).toBe(true);
      }
      for (const c of result.changes) expect(c.reason.length).toBeGreaterThan(0);

      const old = read(name, 'old.json') as { codes?: unknown };
      if (old.codes !== undefined) return; // code lists have no validator of their own
      const validOld = compile(old as object);
      const validNew = compile(read(name, 'new.json') as object);
      const w = expected.witnesses;
      for (const d of w.oldOnly) expect([validOld(d), validNew(d)], `oldOnly ${JSON.stringify(d)}`).toEqual([true, false]);
      for (const d of w.newOnly) expect([validOld(d), validNew(d)], `newOnly ${JSON.stringify(d)}`).toEqual([false, true]);
      for (const d of w.both) expect([validOld(d), validNew(d)], `both ${JSON.stringify(d)}`).toEqual([true, true]);
      // the expected class agrees with the witnesses
      const notBackward = expected.class === 'forward' || expected.class === 'breaking';
      const notForward = expected.class === 'backward' || expected.class === 'breaking';
      if (expected.class !== 'unclassified') {
        expect(w.oldOnly.length > 0, 'a witness valid only under old exists exactly when the change is not backward').toBe(notBackward);
        expect(w.newOnly.length > 0, 'a witness valid only under new exists exactly when the change is not forward').toBe(notForward);
      }
    });
  }
});
