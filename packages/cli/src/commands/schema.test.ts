import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ENGLISH, runCli } from '../testing/run-cli.ts';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const PAIRS = `${ROOT}packages/versioning/src/__fixtures__/pairs`;
const pair = (name: string): [string, string] => [`${PAIRS}/${name}/old.json`, `${PAIRS}/${name}/new.json`];
const expectedClass = (name: string): string => (JSON.parse(readFileSync(`${PAIRS}/${name}/expected.json`, 'utf8')) as { class: string }).class;

const jiexu = (args: string[]) => runCli(args, ENGLISH);

describe('jiexu schema diff', () => {
  it('prints one line per change and exits 0 when the change is allowed by the mode', async () => {
    const r = await jiexu(['schema', 'diff', ...pair('property-added-closed')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^backward\s+new\.json#\/properties\/b: property 'b' added — /);
    expect(lines.at(-1)).toContain('verdict backward; mode backward: ok');
  });

  it('exits 1 when a change violates the mode, 0 under the mode it satisfies', async () => {
    const [o, n] = pair('required-added');
    expect((await jiexu(['schema', 'diff', o, n])).code).toBe(1);
    expect((await jiexu(['schema', 'diff', o, n, '--mode', 'forward'])).code).toBe(0);
    expect((await jiexu(['schema', 'diff', o, n, '--mode', 'full'])).code).toBe(1);
    expect((await jiexu(['schema', 'diff', o, n, '--mode', 'none'])).code).toBe(0);
  });

  it('fails on unclassified changes unless --allow-unclassified', async () => {
    const [o, n] = pair('pattern-changed');
    expect((await jiexu(['schema', 'diff', o, n])).code).toBe(1);
    expect((await jiexu(['schema', 'diff', o, n, '--allow-unclassified'])).code).toBe(0);
  });

  it('--json gives the verdict and every change with pointer, change, class and reason', async () => {
    const name = 'required-new-property-closed';
    const r = await jiexu(['schema', 'diff', ...pair(name), '--json']);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { verdict: string; changes: Array<Record<string, string>> };
    expect(out.verdict).toBe(expectedClass(name));
    for (const c of out.changes) expect(Object.keys(c)).toEqual(expect.arrayContaining(['pointer', 'change', 'class', 'reason']));
    expect(out.changes.find((c) => c.pointer === '/required')?.class).toBe('breaking');
  });

  it('compares whole version folders (a version with itself: no change)', async () => {
    const r = await jiexu(['schema', 'diff', `${ROOT}schemas/1.0`, `${ROOT}schemas/1.0`, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ verdict: 'none', changes: [] });
  });

  it('exits 2 on a missing file or a bad mode, with a one-line message', async () => {
    const missing = await jiexu(['schema', 'diff', `${PAIRS}/nope.json`, pair('type-added')[1]]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^jiexu: cannot read .*nope\.json: ENOENT\n$/);
    const mode = await jiexu(['schema', 'diff', ...pair('type-added'), '--mode', 'sideways']);
    expect(mode.code).toBe(2);
    expect(mode.stderr).toContain('--mode must be one of backward, forward, full, none');
  });
});

describe('jiexu schema policy', () => {
  it('holds on the repository', async () => {
    const r = await jiexu(['schema', 'policy']);
    expect(r.stdout).toContain('versioning policy holds');
    expect(r.code).toBe(0);
  });
});
