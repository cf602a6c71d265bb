/**
 * groupByPerson spilled (group.ts): rows of interleaved persons come out each
 * person's together, in first-appearance order and file order within a
 * person, with every value, position and part (a folder's file) as they went
 * in — held rows are bytes (row-bytes.ts), spilled in runs and rebuilt.
 */
import { describe, expect, it } from 'vitest';
import { groupByPerson } from './group.ts';
import { inPart, partOfPosition } from './framing/parts.ts';
import type { LegacyRow } from './rows.ts';
import { rng } from './fuzz/mutations.ts'; // mulberry32, the fuzz suite's

function rows(): LegacyRow[] {
  const out: LegacyRow[] = [];
  let line = 1;
  for (let m = 0; m < 9; m++) {
    for (const id of ['B', 'A', 'C']) {
      const at = { line: line++ };
      if (m % 2) inPart(at, `part-${m}.txt`);
      out.push({ role: 'row', values: { 'person.id': id, month: `2020-0${m + 1}`, baseFen: 1000 * m + id.charCodeAt(0), ...(m === 3 ? { 'person.name': '郝𠮷萍' } : {}) }, at });
    }
    if (m === 4) out.push({ role: 'account', values: { 'person.id': 'A', 'account.year': 2020 }, at: { line: line++ } });
  }
  return out;
}

async function* batches(rs: LegacyRow[], size: number): AsyncGenerator<LegacyRow[]> {
  for (let i = 0; i < rs.length; i += size) yield rs.slice(i, i + size);
}

/** The rows as grouping must give them: each person's rows together, persons by first appearance, rows in file order. */
function inPersonOrder(rows: LegacyRow[]): LegacyRow[] {
  const byPerson = new Map<string, LegacyRow[]>();
  for (const r of rows) {
    const id = r.values['person.id'] as string;
    if (!byPerson.has(id)) byPerson.set(id, []);
    byPerson.get(id)!.push(r);
  }
  return [...byPerson.values()].flat();
}

describe('groupByPerson', () => {
  it.each([1, 2, 5, 1000])('spilled past %i rows: the same rows, values, positions and parts, grouped', async (limit) => {
    const input = rows();
    const expected = [input.find((r) => r.role === 'account')!, ...['B', 'A', 'C'].flatMap((id) => input.filter((r) => r.role === 'row' && r.values['person.id'] === id))];
    const out: LegacyRow[] = [];
    for await (const b of groupByPerson(batches(input, 4), { rowsInMemory: limit })) out.push(...b);
    expect(out).toEqual(expected);
    expect(out.map((r) => partOfPosition(r.at))).toEqual(expected.map((r) => partOfPosition(r.at)));
  });

  it('passes rows through unchanged when the framing says each person is together', async () => {
    const input = rows();
    const out: LegacyRow[] = [];
    for await (const b of groupByPerson(batches(input, 4), { rowsInMemory: 1, together: () => true })) out.push(...b);
    expect(out).toEqual(input);
  });

  it('keeps values a spill must mark: NaN, ±Infinity, -0, null, undefined, booleans (never expected), and numbers and strings that look like markers', async () => {
    const odd: unknown[] = [NaN, Infinity, -Infinity, -0, 0, null, undefined, true, false, '', 'false', 'true', 1e21, 5e-324, '{"n":"NaN"}', '{"u":1}'];
    const input: LegacyRow[] = [];
    let line = 1;
    for (let m = 0; m < odd.length; m++) {
      for (const id of ['B', 'A']) {
        // each value at every key, and the same value twice in a row (the mask's "as before") as well as after a different one
        input.push({ role: 'row', values: { 'person.id': id, month: odd[m], baseFen: odd[(m + 1) % odd.length], note: odd[(m + (id === 'A' ? 0 : 5)) % odd.length] } as LegacyRow['values'], at: { line: line++ } });
      }
    }
    const expected = ['B', 'A'].flatMap((id) => input.filter((r) => r.values['person.id'] === id));
    for (const limit of [1, 3, 1000]) {
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 3), { rowsInMemory: limit })) out.push(...b);
      expect(out.length).toBe(expected.length);
      out.forEach((r, i) => {
        expect(Object.keys(r.values)).toEqual(Object.keys(expected[i].values)); // an undefined value keeps its key
        for (const k of Object.keys(r.values)) expect(Object.is(r.values[k], expected[i].values[k]), `${i} ${k}: ${String(r.values[k])}`).toBe(true);
        expect(r.at).toEqual(expected[i].at);
      });
    }
  });

  it('keeps rows of several shapes (one with an own __proto__ key), wide rows, and positions that are more than a line, across a spill', async () => {
    const wide = Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`k${j}`, j % 3 ? `v${j}` : j]));
    const input: LegacyRow[] = [];
    for (let n = 0; n < 30; n++) {
      const id = ['A', 'B', 'C'][n % 3];
      const shape = n % 5;
      const values =
        shape === 4
          ? (JSON.parse(`{"person.id": "${id}", "__proto__": "${n}", "month": "2020-${n}"}`) as Record<string, string>) // an own key __proto__, as JSON makes it
          : shape === 0 ? { 'person.id': id, month: `2020-${n}` } : shape === 1 ? { month: `2020-${n}`, 'person.id': id } : shape === 2 ? { 'person.id': id, ...wide, k39: n } : { 'person.id': id, month: `2020-${n}`, extra: n };
      const at = n % 5 === 0 ? { record: n, byteOffset: 100 * n } : n % 5 === 1 ? { line: n, column: 3 } : n % 5 === 2 ? { path: `/p/${n}` } : { line: n + 1 };
      if (n % 7 === 0) inPart(at, `page-${n}.json`);
      input.push({ role: 'row', values, at } as LegacyRow);
    }
    const expected = ['A', 'B', 'C'].flatMap((id) => input.filter((r) => r.values['person.id'] === id));
    for (const limit of [1, 4, 1000]) {
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 5), { rowsInMemory: limit })) out.push(...b);
      expect(out).toEqual(expected);
      expect(out.every((r) => Object.getPrototypeOf(r.values) === Object.prototype)).toBe(true);
      expect(out.map((r) => Object.keys(r.values))).toEqual(expected.map((r) => Object.keys(r.values)));
      expect(out.map((r) => Object.keys(r.at))).toEqual(expected.map((r) => Object.keys(r.at)));
      expect(out.map((r) => partOfPosition(r.at))).toEqual(expected.map((r) => partOfPosition(r.at)));
    }
  });

  it('reads back runs whose blocks are larger than a read (long values), across several runs', async () => {
    const input: LegacyRow[] = [];
    for (let n = 0; n < 1200; n++) {
      const id = `P${n % 7}`;
      input.push({ role: 'row', values: { 'person.id': id, note: `${n}:${'长'.repeat(400 + (n % 300))}`, n }, at: { line: n + 1 } });
    }
    const expected = Array.from({ length: 7 }, (_, p) => input.filter((r) => r.values['person.id'] === `P${p}`)).flat();
    const out: LegacyRow[] = [];
    for await (const b of groupByPerson(batches(input, 50), { rowsInMemory: 400 })) out.push(...b);
    expect(out).toEqual(expected);
  });

  it('reads back a person with more rows in a run than are decoded at a time (512), their rows across many reads of the file', async () => {
    const input: LegacyRow[] = [];
    for (let n = 0; n < 6000; n++) {
      const id = n % 10 === 9 ? 'Q' : 'P'; // P: 5,400 rows, 1,800 or more in each run
      input.push({ role: 'row', values: { 'person.id': id, month: `m${n % 7}`, note: 'x'.repeat(n % 97) + n }, at: { line: n + 1 } });
    }
    const expected = inPersonOrder(input);
    for (const limit of [2000, 6000]) {
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 100), { rowsInMemory: limit })) out.push(...b);
      expect(out).toEqual(expected);
    }
  });

  it('keeps every JSON value, nested objects and arrays, and strings of any UTF-16 (lone surrogates, past latin1, long and short), held and spilled', async () => {
    const long = (c: string): string => c.repeat(60); // past the byte-by-byte string path
    const odd: unknown[] = [
      { u: 1 }, // what an undefined used to be spilled as
      { n: 'NaN' },
      { a: [1, 'x', null, true, { b: -2.5 }], c: {} },
      [],
      [{ u: 1 }, [2]],
      'é', 'ÿ', 'Ā', '\u0000', '\ud800', 'a\udfffb', '😀', '郝𠮷萍', long('é'), long('长'), `${long('a')}\ud800`, `${long('ÿ')}Ā`,
      2 ** 31, -(2 ** 31), 2 ** 31 - 1, 0.1, Number.MAX_SAFE_INTEGER, -1,
    ];
    const input: LegacyRow[] = [];
    let line = 1;
    for (let m = 0; m < odd.length; m++) {
      for (const id of ['B', 'A', 'C']) {
        input.push({ role: 'row', values: { 'person.id': id, v: odd[m], w: odd[(m + (id === 'A' ? 0 : 3)) % odd.length], x: odd[m] } as LegacyRow['values'], at: id === 'C' ? { line: line++, column: odd.length } : { line: line++ } });
      }
    }
    const expected = ['B', 'A', 'C'].flatMap((id) => input.filter((r) => r.values['person.id'] === id));
    for (const opts of [{ rowsInMemory: 1 }, { rowsInMemory: 4 }, { rowsInMemory: 10_000 }, { bytesInMemory: 64 }]) {
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 3), opts)) out.push(...b);
      expect(out).toEqual(expected);
      out.forEach((r, i) => {
        for (const k of Object.keys(r.values)) expect(JSON.stringify(r.values[k]), `${i} ${k}`).toBe(JSON.stringify(expected[i].values[k]));
      });
    }
  });

  it('spills by bytes held as well as by rows, and remembers a person\'s previous row only while its slot is not taken', async () => {
    // 65,536 slots: persons k and k + 65,536 share one, so their rows are written whole, not as a change against the other's
    const persons = 65_536 + 40;
    const input: LegacyRow[] = [];
    let line = 1;
    for (let m = 0; m < 3; m++) {
      for (let p = 0; p < persons; p++) {
        input.push({ role: 'row', values: { 'person.id': `P${p}`, name: p % 65_536 < 40 ? `N${p}` : 'same', month: `2020-0${m + 1}`, fen: p % 65_536 < 40 ? p : 7 }, at: { line: line++ } });
      }
    }
    const expected = inPersonOrder(input);
    for (const opts of [{}, { bytesInMemory: 1 << 20 }]) {
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 512), opts)) out.push(...b);
      expect(out.length).toBe(expected.length);
      const bad = out.findIndex((r, i) => r.values['person.id'] !== expected[i].values['person.id'] || r.values.name !== expected[i].values.name || r.values.fen !== expected[i].values.fen || r.values.month !== expected[i].values.month || r.at.line !== expected[i].at.line);
      expect(bad).toBe(-1);
    }
  });

  it('finds each row\'s person whatever follows whom: persons in another order every month, repeated, new ones midway', async () => {
    const input: LegacyRow[] = [];
    let line = 1;
    const next = rng(7);
    const random = (n: number): number => Math.floor(next() * n);
    for (let m = 0; m < 12; m++) {
      const persons = Array.from({ length: 20 + m }, (_, p) => `P${p}`);
      for (let i = persons.length - 1; i > 0; i--) {
        const j = random(i + 1);
        [persons[i], persons[j]] = [persons[j], persons[i]];
      }
      if (m % 3 === 0) persons.sort(); // now and then the same order as some month before
      for (const id of persons) {
        const times = random(4) === 0 ? 2 : 1;
        for (let t = 0; t < times; t++) input.push({ role: 'row', values: { 'person.id': id, month: `2020-${m}`, t }, at: { line: line++ } });
      }
    }
    const expected = inPersonOrder(input);
    for (const limit of [7, 1000]) {
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 9), { rowsInMemory: limit })) out.push(...b);
      expect(out).toEqual(expected);
    }
  });

  /** Each value as it went in (Object.is; objects and arrays by their JSON), keys in order, position and part. */
  const expectSameRows = (out: LegacyRow[], expected: LegacyRow[], label: string): void => {
    const sameValue = (a: unknown, b: unknown): boolean => (typeof b === 'object' && b !== null ? JSON.stringify(a) === JSON.stringify(b) : Object.is(a, b));
    expect(out.length, label).toBe(expected.length);
    const bad = out.findIndex((r, i) => {
      const e = expected[i];
      const keys = Object.keys(e.values);
      if (r.role !== e.role || JSON.stringify(Object.keys(r.values)) !== JSON.stringify(keys)) return true;
      if (keys.some((k) => !sameValue(r.values[k], e.values[k]))) return true;
      return JSON.stringify(r.at) !== JSON.stringify(e.at) || partOfPosition(r.at) !== partOfPosition(e.at);
    });
    expect(bad, `${label}: first differing row ${bad}`).toBe(-1);
  };

  it('keeps values that recur from row to row (a month across persons): equal strings of other identity, long, wide, past latin1, more of them than are numbered', async () => {
    // more recurring strings than the grouping numbers (4,096), each on rows in a row at one key and then another
    const input: LegacyRow[] = [];
    let line = 1;
    for (let m = 0; m < 5000; m++) {
      const month = m % 3 === 0 ? `长${m}` : m % 3 === 1 ? `${'x'.repeat(m % 90)}${m}` : `2020-${m}\ud800`;
      for (const id of ['B', 'A', 'C']) {
        const copy = JSON.parse(JSON.stringify(month)) as string; // the same text, another string
        input.push({ role: 'row', values: { 'person.id': id, month: copy, [m % 2 ? 'other' : 'note']: month, fen: m }, at: { line: line++ } });
      }
    }
    const expected = inPersonOrder(input);
    for (const opts of [{}, { rowsInMemory: 1000 }, { rowsInMemory: 97 }]) {
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 64), opts)) out.push(...b);
      expectSameRows(out, expected, JSON.stringify(opts));
    }
  });

  it('gives the rows of an in-memory stable grouping for random rows: persons in any order, values that repeat or recur or not, several shapes, parts, any threshold', async () => {
    const odd: unknown[] = [NaN, -0, 0, 1, -1, 2 ** 31, 0.5, null, undefined, true, false, '', 'a', 'é', '长', '\ud800', '2020-01', '2020-02', { n: 1 }, [1, 'x']];
    for (let seed = 1; seed <= 40; seed++) {
      const next = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
      const persons = Array.from({ length: 1 + Math.floor(next() * 30) }, (_, p) => `P${p}`);
      const input: LegacyRow[] = [];
      let line = 1;
      const months = 1 + Math.floor(next() * 12);
      for (let m = 0; m < months; m++) {
        const order = next() < 0.5 ? persons : [...persons].sort(() => next() - 0.5);
        const recurring = pick(odd);
        for (const id of order) {
          if (next() < 0.1) continue;
          const values = (next() < 0.8 ? { 'person.id': id, month: next() < 0.7 ? recurring : pick(odd), name: next() < 0.9 ? `N${id}` : pick(odd) } : { month: recurring, 'person.id': id, x: pick(odd), y: pick(odd) }) as LegacyRow['values'];
          const at = next() < 0.8 ? { line: line++ } : next() < 0.5 ? { line: line++, column: 2 } : { record: line++ };
          if (next() < 0.1) inPart(at, pick(['a.txt', 'b.txt', '长.txt']));
          input.push({ role: next() < 0.05 ? 'account' : 'row', values, at } as LegacyRow);
        }
      }
      const accounts = input.filter((r) => r.role === 'account');
      const expected = inPersonOrder(input.filter((r) => r.role === 'row'));
      const limit = 1 + Math.floor(next() * 50);
      const out: LegacyRow[] = [];
      for await (const b of groupByPerson(batches(input, 1 + Math.floor(next() * 20)), { rowsInMemory: limit })) out.push(...b);
      // account rows are passed on as they come, before the grouped rows
      expectSameRows(out.slice(0, accounts.length), accounts, `seed ${seed} accounts`);
      expectSameRows(out.slice(accounts.length), expected, `seed ${seed}, ${limit} rows in memory`);
    }
  });
});
