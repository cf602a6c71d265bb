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
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
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
});
