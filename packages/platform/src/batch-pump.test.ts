import { describe, expect, it } from 'vitest';
import { BatchPump } from './batch-pump.ts';

/** A pump over a plain queue whose batches settle when the test says so. */
function harness(gather: boolean, maxInFlight: number, maxBatch = 100) {
  const queue: number[] = [];
  const batches: number[][] = [];
  const finish: Array<() => void> = [];
  const events: string[] = [];
  const pump = new BatchPump<number>({
    gather,
    maxInFlight,
    take: () => queue.splice(0, maxBatch),
    run: (batch) => {
      batches.push(batch);
      return new Promise<void>((resolve) => finish.push(resolve));
    },
    settled: (batch) => events.push(`settled ${batch.join(',')}`),
  });
  const add = (...items: number[]) => {
    queue.push(...items);
    pump.kick();
  };
  return { queue, batches, finish, events, add };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('BatchPump', () => {
  it('without gathering, sends at once, up to maxInFlight batches, and the rest when one settles', async () => {
    const h = harness(false, 2);
    h.add(1);
    h.add(2);
    h.add(3);
    h.add(4);
    expect(h.batches).toEqual([[1], [2]]);
    h.finish[0]();
    await turn();
    expect(h.events).toEqual(['settled 1']);
    // what queued while both were in flight goes together
    expect(h.batches).toEqual([[1], [2], [3, 4]]);
  });

  it('gathering, forms one batch per turn of the event loop, one in flight at a time', async () => {
    const h = harness(true, 2);
    h.add(1);
    h.add(2);
    expect(h.batches).toEqual([]);
    await turn();
    expect(h.batches).toEqual([[1, 2]]);
    h.add(3);
    h.add(4);
    await turn();
    expect(h.batches).toEqual([[1, 2]]);
    h.finish[0]();
    await turn();
    await turn();
    expect(h.batches).toEqual([[1, 2], [3, 4]]);
  });

  it('takes at most what take() gives, and goes on while the queue holds more', async () => {
    const h = harness(false, 5, 2);
    h.queue.push(1, 2, 3, 4, 5);
    h.add();
    expect(h.batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
