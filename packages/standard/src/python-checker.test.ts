/**
 * The second, independent validator — examples/other-languages/python/check_suite.py, written
 * from docs/standard/conformance.md on Python's jsonschema — passes every version's conformance
 * suite, and fails a suite whose expectation was tampered with. It needs a Python 3 with
 * jsonschema and cryptography (Debian: python3-jsonschema, python3-cryptography, for /usr/bin/python3);
 * without jsonschema the test is skipped,
 * except in CI (CI=true), where it fails so that it cannot silently skip.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { standardVersions } from './generated/schema-index.ts';
import { supportedVersions } from './validate.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const checker = path.join(root, 'examples/other-languages/python/check_suite.py');

/** Each distinct Python with jsonschema, Debian's /usr/bin/python3 (the one CI installs for) first, and its jsonschema version. */
const pythons = [
  ...new Map(
    ['/usr/bin/python3', 'python3'].flatMap((p) => {
      const r = spawnSync(p, ['-c', 'import sys, importlib.metadata as m; print(sys.executable, m.version("jsonschema"))'], { encoding: 'utf8' });
      const [exe, jsonschema] = (r.status === 0 ? r.stdout.trim() : '').split(' ');
      return exe ? [[exe, { python: p, jsonschema }] as const] : [];
    }),
  ).values(),
];
const debian = pythons.some((p) => p.python === '/usr/bin/python3');
const inCi = process.env.CI === 'true';

function check(python: string, testsDir: string): { status: number | null; lines: string[]; stderr: string } {
  const r = spawnSync(python, [checker, testsDir], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, lines: r.stdout.trim().split('\n'), stderr: r.stderr };
}

function caseCount(testsDir: string): number {
  return readdirSync(testsDir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => JSON.parse(readFileSync(path.join(testsDir, f), 'utf8')) as Array<{ tests: unknown[] }>)
    .reduce((n, g) => n + g.tests.length, 0);
}

describe('the Python checker (examples/other-languages/python)', () => {
  it.runIf(!debian && inCi)('has /usr/bin/python3 with jsonschema in CI (apt-get install python3-jsonschema)', () => {
    expect(debian, 'no jsonschema for /usr/bin/python3: .ci/run installs python3-jsonschema').toBe(true);
  });

  for (const { python, jsonschema } of pythons) {
    describe(`${python} with jsonschema ${jsonschema}`, () => {
      // a draft's suite too: implementations can try the draft before it is released
      for (const version of standardVersions.map((v) => v.version)) {
        it(`passes the whole ${version} suite`, () => {
          const dir = path.join(root, 'schemas', version, 'tests');
          const { status, lines, stderr } = check(python, dir);
          expect(lines.at(-1), lines.join('\n')).toBe(`${caseCount(dir)} passed, 0 failed`);
          expect(stderr).toBe('');
          expect(status).toBe(0);
        });
      }

      it('fails, naming the case, when the suite expects what the standard does not say', () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'jiexu-suite-'));
        try {
          cpSync(path.join(root, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
          const version = supportedVersions().at(-1)!;
          const file = path.join(dir, 'schemas', version, 'tests', 'contribution-record.json');
          const groups = JSON.parse(readFileSync(file, 'utf8')) as Array<{ tests: Array<{ description: string; expected: Array<{ code: string }> }> }>;
          const victim = groups[0].tests.find((t) => t.expected.some((e) => e.code === 'month-order'))!;
          victim.expected.find((e) => e.code === 'month-order')!.code = 'month-duplicate';
          writeFileSync(file, JSON.stringify(groups));
          const { status, lines } = check(python, path.join(dir, 'schemas', version, 'tests'));
          expect(lines.at(-1)).toMatch(/^[0-9]+ passed, 1 failed$/);
          expect(lines.join('\n')).toContain(`FAIL contribution-record.json: ${victim.description}`);
          expect(status).toBe(1);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('fails, naming the case, when a signature case expects a good signature to be refused', () => {
        const dir = mkdtempSync(path.join(tmpdir(), 'jiexu-suite-'));
        try {
          cpSync(path.join(root, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
          const version = supportedVersions().at(-1)!;
          const file = path.join(dir, 'schemas', version, 'tests', 'signatures.json');
          const groups = JSON.parse(readFileSync(file, 'utf8')) as Array<{ tests: Array<{ description: string; valid: boolean; expected: unknown[] }> }>;
          const victim = groups[0].tests.find((t) => t.valid)!;
          Object.assign(victim, { valid: false, expected: [{ code: 'envelope-signature-invalid', severity: 'error' }] });
          writeFileSync(file, JSON.stringify(groups));
          const { status, lines } = check(python, path.join(dir, 'schemas', version, 'tests'));
          expect(lines.at(-1)).toMatch(/^[0-9]+ passed, 1 failed$/);
          expect(lines.join('\n')).toContain(`FAIL signatures.json: ${victim.description}`);
          expect(status).toBe(1);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });

      it('exits 2 naming the problem when the folder holds no suite', () => {
        const { status, stderr } = check(python, path.join(root, 'docs'));
        expect(stderr).toContain('no suite files');
        expect(status).toBe(2);
      });
    });
  }
});
