/**
 * The delimited reader's shortcuts (issue 11 item 5) against the rules they shortcut:
 * plain yuan amounts read without the pattern, and the contiguity scan comparing
 * identifier bytes without making strings, a row's values built in one object
 * literal. Each is checked against the rule as written (the pattern, a
 * string-by-string scan, the object grown field by field) on generated inputs,
 * fixed seed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fenFromYuanText } from './values.ts';
import { personContiguous } from './contiguity.ts';
import { formatEntries } from './registry.ts';
import { decodeFields, type DecodeContext } from './framing/common.ts';
import { Issues } from './issues.ts';
import type { FieldSpec } from './mapping.ts';
import type { Raw } from './values.ts';
import { rng as random } from './fuzz/mutations.ts'; // mulberry32, the fuzz suite's

describe('fenFromYuanText', () => {
  it('accepts exactly /^[0-9]{1,13}\\.[0-9]{2}$/, as whole fen, and refuses the rest with the same codes as before', () => {
    const rnd = random(11);
    const alphabet = '0123456789..-+ ,１a';
    const samples = ['0.00', '4280.10', '1234567890123.45', '12345678901234.00', '.10', '1.1', '1.100', '-1.00', '1.00 ', '', '00.01'];
    for (let i = 0; i < 20000; i++) {
      const n = Math.floor(rnd() * 18);
      let s = '';
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      // most random strings fail at once: also build near-misses of the plain form
      if (i % 2) s = `${String(Math.floor(rnd() * 10 ** Math.floor(rnd() * 15)))}.${String(Math.floor(rnd() * 100)).padStart(Math.floor(rnd() * 4), '0')}`;
      samples.push(s);
    }
    for (const s of samples) {
      const got = fenFromYuanText(s);
      const m = /^([0-9]{1,13})\.([0-9]{2})$/.exec(s);
      if (s.startsWith('-')) expect(got, s).toMatchObject({ code: 'legacy-amount-negative' });
      else if (m) expect(got, s).toBe(Number(m[1]) * 100 + Number(m[2]));
      else expect(got, s).toMatchObject({ code: 'legacy-amount-not-exact' });
    }
  });
});

describe('personContiguous on delimited files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'jiexu-fast-paths-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const mapping = () => formatEntries().get('ln-jb')!.mapping;

  /** The rule as written: each line's first field, a person seen before may not come back after another. */
  const byStrings = (lines: string[]): boolean => {
    const seen = new Set<string>();
    let prev: string | undefined;
    for (const line of lines.slice(1)) {
      const id = line.split('|')[0];
      if (id === prev) continue;
      if (seen.has(id)) return false;
      seen.add(id);
      prev = id;
    }
    return true;
  };

  it('agrees with a string-by-string scan, prefixes and empty identifiers included', async () => {
    const rnd = random(7);
    const ids = ['1', '12', '123', '', '2', '21', '1a'];
    for (let round = 0; round < 200; round++) {
      const lines = ['AAC002|AAC003'];
      const n = 1 + Math.floor(rnd() * 8);
      for (let i = 0; i < n; i++) {
        const id = ids[Math.floor(rnd() * ids.length)];
        lines.push(rnd() < 0.2 ? id : `${id}|x`);
      }
      const file = join(dir, `r${round}.txt`);
      const text = lines.join('\n') + (rnd() < 0.5 ? '\n' : '');
      await writeFile(file, text);
      // the lines as a file holds them: a final line end closes the last line, it starts no empty one
      const inFile = text.split('\n');
      if (text.endsWith('\n')) inFile.pop();
      expect(await personContiguous(file, mapping()), JSON.stringify(text)).toBe(byStrings(inFile));
    }
  });
});

describe('decodeFields builds a row without hooks in one object literal', () => {
  it('gives the object, issues and keys (order included) that growing it field by field gives', () => {
    const mapping = formatEntries().get('ln-jb')!.mapping;
    const plain: FieldSpec[] = (mapping.framing as { fields: FieldSpec[] }).fields.map((f) => ({ ...f, optional: f.as === 'person.name' || f.as === 'employerId' }));
    plain.push({ name: 'FIXED', type: 'literal', value: 'JB' });
    // the same fields and an optional hook field left empty: the hook path grows the object as before, and adds nothing
    const grown: FieldSpec[] = [...plain, { name: 'EXTRA', type: 'hook', hook: 'never', optional: true }];
    const context = (): DecodeContext => ({ mapping, issues: new Issues(), hooks: {}, header: {}, limits: {} as DecodeContext['limits'] });
    const [a, b] = [context(), context()];
    const rnd = random(23);
    const pick = <T,>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    for (let n = 0; n < 5000; n++) {
      // mostly repeating the previous row's fields (as a person's rows do), sometimes empty or wrong
      const raws: Raw[] = [
        pick(['210124196001010001', '210124196001010001', '21012419600101000X', '']),
        pick(['王小明', '王小明', '', '郝?萍']),
        pick(['1', '2', '2', '9', '']),
        pick(['91210100000000000A', '91210100000000000A', '']),
        pick(['210100', '210100', '']),
        pick(['110', '310', '999']),
        pick(['201001', '201002', '201013', '']),
        pick(['5000.00', '5001.00', '12.3', '']),
        pick(['800.00', '800.16']),
        pick(['400.00', '400.08', 'x']),
        pick(['1', '2', '0', '7']),
        pick(['JB', 'JB', 'XX']),
        '',
      ];
      const at = { line: n + 2 };
      const x = decodeFields(plain, (_f, i) => raws[i], at, a, true);
      const y = decodeFields(grown, (_f, i) => raws[i], at, b, true);
      expect(x === undefined ? undefined : Object.entries(x)).toEqual(y === undefined ? undefined : Object.entries(y));
    }
    expect(a.issues.list).toEqual(b.issues.list);
    expect(a.issues.list.length).toBeGreaterThan(100);
  });
});
