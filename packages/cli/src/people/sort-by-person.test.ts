/**
 * The external sort by person: a moderately large generated input, with a
 * memory threshold far below its size, takes the spill path (runs on disk),
 * gives every item back once, people in id order and each person's items in
 * input order, and leaves no temporary folder — also when abandoned halfway.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PersonItem } from './items.ts';
import { consecutive, sortByPerson, type SortStats } from './sort-by-person.ts';

const PEOPLE = 5_000;
const ITEMS = 60_000;

/** Items of PEOPLE people in a scrambled order (seq × 7919 mod PEOPLE), each text ~300 characters with a tab-free JSON body. */
async function* generated(): AsyncGenerator<PersonItem> {
  for (let seq = 0; seq < ITEMS; seq++) {
    const id = `3601001980${String((seq * 7919) % PEOPLE).padStart(8, '0')}`;
    yield { id, text: JSON.stringify({ person: { id }, seq, pad: 'x'.repeat(250), quote: 'a "b"\\c' }), src: seq % 3, seq, line: seq + 1, trusted: false };
  }
}

let saved: string | undefined;
let tmp: string;
beforeEach(() => {
  saved = process.env.TMPDIR;
  tmp = mkdtempSync(join(tmpdir(), 'jiexu-sort-test-'));
  process.env.TMPDIR = tmp;
});
afterEach(() => {
  if (saved === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved;
});

describe('sortByPerson', { timeout: 300_000 }, () => {
  it('spills sorted runs past the threshold and merges them: every item once, by id, then input order', async () => {
    const stats: SortStats = { runs: 0, spilledChars: 0 };
    let count = 0;
    let previous = '';
    const people = new Set<string>();
    for await (const group of sortByPerson(generated(), { bytesInMemory: 1_000_000 }, stats)) {
      if (count === 0) expect(readdirSync(tmp).length).toBe(1); // the runs' folder exists while merging
      const id = group[0].id;
      expect(id > previous).toBe(true);
      previous = id;
      people.add(id);
      for (let k = 0; k < group.length; k++) {
        expect(group[k].id).toBe(id);
        if (k) expect(group[k].seq).toBeGreaterThan(group[k - 1].seq);
        expect(JSON.parse(group[k].text)).toMatchObject({ person: { id }, seq: group[k].seq, quote: 'a "b"\\c' });
        expect(group[k].line).toBe(group[k].seq + 1);
        expect(group[k].src).toBe(group[k].seq % 3);
      }
      count += group.length;
    }
    expect(count).toBe(ITEMS);
    expect(people.size).toBe(PEOPLE);
    // ~60,000 × (300 + overhead) characters through a 1,000,000 threshold: about twenty runs
    expect(stats.runs).toBeGreaterThan(10);
    expect(stats.spilledChars).toBeGreaterThan(ITEMS * 250);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('removes its runs when the reader stops early', async () => {
    const stats: SortStats = { runs: 0, spilledChars: 0 };
    for await (const group of sortByPerson(generated(), { bytesInMemory: 2_000_000 }, stats)) {
      expect(group.length).toBeGreaterThan(0);
      break;
    }
    expect(stats.runs).toBeGreaterThan(0);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('keeps everything in memory under the threshold', async () => {
    const stats: SortStats = { runs: 0, spilledChars: 0 };
    let n = 0;
    for await (const g of sortByPerson(generated(), { bytesInMemory: 1 << 30 }, stats)) n += g.length;
    expect(n).toBe(ITEMS);
    expect(stats.runs).toBe(0);
  });

  it('consecutive: passes groups on and names a person who comes back', async () => {
    const item = (id: string, seq: number): PersonItem => ({ id, text: '{}', src: 0, seq, line: seq + 1, trusted: false });
    async function* input(ids: string[]) {
      for (let i = 0; i < ids.length; i++) yield item(ids[i], i);
    }
    const groups: string[][] = [];
    for await (const g of consecutive(input(['b', 'b', 'a', 'c']), () => new Error('split'))) groups.push(g.map((i) => i.id));
    expect(groups).toEqual([['b', 'b'], ['a'], ['c']]);
    await expect(async () => {
      for await (const g of consecutive(input(['b', 'a', 'b']), (i) => new Error(`split at ${i.line}`))) expect(g).toBeDefined();
    }).rejects.toThrow('split at 3');
  });
});
