/** The progress bar appears on a terminal only, never on a pipe or under CI. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Progress } from './progress.ts';

const tty = Object.getOwnPropertyDescriptor(process.stderr, 'isTTY');
afterEach(() => {
  if (tty) Object.defineProperty(process.stderr, 'isTTY', tty);
  else delete (process.stderr as { isTTY?: boolean }).isTTY;
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

function shown(isTTY: boolean, ci: string | undefined): string {
  Object.defineProperty(process.stderr, 'isTTY', { value: isTTY, configurable: true });
  vi.stubEnv('CI', ci as string);
  let out = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const p = new Progress('converting', 'en');
  p.update(10, 1 << 20, 4 << 20);
  p.done();
  return out;
}

describe('Progress', () => {
  it('shows bytes read of the size on a terminal', () => {
    expect(shown(true, '')).toMatch(/converting .*25% 1\.0\/4\.0 MB/);
  });
  it('stays silent on a pipe and under CI', () => {
    expect(shown(false, '')).toBe('');
    expect(shown(true, 'true')).toBe('');
  });
});
