/**
 * The k-way merge (merge.ts): random sorted runs, read in memory or a block at
 * a time behind promises, come out exactly as one stable sort of them all
 * would give — also when a run's items of one key are taken together.
 */
import { describe, expect, it } from 'vitest';
import { mergeBatches, mergeSorted, type MergeSource } from './merge.ts';

type Item = [key: number, seq: number];
const before = (a: Item, b: Item): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

/** A deterministic generator (so a failure can be replayed). */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** Runs as an external sort writes them: input in order, cut into runs, each sorted; seq is the input order. */
function runs(seed: number, n: number, keys: number, runSize: number): Item[][] {
  const r = rng(seed);
  const input: Item[] = Array.from({ length: n }, (_, i) => [Math.floor(r() * keys), i]);
  const out: Item[][] = [];
  for (let i = 0; i < n; i += runSize) out.push(input.slice(i, i + runSize).sort((a, b) => a[0] - b[0] || a[1] - b[1]));
  return out;
}

function source(items: Item[], block: number | undefined): MergeSource<Item> {
  let i = 0;
  const src: MergeSource<Item> = {
    head: items[0],
    advance() {
      i++;
      // every `block` items the next one is "read": a promise
      if (block && i % block === 0) {
        return new Promise<void>((resolve) => setImmediate(() => {
          src.head = items[i];
          resolve();
        }));
      }
      src.head = items[i];
    },
  };
  return src;
}

describe('mergeBatches', () => {
  it.each([
    { seed: 1, n: 2000, keys: 50, runSize: 300, block: undefined },
    { seed: 2, n: 2000, keys: 50, runSize: 300, block: 7 },
    { seed: 3, n: 999, keys: 3, runSize: 100, block: 1 },
    { seed: 4, n: 5000, keys: 4000, runSize: 1000, block: 64 },
  ])('equals one stable sort of all the runs (seed $seed, blocks of $block)', async ({ seed, n, keys, runSize, block }) => {
    const rs = runs(seed, n, keys, runSize);
    const expected = rs.flat().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const plain: Item[] = [];
    for await (const i of mergeSorted(rs.map((r) => source(r, block)), before)) plain.push(i);
    expect(plain).toEqual(expected);
    const grouped: Item[] = [];
    const sizes: number[] = [];
    for await (const b of mergeBatches(rs.map((r) => source(r, block)), before, { together: (a, b2) => a[0] === b2[0], batch: 100 })) {
      grouped.push(...b);
      sizes.push(b.length);
    }
    expect(grouped).toEqual(expected);
    expect(sizes.slice(0, -1).every((s) => s >= 100)).toBe(true);
  });

  it('passes no items for no sources and empty ones', async () => {
    const out: Item[] = [];
    for await (const b of mergeBatches<Item>([source([], undefined), source([], 3)], before)) out.push(...b);
    expect(out).toEqual([]);
  });
});
