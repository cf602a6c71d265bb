/**
 * groupByPerson spilled (group.ts): rows of interleaved persons come out each
 * person's together, in first-appearance order and file order within a
 * person, with every value, position and part (a folder's file) as they went
 * in — spilled rows are written as JSON arrays and rebuilt.
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
});
