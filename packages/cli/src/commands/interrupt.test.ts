/**
 * An interrupted `jiexu convert` (SIGINT, as Ctrl-C sends) exits 2 and leaves
 * no temporary file: neither its `.<name>.<pid>.tmp` beside the output nor the
 * adapters' copies and spill folders in the temporary directory.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../scripts/jiexu-from-source.mjs', import.meta.url));
/** What the run leaves in its temporary directory, tsx's own compile cache aside. */
const ours = (dir: string): string[] => readdirSync(dir).filter((f) => !f.startsWith('tsx-'));

describe('jiexu convert interrupted', () => {
  it('exits 2 on SIGINT and leaves no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-interrupt-'));
    const tmp = join(dir, 'tmp');
    const out = join(dir, 'out');
    mkdirSync(tmp);
    mkdirSync(out);
    const child = spawn(process.execPath, [BIN, 'convert', '-', '--from', 'ln-jb', '--to', 'canonical', '-o', join(out, 'records.jsonl')], { env: { ...process.env, LC_ALL: 'C', TMPDIR: tmp }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdin.write('AAC002|AAC003|AAC004|AAB001|AAB301|AAE140|AAE002|AAE180|DWJF|GRJF|AAE114\n'); // stdin stays open: the run waits for more
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !(readdirSync(out).some((f) => f.endsWith('.tmp')) && ours(tmp).length > 0)) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    expect(ours(tmp).length).toBeGreaterThan(0);
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGINT');
    expect(await code).toBe(2);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(out)).toEqual([]);
    expect(ours(tmp)).toEqual([]);
    expect(existsSync(join(out, 'records.jsonl'))).toBe(false);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
