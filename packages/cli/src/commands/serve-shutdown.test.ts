/**
 * `jiexu serve` stops on SIGTERM: at once when nothing is in progress, and when a request never
 * completes (a client that sent half a body and waits) by closing that connection after
 * --shutdown-timeout, saying so — not a process that lingers with its connections open
 * (before, it waited for the client for as long as the client waited).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const JIEXU = fileURLToPath(new URL('../../scripts/jiexu-from-source.mjs', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'jiexu-serve-shutdown-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function serve(dataDir: string, shutdownTimeout: number) {
  const { DATABASE_URL: _ignored, ...env } = process.env;
  const child = spawn(process.execPath, [JIEXU, 'serve', '--lang', 'en', '--port', '0', '--data-dir', dataDir, '--shutdown-timeout', String(shutdownTimeout), '--reminder-interval', '0'], { env: { ...env, LANG: 'C' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<URL>((resolve, reject) => {
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) resolve(new URL(m[1]));
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, listening, exited, stderr: () => stderr };
}

describe('jiexu serve on SIGTERM', { timeout: 120_000 }, () => {
  it('stops at once when nothing is in progress (exit 0)', async () => {
    const s = serve(join(work, 'idle'), 60);
    await s.listening;
    s.child.kill('SIGTERM');
    const code = await s.exited;
    expect(code, s.stderr()).toBe(0);
    expect(s.stderr()).toMatch(/SIGTERM, shutting down/);
    expect(s.stderr()).not.toMatch(/still in a request/); // no connection had to be closed
  });

  it('closes a connection whose request never completes after --shutdown-timeout, saying so, and stops cleanly', async () => {
    const s = serve(join(work, 'stuck'), 1);
    const url = await s.listening;
    // a request whose body never arrives in full: the server waits for the rest
    const socket = connect(Number(url.port), url.hostname);
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /v1/console/session HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"half":`);
    socket.on('error', () => {});
    await new Promise((r) => setTimeout(r, 300));
    s.child.kill('SIGTERM');
    const code = await s.exited;
    socket.destroy();
    expect(code, s.stderr()).toBe(0);
    expect(s.stderr()).toMatch(/1 connection\(s\) still in a request after 1 s, closed/);
  });
});
