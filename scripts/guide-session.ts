/**
 * Runs a guide written in Markdown as a test, the way a reader would follow it.
 *
 * What a guide may contain, and how it is checked (docs/guide-regional-team.md and its
 * zh-CN twin follow these rules; scripts/guide.test.ts runs both):
 *
 * - Every ```sh block runs, in the order of the guide, in ONE `bash --noprofile --norc`
 *   session started in an empty temporary folder: variables, `cd`, `export` and background
 *   jobs carry over from block to block, as in the reader's terminal.
 * - A block stops at its first failing command, as under `set -e` (so not for a command in
 *   `if`, `while`, `&&` or `||`), and its exit code must be 0. A guide shows an expected
 *   failure with `command || echo "exit code $?"`.
 * - A ```sh no-test block is shown to the reader but not run (installing the CLI).
 * - A ```text block right after a ```sh block (nothing but blank lines between) is what
 *   that block prints, standard output and standard error together as a terminal shows
 *   them. It must match the whole output, line by line, where
 *     - spaces and tabs: leading and trailing ones are ignored, and any run of them inside
 *       a line equals any other run (columns may be aligned either way);
 *     - `…` inside a line stands for any text, also none (times, ports, generated ids);
 *     - a line that is only `…` stands for any number of lines, also none;
 *     - the temporary folder's path in the actual output is replaced by `…` first.
 *   A ```sh block without such a ```text block has only its exit code checked.
 * - The session's environment: `jiexu` first on PATH (a shim that runs the workspace's
 *   CLI: whatever node_modules/.bin/jiexu of the workspace root is), SAMPLES = the
 *   workspace's examples/samples folder, the LANG given (LC_ALL and LC_MESSAGES unset),
 *   HOME inside the temporary folder, and no DATABASE_URL: the guide's platform runs on
 *   PGlite in the work folder, as it tells the reader (a shared PostgreSQL database
 *   would also make runs collide on institution ids).
 * - At the end, whatever happened, every process the session started is stopped (the
 *   session is its own process group) and the temporary folder is removed. A guide must
 *   stop its own background jobs: one still running after the last block is an error.
 *
 * All blocks run even when an output differs, so that one run reports every block to
 * refresh; after a block with a non-zero exit code the run stops (later blocks depend on it).
 *
 * Refreshing after a change of the CLI's texts: `JIEXU_GUIDE_WRITE=1 pnpm exec vitest run
 * scripts/guide.test.ts` writes each differing ```text block from the actual output
 * (`refreshGuide`): a shown line that still matches is kept as it is, with its `…`; any
 * other line is the actual one with times, dates, UUIDs and ports turned into `…`. The run
 * still fails; review the diff, then run again.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';

/** A ```sh block of a guide and the ```text block after it, if any. Lines are 1-based lines of the Markdown file. */
export interface GuideBlock {
  line: number;
  code: string;
  run: boolean;
  expected?: { line: number; lines: string[] };
}

/** The ```sh blocks of a guide, in order, each with the output shown right after it. */
export function parseGuide(markdown: string): GuideBlock[] {
  const source = markdown.split('\n');
  const fences = new MarkdownIt().parse(markdown, {}).filter((t) => t.type === 'fence' && t.map);
  const blocks: GuideBlock[] = [];
  fences.forEach((fence, i) => {
    const [lang, ...attrs] = fence.info.trim().split(/\s+/);
    if (lang !== 'sh') return;
    if (attrs.length > 0 && (attrs.length > 1 || attrs[0] !== 'no-test')) {
      throw new Error(`line ${fence.map![0] + 1}: unknown marker on a sh block: "${fence.info}" (only "no-test" is known)`);
    }
    const block: GuideBlock = { line: fence.map![0] + 1, code: fence.content, run: attrs.length === 0 };
    const next = fences[i + 1];
    if (next && next.info.trim() === 'text') {
      const between = source.slice(fence.map![1], next.map![0]);
      if (between.every((l) => l.trim() === '')) {
        block.expected = { line: next.map![0] + 1, lines: next.content === '' ? [] : next.content.replace(/\n$/, '').split('\n') };
      }
    }
    blocks.push(block);
  });
  return blocks;
}

const ELLIPSIS = '…';

function squash(line: string): string {
  return line.replace(/[ \t]+/g, ' ').trim();
}

function linePattern(expected: string): RegExp {
  const parts = squash(expected).split(ELLIPSIS).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

/** Whether an actual line matches an expected line of a guide (spaces squashed, `…` = any text). */
export function lineMatches(expected: string, actual: string): boolean {
  return linePattern(expected).test(squash(actual));
}

export interface OutputMatch {
  ok: boolean;
  /** How many expected lines match, from the top, before the first that does not (all of them when ok). */
  matchedLines: number;
}

/** Whether the actual lines are what the expected lines show (see the rules at the top of this file). */
export function matchOutput(expected: string[], actual: string[]): OutputMatch {
  const patterns = expected.map((e) => (squash(e) === ELLIPSIS ? null : linePattern(e)));
  const act = actual.map(squash);
  // reach[j]: the first i expected lines can match the first j actual lines
  let reach = act.map((_, j) => j === 0).concat(act.length === 0);
  let matchedLines = 0;
  for (let i = 0; i < patterns.length; i++) {
    const next = new Array<boolean>(act.length + 1).fill(false);
    const p = patterns[i];
    for (let j = 0; j <= act.length; j++) {
      if (p === null) next[j] = reach[j] || (j > 0 && next[j - 1]);
      else next[j] = j > 0 && reach[j - 1] && p.test(act[j - 1]);
    }
    if (!next.some(Boolean)) return { ok: false, matchedLines };
    reach = next;
    matchedLines = i + 1;
  }
  return { ok: reach[act.length], matchedLines };
}

/** Turns an actual output into the lines compared with a guide: no trailing empty line, the temporary folder as `…`. */
export function actualLines(output: string, replacePaths: string[]): string[] {
  let text = output.replace(/\r\n/g, '\n');
  for (const p of replacePaths.filter(Boolean).sort((a, b) => b.length - a.length)) text = text.split(p).join(ELLIPSIS);
  const lines = text.split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

export interface BlockResult {
  block: GuideBlock;
  exitCode: number;
  output: string[];
  outputOk: boolean;
  matchedLines: number;
  seconds: number;
}

export interface GuideRun {
  file: string;
  results: BlockResult[];
  skipped: GuideBlock[];
  /** Problems, each a readable paragraph: failed blocks, differing outputs, leftover processes. */
  failures: string[];
  seconds: number;
}

export interface RunOptions {
  /** The workspace root: where node_modules/.bin/jiexu and examples/samples are. */
  root: string;
  lang: string;
  /** Longest a block may take (default 120 s): then the run stops with a failure. */
  blockTimeoutMs?: number;
}

/**
 * The command (argv) the shim runs: node_modules/.bin/jiexu of the workspace root (what
 * `pnpm exec jiexu` runs), else the "bin" of @jiexu/cli. Either way the file that "bin"
 * names must exist, so that a CLI that must be built first fails here, clearly.
 */
export function workspaceJiexu(root: string): string[] {
  const linked = join(root, 'node_modules', '@jiexu', 'cli');
  const pkgDir = existsSync(join(linked, 'package.json')) ? realpathSync(linked) : join(root, 'packages', 'cli');
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
  const rel = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.jiexu;
  if (!rel) throw new Error(`cannot find the jiexu command: no "bin" in ${join(pkgDir, 'package.json')}`);
  const target = join(pkgDir, rel);
  if (!existsSync(target)) throw new Error(`the jiexu command ${target} does not exist: build the CLI first`);
  const shim = join(root, 'node_modules', '.bin', 'jiexu');
  return existsSync(shim) ? [shim] : [process.execPath, target];
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function stopGroup(pgid: number): Promise<void> {
  const until = async (ms: number) => {
    const end = Date.now() + ms;
    while (groupAlive(pgid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  };
  if (!groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    /* gone meanwhile */
  }
  await until(20_000);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone meanwhile */
    }
    await until(5_000);
  }
}

/** A block's result as a paragraph the integrator can act on: the command, what was expected, what came. */
export function describeFailure(file: string, r: BlockResult, total: number, index: number): string {
  const head = `${file}, block ${index + 1} of ${total} (line ${r.block.line})`;
  const code = r.block.code.replace(/\n$/, '').split('\n').map((l) => `    $ ${l}`);
  const out: string[] = [head, '  command:', ...code];
  if (r.exitCode !== 0) out.push(`  exit code ${r.exitCode} (expected 0)`);
  if (r.block.expected && !r.outputOk) {
    const exp = r.block.expected;
    out.push(`  the output differs from the \`\`\`text block at line ${exp.line}; first line that does not match: line ${exp.line + 1 + r.matchedLines}`);
    out.push('  expected (the guide):');
    exp.lines.forEach((l, i) => out.push(`    ${i < r.matchedLines ? '  ' : i === r.matchedLines ? '✗ ' : '  '}${l}`));
  }
  if (r.exitCode !== 0 || (r.block.expected && !r.outputOk)) {
    out.push('  actual output (as a ```text block, to paste into the guide after adding the … placeholders; JIEXU_GUIDE_WRITE=1 writes it):');
    out.push('    ```text', ...r.output.map((l) => `    ${l}`), '    ```');
  }
  return out.join('\n');
}

/** Runs every ```sh block of the guide in one bash session in a clean temporary folder (see the top of this file). */
export async function runGuide(file: string, opts: RunOptions): Promise<GuideRun> {
  const started = Date.now();
  const blocks = parseGuide(readFileSync(file, 'utf8'));
  const toRun = blocks.filter((b) => b.run);
  const blockTimeoutMs = opts.blockTimeoutMs ?? 120_000;
  const top = realpathSync(mkdtempSync(join(tmpdir(), 'jiexu-guide-')));
  const work = join(top, 'work');
  const ctl = join(top, 'ctl');
  const bin = join(top, 'bin');
  for (const d of [work, ctl, bin, join(top, 'home')]) mkdirSync(d);
  writeFileSync(join(bin, 'jiexu'), `#!/bin/sh\nexec ${workspaceJiexu(opts.root).map(shQuote).join(' ')} "$@"\n`);
  chmodSync(join(bin, 'jiexu'), 0o755);

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (['DATABASE_URL', 'LC_ALL', 'LC_MESSAGES', 'LANGUAGE', 'JIEXU_PLATFORM', 'JIEXU_INSTITUTION', 'JIEXU_KEY', 'NODE_OPTIONS'].includes(k)) continue;
    if (k.startsWith('VITEST') || k.startsWith('npm_') || k.startsWith('PNPM_')) continue;
    env[k] = v;
  }
  Object.assign(env, { PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`, LANG: opts.lang, HOME: join(top, 'home'), SAMPLES: join(opts.root, 'examples', 'samples') });

  const bash: ChildProcessWithoutNullStreams = spawn('bash', ['--noprofile', '--norc'], { cwd: work, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  const pgid = bash.pid!;
  const killOnExit = () => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  process.on('exit', killOnExit);

  let stdout = '';
  let stderr = '';
  let exited: number | null = null;
  const waiters: Array<() => void> = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  bash.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    wake();
  });
  bash.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  bash.on('exit', (code, signal) => {
    exited = code ?? (signal ? 128 : 1);
    wake();
  });
  const send = (line: string) => bash.stdin.write(`${line}\n`);
  const waitFor = async (marker: RegExp, ms: number): Promise<RegExpExecArray | undefined> => {
    const end = Date.now() + ms;
    for (;;) {
      const m = marker.exec(stdout);
      if (m) return m;
      if (exited !== null || Date.now() > end) return undefined;
      await new Promise<void>((r) => {
        waiters.push(r);
        setTimeout(r, Math.min(500, Math.max(1, end - Date.now())));
      });
    }
  };

  // One function runs a block: its output to a file, the first failing command ends it (ERR trap, like set -e).
  send(`__jx_run() { __jx_rc=0; trap '__jx_rc=$?; trap - ERR; return $__jx_rc' ERR; source "$1" > "$2" 2>&1 < /dev/null; trap - ERR; echo "__JX_DONE $3 $__jx_rc"; }`);

  const results: BlockResult[] = [];
  const failures: string[] = [];
  try {
    for (const [i, block] of toRun.entries()) {
      const script = join(ctl, `block-${i + 1}.sh`);
      const output = join(ctl, `output-${i + 1}.txt`);
      writeFileSync(script, block.code);
      const t0 = Date.now();
      send(`__jx_run ${shQuote(script)} ${shQuote(output)} ${i + 1}`);
      const done = await waitFor(new RegExp(`__JX_DONE ${i + 1} (\\d+)\\n`), blockTimeoutMs);
      const lines = actualLines(existsSync(output) ? readFileSync(output, 'utf8') : '', [work, top]);
      const exitCode = done ? Number(done[1]) : -1;
      const match = block.expected ? matchOutput(block.expected.lines, lines) : { ok: true, matchedLines: 0 };
      const result: BlockResult = { block, exitCode, output: lines, outputOk: match.ok, matchedLines: match.matchedLines, seconds: (Date.now() - t0) / 1000 };
      results.push(result);
      if (!done) {
        failures.push(
          `${describeFailure(file, result, toRun.length, i)}\n  ${exited !== null ? `the shell ended (exit ${exited})` : `no answer within ${blockTimeoutMs / 1000} s`}${stderr ? `; shell stderr: ${stderr.trim()}` : ''}`,
        );
        break;
      }
      if (exitCode !== 0 || !match.ok) failures.push(describeFailure(file, result, toRun.length, i));
      if (exitCode !== 0) break;
    }
    if (failures.length === 0) {
      send('echo "__JX_JOBS $(jobs -pr | tr "\\n" " ")."');
      const jobs = await waitFor(/__JX_JOBS ([0-9 ]*)\.\n/, 10_000);
      if (jobs && jobs[1].trim()) failures.push(`${file}: the guide leaves background jobs running after its last block (pids ${jobs[1].trim()}): stop them in the guide`);
    }
  } finally {
    bash.stdin.end();
    await stopGroup(pgid);
    process.off('exit', killOnExit);
    rmSync(top, { recursive: true, force: true });
  }
  return { file, results, skipped: blocks.filter((b) => !b.run), failures, seconds: (Date.now() - started) / 1000 };
}

/** What varies from run to run in an output line, as `…`: UUIDs, instants, China times, dates, local ports. */
export function placeholders(line: string): string {
  return line
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ELLIPSIS)
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/g, ELLIPSIS)
    .replace(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} [+-]\d{2}:\d{2}/g, ELLIPSIS)
    .replace(/\d{4}-\d{2}-\d{2}/g, ELLIPSIS)
    .replace(/(127\.0\.0\.1|localhost):\d+/g, `$1:${ELLIPSIS}`);
}

/**
 * The guide's text with every ```text block whose output differed rewritten from the actual
 * output (blocks that failed are left alone): lines that still match stay as written.
 */
export function refreshGuide(markdown: string, results: BlockResult[]): string {
  const lines = markdown.split('\n');
  const differing = results.filter((r) => r.exitCode === 0 && r.block.expected && !r.outputOk);
  for (const r of differing.sort((a, b) => b.block.expected!.line - a.block.expected!.line)) {
    const shown = r.block.expected!.lines;
    const fresh = r.output.map((actual, i) => {
      const same = shown[i] !== undefined && squash(shown[i]) !== ELLIPSIS && lineMatches(shown[i], actual) ? shown[i] : shown.find((s) => squash(s) !== ELLIPSIS && lineMatches(s, actual));
      return same ?? placeholders(actual);
    });
    lines.splice(r.block.expected!.line, shown.length, ...fresh);
  }
  return lines.join('\n');
}
