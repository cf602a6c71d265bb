/** memfs's fs.read, patched for the worker: a throwing callback runs once and its exception escapes (as in Node). */
import { Volume, createFsFromVolume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { readCallsBackOnce } from './memfs-read.ts';

function memoryFs() {
  const fs = createFsFromVolume(Volume.fromJSON({ '/f': 'abcdef' })) as unknown as { openSync(p: string, f: string): number; read: (...args: unknown[]) => void };
  return fs;
}

/** Reads /f with a callback that throws; resolves with the number of calls and the exception that escaped. */
async function readThrowing(fs: ReturnType<typeof memoryFs>): Promise<{ calls: unknown[][]; escaped: unknown[] }> {
  const calls: unknown[][] = [];
  const escaped: unknown[] = [];
  const onUncaught = (err: unknown) => escaped.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    const fd = fs.openSync('/f', 'r');
    fs.read(fd, Buffer.alloc(3), 0, 3, 0, (...args: unknown[]) => {
      calls.push(args);
      if (calls.length === 1) throw new Error('the callback failed');
    });
    await new Promise((r) => setTimeout(r, 20));
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  return { calls, escaped };
}

describe('readCallsBackOnce', () => {
  it('unpatched, memfs calls a throwing callback a second time with its own exception', async () => {
    const { calls } = await readThrowing(memoryFs());
    expect(calls.length).toBe(2);
    expect((calls[1]![0] as Error).message).toBe('the callback failed');
  });

  it('patched, the callback runs once with the bytes read and its exception is uncaught', async () => {
    const fs = memoryFs();
    readCallsBackOnce(fs);
    readCallsBackOnce(fs); // idempotent
    const { calls, escaped } = await readThrowing(fs);
    expect(calls.length).toBe(1);
    expect(calls[0]![0]).toBeNull();
    expect(calls[0]![1]).toBe(3);
    expect((calls[0]![2] as Buffer).toString()).toBe('abc');
    expect(escaped.map((e) => (e as Error).message)).toEqual(['the callback failed']);
  });
});
