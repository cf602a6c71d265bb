/**
 * An interrupted `jiexu ledger --any-order` (SIGINT while its external sort
 * has runs on disk) exits 2 and leaves no temporary folder behind.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.ts';

const BIN = fileURLToPath(new URL('../../scripts/jiexu-from-source.mjs', import.meta.url));
const INPUTS = fileURLToPath(new URL('../../../../examples/ledger/inputs.sample.json', import.meta.url));
/** What the run leaves in its temporary directory, tsx's own compile cache aside. */
const ours = (dir: string): string[] => readdirSync(dir).filter((f) => !f.startsWith('tsx-'));

describe('jiexu ledger interrupted while sorting', () => {
  it('exits 2 on SIGINT with spilled runs and removes them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-interrupt-sort-'));
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const pop = join(dir, 'pop.jsonl');
    expect((await runCli(['simulate', 'population', '--seed', '4', '--people', '20', '-o', pop, '--inputs', INPUTS])).code).toBe(0);
    const child = spawn(process.execPath, [BIN, 'ledger', '-', '--any-order', '--workers', '1', '--inputs', INPUTS], { env: { ...process.env, LC_ALL: 'C', TMPDIR: tmp, JIEXU_SORT_MEMORY: '1000' }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += String(d)));
    child.stdin.write(readFileSync(pop)); // stdin stays open: the sort waits for more
    const deadline = Date.now() + 180_000;
    const spilled = () => ours(tmp).some((f) => f.startsWith('jiexu-people-') && readdirSync(join(tmp, f)).length > 0);
    while (Date.now() < deadline && !spilled()) await new Promise((r) => setTimeout(r, 100));
    expect(spilled()).toBe(true);
    const code = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    child.kill('SIGINT');
    expect(await code).toBe(2);
    expect(stderr).toMatch(/interrupted/);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(ours(tmp)).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);
});
