/**
 * Temporary files and folders of a run, removed on every way out: when the run
 * ends (the caller's `finally`), and — for an interrupted process — at exit,
 * synchronously (`process.on('exit')`; the CLI turns SIGINT/SIGTERM into an
 * exit so this runs then too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<string>();
let hooked = false;

function removeAllNow(): void {
  for (const p of live) {
    try {
      rmSync(p, { recursive: true, force: true });
    } catch {
      // nothing more can be done while exiting
    }
  }
  live.clear();
}

/** Registers a path (file or folder) to be removed at exit if it still exists. */
export function trackTemp(path: string): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', removeAllNow);
  }
  live.add(path);
}

/** Removes a tracked path now (and forgets it). */
export async function removeTemp(path: string): Promise<void> {
  live.delete(path);
  await rm(path, { recursive: true, force: true });
}

/** Forgets a path that was renamed into place (it is no longer temporary). */
export function keepTemp(path: string): void {
  live.delete(path);
}

/** A new tracked temporary folder under the system's temporary directory. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  trackTemp(dir);
  return dir;
}

/** The paths still tracked (for tests). */
export function liveTemps(): string[] {
  return [...live];
}
