/**
 * The platform's problem codes have one list (PROBLEM_CODES of @jiexu/client, with zh/en labels):
 * openapi.yaml enumerates exactly those, each code's statuses are documented answers of some
 * operation, and every code the platform's sources put in an answer is in the list (tsc types the
 * calls; this also catches a code written as a plain string in a reply).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROBLEM_CODES, problemLabel } from '@jiexu/client';

const openapi = parseYaml(readFileSync(fileURLToPath(new URL('../openapi.yaml', import.meta.url)), 'utf8'));
const codes = Object.keys(PROBLEM_CODES).sort();

describe('problem codes', () => {
  it('openapi.yaml enumerates exactly PROBLEM_CODES', () => {
    expect([...openapi.components.schemas.Problem.properties.error.enum].sort()).toEqual(codes);
  });

  it("documents each code's status as an answer of some operation", () => {
    const documented = new Set<string>();
    for (const path of Object.values(openapi.paths) as Record<string, { responses?: Record<string, unknown> }>[])
      for (const op of Object.values(path)) for (const status of Object.keys(op?.responses ?? {})) documented.add(status);
    const missing = Object.entries(PROBLEM_CODES).flatMap(([code, p]) => p.status.filter((s) => !documented.has(String(s))).map((s) => `${code} ${s}`));
    expect(missing).toEqual([]);
  });

  it('every code written in an answer of the platform is in the list, with both labels', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const used = new Set<string>();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const src = readFileSync(`${dir}/${f}`, 'utf8');
      for (const m of src.matchAll(/(?:problem\(reply, \d{3}, |HttpProblem\(\d{3}, |Rejection\(\d{3}, |\{ error: )'([a-z-]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(8);
    for (const code of used) {
      expect(problemLabel(code), code).toBeDefined();
      expect(problemLabel(code)!.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(problemLabel('no-such-code')).toBeUndefined();
  });
});
