/**
 * The conformance suite, schemas/<version>/tests/*.json, run by jiexu's own validator: for every
 * case of every released version, the validity and the exact set of (code, pointer, severity)
 * the suite expects. The hand-written cases' expectations come from docs/standard/conformance.md,
 * not from this validator (scripts/conformance/extra-cases.ts).
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUE_CODES } from './issue-codes.ts';
import { standardVersions } from './generated/schema-index.ts';
import { supportedVersions, validateDocument, validateJsonText } from './validate.ts';
import { referenceValidateDocument } from './reference.ts';
import type { Issue } from './report.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Expected {
  code: string;
  pointer?: string;
  severity: string;
}
interface Group {
  description: string;
  schema: { $ref: string } | true;
  tests: Array<{ description: string; data?: unknown; text?: string; valid: boolean; expected: Expected[] }>;
}

const key = (e: Expected) => `${e.severity} ${e.code} ${e.pointer ?? '(no pointer)'}`;
const keys = (list: Expected[]) => [...new Set(list.map(key))].sort();

function suite(version: string): Array<{ file: string; group: Group }> {
  const dir = path.join(root, 'schemas', version, 'tests');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((file) => (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Group[]).map((group) => ({ file, group })))
    // signatures.json holds signature cases (conformance.md §10): packages/client/src/signature-suite.test.ts runs them
    .filter(({ group }) => 'schema' in group);
}

/** A draft's suite is run with drafts accepted: its documents declare the draft. */
function run(group: Group, test: Group['tests'][number], drafts: boolean, validate = validateDocument): { valid: boolean; issues: Issue[] } {
  if (test.text !== undefined) return validateJsonText(test.text, { drafts });
  return group.schema === true ? validate(test.data, { drafts }) : validate(test.data, { schema: group.schema.$ref, drafts });
}

for (const version of standardVersions.map((v) => v.version)) {
  const drafts = !supportedVersions().includes(version);
  describe(`conformance suite of ${version}`, () => {
    const groups = suite(version);

    it('has a group for every document schema and a case for every issue code but those no schema keyword of the version can raise', () => {
      expect(groups.length).toBeGreaterThan(10);
      const codes = new Set(groups.flatMap(({ group }) => group.tests.flatMap((t) => t.expected.map((e) => e.code))));
      const unreachable = ['multiple-of', 'contains', 'max-properties', 'property-name', 'one-of', 'not', 'schema-violation'];
      expect(ISSUE_CODES.filter((c) => !codes.has(c) && !unreachable.includes(c))).toEqual([]);
    });

    for (const { file, group } of groups) {
      for (const test of group.tests) {
        it(`${file}: ${test.description}`, () => {
          const report = run(group, test, drafts);
          const got = report.issues.map((i) => ({ code: i.code, pointer: i.pointer, severity: i.severity }));
          expect(keys(got), report.issues.map((i) => `${key(i)}: ${i.message.en}`).join('\n')).toEqual(keys(test.expected));
          expect(report.valid).toBe(test.valid);
          // the fast paths (generated validators, remembered answers, the shortened storable-text walk) answer as the plain way
          if (test.text === undefined) expect(report).toStrictEqual(run(group, test, drafts, referenceValidateDocument));
        });
      }
    }
  });
}
