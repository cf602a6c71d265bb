/**
 * A k-way merge of sorted sources by a binary heap: the one merge of the
 * external sorts here (group.ts, legacy rows by person) and in the CLI
 * (records of several files by person id).
 *
 * A source shows its smallest item (`head`, undefined once exhausted) and
 * moves on with `advance()`, which may return a promise (a block to read) or
 * not (the next item is in memory): the merge awaits only when it must, so a
 * source read a block at a time costs one await a block, not one an item.
 */

export interface MergeSource<T> {
  head: T | undefined;
  advance(): Promise<void> | void;
}

export interface MergeOptions<T> {
  /**
   * Items of one source that may be taken together once its head is the
   * smallest: while the next head `together(first, head)`, it follows without
   * a heap step. Correct when such items are never interleaved with another
   * source's (sorted runs written in input order, ties broken by input order).
   */
  together?: (first: T, next: T) => boolean;
  /** Items a batch (default 512). */
  batch?: number;
}

const isPromise = (x: unknown): x is Promise<void> => typeof (x as Promise<void> | undefined)?.then === 'function';

/** The sources' items in `before` order, in batches. */
export async function* mergeBatches<T>(sources: MergeSource<T>[], before: (a: T, b: T) => boolean, opts: MergeOptions<T> = {}): AsyncGenerator<T[]> {
  const size = opts.batch ?? 512;
  const together = opts.together;
  const heap = sources.filter((s) => s.head !== undefined);
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && before(heap[l].head!, heap[m].head!)) m = l;
      if (r < heap.length && before(heap[r].head!, heap[m].head!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m], heap[i]];
      i = m;
    }
  };
  for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i);
  let out: T[] = [];
  while (heap.length) {
    const top = heap[0];
    const first = top.head!;
    out.push(first);
    let step = top.advance();
    if (isPromise(step)) await step;
    if (together) {
      while (top.head !== undefined && together(first, top.head)) {
        out.push(top.head);
        step = top.advance();
        if (isPromise(step)) await step;
      }
    }
    if (top.head === undefined) {
      heap[0] = heap[heap.length - 1];
      heap.pop();
    }
    if (heap.length) down(0);
    if (out.length >= size) {
      yield out;
      out = [];
    }
  }
  if (out.length) yield out;
}

/** The sources' items in `before` order, one at a time. */
export async function* mergeSorted<T>(sources: MergeSource<T>[], before: (a: T, b: T) => boolean, opts: MergeOptions<T> = {}): AsyncGenerator<T> {
  for await (const batch of mergeBatches(sources, before, opts)) yield* batch;
}
