/**
 * The compiled validators' minLength / maxLength checks (rewritten by
 * scripts/generators/validators.ts cheaperLengthChecks to count code points
 * only for a string longer than its limit in UTF-16 units) answer exactly as
 * ajv's own, compiled here at run time from the same schemas with the same
 * options: strings at and around the limits, in units and in code points
 * (astral characters are two units, one code point), lone surrogates, empty.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadSchemas } from '../scripts/lib/schemas.ts';
import { cheaperLengthChecks } from '../scripts/generators/validators.ts';
import { formats } from './formats.ts';
import { byId } from './generated/validators.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const ID = 'https://jiexu.org/standard/1.1/contribution-record.schema.json';
const example = JSON.parse(readFileSync(new URL('../schemas/1.1/contribution-record/examples/valid/medical-hangzhou.json', import.meta.url), 'utf8')) as Record<string, unknown>;

type Errors = { instancePath: string; keyword: string }[] | null | undefined;
const brief = (errors: Errors): string[] => (errors ?? []).map((e) => `${e.instancePath} ${e.keyword}`).sort();

describe('compiled length checks', () => {
  it('rewrites each code-point count to a unit test first, and only those', () => {
    const code = 'const func1 = require("ajv/dist/runtime/ucs2length").default;\nif(func1(data3) < 1){}\nif(func1(data12) > 100){}\nif(func1(data4) < 10){}';
    expect(cheaperLengthChecks(code)).toBe('const func1 = require("ajv/dist/runtime/ucs2length").default;\nif(data3.length < 1){}\nif((data12.length > 100 && func1(data12) > 100)){}\nif(func1(data4) < 10){}');
  });

  it('answers as ajv does for strings around minLength 1 and maxLength 100/200/500', async () => {
    const schemas = await loadSchemas(root);
    const ajv = new Ajv2020({ strict: true, allErrors: true, verbose: true, formats, schemas: schemas.map((s) => s.schema) });
    const reference = ajv.getSchema(ID)!;
    const compiled = byId[ID];
    const unit = fc.constantFrom('a', '张', '𠮷', '\uD842', '\uDFB7', ' ');
    // lengths chosen near the limits: 0, 1, 99–101, 199–201, 499–501 units or code points
    const near = fc.constantFrom(0, 1, 2, 50, 99, 100, 101, 199, 200, 201, 499, 500, 501);
    const text = fc.tuple(unit, near, fc.array(unit, { maxLength: 3 })).map(([u, n, tail]) => u.repeat(n) + tail.join(''));
    fc.assert(
      fc.property(text, text, text, (name, file, employerName) => {
        const doc = structuredClone(example) as { person: Record<string, unknown>; provenance: Record<string, unknown>; employers: Record<string, unknown>[] };
        doc.person.name = name;
        doc.provenance.file = file;
        doc.employers[0].name = employerName;
        const a = reference(doc);
        const b = compiled(doc);
        expect(b).toBe(a);
        expect(brief(compiled.errors)).toEqual(brief(reference.errors));
      }),
      { numRuns: 400, seed: 11 },
    );
  });
});
