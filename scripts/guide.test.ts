/**
 * The guide for regional IT teams, run as a test: every ```sh block of the English guide
 * (LANG=C.UTF-8) and of its Chinese twin (LANG=zh_CN.UTF-8), in order, in one bash session
 * each, on a clean temporary folder, against the workspace's `jiexu`; each block's exit
 * code and the output the guide shows are checked. The rules: scripts/guide-session.ts.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actualLines, lineMatches, matchOutput, parseGuide, placeholders, refreshGuide, runGuide, workspaceJiexu, type BlockResult, type GuideRun } from './guide-session.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const guides = [
  { file: 'docs/guide-regional-team.md', lang: 'C.UTF-8' },
  { file: 'docs/zh-CN/guide-regional-team.md', lang: 'zh_CN.UTF-8' },
];

/** A guide's commands without full-line comments, which the twins may word in their own language. */
function commands(file: string): string[] {
  return parseGuide(readFileSync(join(root, file), 'utf8')).map((b) =>
    b.code
      .split('\n')
      .filter((l) => !/^\s*#/.test(l))
      .join('\n')
      .trim(),
  );
}

function report(run: GuideRun): string {
  const timing = run.results.map((r, i) => `block ${i + 1} (line ${r.block.line}) ${r.seconds.toFixed(1)} s`).join(', ');
  return `${run.file}: ${run.results.length} blocks run in ${run.seconds.toFixed(1)} s (${timing})`;
}

describe('matching a guide against what the commands print', () => {
  it('takes the ```text block right after a ```sh block as its output, and no-test blocks as not run', () => {
    const blocks = parseGuide(
      ['# g', '```sh no-test', 'npm install -g x', '```', '', '```sh', 'echo hi', '```', '', '```text', 'hi', '```', '', '```sh', 'ls', '```', 'prose', '```text', 'not output', '```'].join('\n'),
    );
    expect(blocks.map((b) => [b.line, b.run, b.code, b.expected])).toEqual([
      [2, false, 'npm install -g x\n', undefined],
      [6, true, 'echo hi\n', { line: 10, lines: ['hi'] }],
      [14, true, 'ls\n', undefined],
    ]);
    expect(() => parseGuide('```sh skip\nls\n```\n')).toThrow(/unknown marker/);
  });

  it('squashes spaces, reads … as any text within a line and a lone … as any lines', () => {
    expect(lineMatches('added 210100-si 210100 110', 'added 210100-si\t210100\t110  ')).toBe(true);
    expect(lineMatches('listening on http://127.0.0.1:… (storage: pglite)', 'listening on http://127.0.0.1:40123 (storage: pglite)')).toBe(true);
    expect(lineMatches('a … c', 'a b d')).toBe(false);
    expect(lineMatches('x (y) [z] $1.0*', 'x (y) [z] $1.0*')).toBe(true);
    expect(matchOutput(['first', '…', 'last'], ['first', 'one', 'two', 'last'])).toEqual({ ok: true, matchedLines: 3 });
    expect(matchOutput(['first', '…', 'last'], ['first', 'last'])).toEqual({ ok: true, matchedLines: 3 });
    expect(matchOutput(['first', 'last'], ['first', 'extra', 'last']).ok).toBe(false);
    expect(matchOutput(['first', 'second'], ['first'])).toEqual({ ok: false, matchedLines: 1 });
    expect(matchOutput(['first', 'wrong', 'third'], ['first', 'second', 'third'])).toEqual({ ok: false, matchedLines: 1 });
    expect(actualLines('in /tmp/x/work/a\r\n\n', ['/tmp/x/work', '/tmp/x'])).toEqual(['in …/a']);
  });

  it('runs blocks in one session, stops a block at its first failing command, and stops what it started', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-guide-test-'));
    try {
      const file = join(dir, 'g.md');
      const md = [
        '```sh', 'X=1; mkdir sub; cd sub', 'sleep 300 &', 'echo "pid $!"', '```', '',
        '```sh', 'echo "X=$X in ${PWD##*/}"; false || echo "exit code $?"', '```', '', '```text', 'X=1 in sub', 'exit code 1', '```', '',
        '```sh', 'echo shown', '```', '', '```text', 'not what it prints', '```', '',
        '```sh', 'false', 'echo after', '```', '',
        '```sh', 'echo never', '```',
      ].join('\n');
      writeFileSync(file, md);
      const run = await runGuide(file, { root, lang: 'C.UTF-8' });
      expect(run.results.map((r) => [r.exitCode, r.outputOk])).toEqual([[0, true], [0, true], [0, false], [1, true]]);
      expect(run.results[3].output).toEqual([]);
      expect(run.failures).toHaveLength(2);
      expect(run.failures[0]).toContain('✗ not what it prints');
      expect(run.failures[0]).toContain('    shown');
      expect(run.failures[1]).toContain('exit code 1 (expected 0)');
      const pid = Number(run.results[0].output[0].replace('pid ', ''));
      expect(pid).toBeGreaterThan(0);
      expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refreshes a differing ```text block from the actual output, keeping the lines that still match', () => {
    expect(placeholders('#2  2026-12-02 04:09 +08:00  id 0b6f3a52-6d0e-4c59-9d0a-3b1f0c2e7a11 at 2026-12-01T20:09:37.096Z due 2026-12-22 on http://127.0.0.1:40123')).toBe(
      '#2  …  id … at … due … on http://127.0.0.1:…',
    );
    const md = ['```sh', 'jiexu x', '```', '', '```text', 'kept … (15 working days)…', 'old wording', '```', '', 'after'].join('\n');
    const [block] = parseGuide(md);
    const result: BlockResult = { block, exitCode: 0, output: ['kept 2026-12-22 (15 working days)', '新的说法 2026-12-02 04:09 +08:00'], outputOk: false, matchedLines: 1, seconds: 0 };
    expect(refreshGuide(md, [result])).toBe(['```sh', 'jiexu x', '```', '', '```text', 'kept … (15 working days)…', '新的说法 …', '```', '', 'after'].join('\n'));
    expect(refreshGuide(md, [{ ...result, exitCode: 1 }])).toBe(md);
  });

  it("runs the workspace's jiexu: the command pnpm exec runs, whatever the CLI's bin is", () => {
    const argv = workspaceJiexu(root);
    expect(argv.length).toBeGreaterThan(0);
    for (const file of argv) expect(existsSync(file)).toBe(true);
  });

  it('counts background jobs left running by the guide as a failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-guide-test-'));
    try {
      const file = join(dir, 'g.md');
      writeFileSync(file, '```sh\nsleep 300 &\n```\n');
      const run = await runGuide(file, { root, lang: 'C.UTF-8' });
      expect(run.failures).toEqual([expect.stringContaining('leaves background jobs running')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the guide for regional IT teams', () => {
  it('has the same commands in English and Chinese', () => {
    expect(commands(guides[1].file)).toEqual(commands(guides[0].file));
  });

  // Both languages at once: each session is a separate folder, platform and port (the
  // platform picks a free one), so they cannot collide, and the run takes half the time.
  // The limit is generous for a loaded machine; the guide itself takes well under a minute.
  it.concurrent.each(guides)('$file runs from the first command to "connected" ($lang)', { timeout: 240_000 }, async ({ file, lang }) => {
    const run = await runGuide(join(root, file), { root, lang });
    console.log(report(run));
    if (process.env.JIEXU_GUIDE_WRITE === '1' && run.failures.length) {
      const path = join(root, file);
      writeFileSync(path, refreshGuide(readFileSync(path, 'utf8'), run.results));
      console.log(`${file}: rewrote the differing output blocks (JIEXU_GUIDE_WRITE=1); review the diff`);
    }
    expect(run.failures.join('\n\n')).toBe('');
    expect(run.results.length).toBe(parseGuide(readFileSync(join(root, file), 'utf8')).filter((b) => b.run).length);
    expect(run.results.length).toBeGreaterThan(10);
  });
});
