/**
 * Temporary folders made while `run` runs, seen in a folder of this test's
 * own: the system's temporary folder is shared with every other test file
 * running at the same time (and their spills), so a check there can see
 * another file's folder. TMPDIR is this process's own (vitest's forks pool
 * runs each file in its own process), and os.tmpdir() reads it on each call.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function tempFoldersMadeBy<T>(prefix: string, run: () => Promise<T>): Promise<{ result: T; left: string[] }> {
  const own = await mkdtemp(join(tmpdir(), 'jiexu-test-tmp-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = own;
  try {
    const result = await run();
    return { result, left: (await readdir(own)).filter((f) => f.startsWith(prefix)) };
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    await rm(own, { recursive: true, force: true });
  }
}
