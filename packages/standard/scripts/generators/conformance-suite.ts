/**
 * The language-neutral conformance suite, schemas/<version>/tests/*.json, for every version in
 * schemas/versions.json: the JSON-Schema-Test-Suite layout (groups of `description`, `schema`,
 * `tests`), each test extended with `expected`, the issues a conforming validator reports
 * (code, JSON Pointer, severity). Layout and rules: schemas/TESTS.md, docs/standard/conformance.md.
 *
 * - One file per document schema (`contribution-record.json`, `messages.pension.contact-letter.json`,
 *   …): every example of that schema (valid/ and invalid/), then the hand-written cases of
 *   scripts/conformance/extra-cases.ts for it. An example's `expected` is what the reference
 *   validator (src/validate.ts) reports; generation fails when that breaks the example contract
 *   (a valid example with an error, an invalid one without the issue its file name starts with).
 * - `documents.json`: whole documents whose schema the validator must recognise itself.
 * - Generation fails when an issue code the version's schemas can produce has no case.
 *
 * The expected issues of hand-written cases are written by hand and copied as they are; the
 * vitest test src/conformance-suite.test.ts checks the validator against every case.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readVersions } from '../../../versioning/src/versions.ts';
import { exampleFiles } from '../../src/schemas/schema-files.ts';
import { documentCases, extraCases, type Expected, type SuiteCase } from '../conformance/extra-cases.ts';
import { loadSchemas, type Json } from '../lib/schemas.ts';
import { GENERATED_NOTICE, type GeneratedFile } from './common.ts';

export interface SuiteTest {
  description: string;
  /** The document, or absent when `text` holds it as JSON text (a case about JSON syntax). */
  data?: unknown;
  text?: string;
  valid: boolean;
  expected: Expected[];
}

export interface SuiteGroup {
  comment: string;
  description: string;
  /** `{ "$ref": "<$id>" }`; `true` in documents.json, where the validator recognises the schema. */
  schema: { $ref: string } | true;
  tests: SuiteTest[];
}

/** Runs the compiled validators: generate.ts runs this generator once they are up to date. */
export const runsGeneratedCode = true;

/** Issue codes the validator reports for a JSON Schema keyword, when the version's schemas use it. */
const KEYWORD_CODES: Record<string, string> = {
  multipleOf: 'multiple-of',
  contains: 'contains',
  minContains: 'contains',
  maxContains: 'contains',
  maxProperties: 'max-properties',
  propertyNames: 'property-name',
  oneOf: 'one-of',
  not: 'not',
};

export async function generate(root: string): Promise<GeneratedFile[]> {
  // Imported here, not at the top: generate.ts loads every generator before the generated code is up to date.
  const { validateDocument, validateJsonText } = (await import(pathToFileURL(path.join(root, 'packages/standard/src/validate.ts')).href)) as typeof import('../../src/validate.ts');
  const { ISSUE_CODES } = (await import(pathToFileURL(path.join(root, 'packages/standard/src/issue-codes.ts')).href)) as typeof import('../../src/issue-codes.ts');
  const schemas = await loadSchemas(root);
  const out: GeneratedFile[] = [];
  const versions = readVersions(path.join(root, 'schemas')).versions;
  const released = versions.filter((v) => v.status === 'released').map((v) => v.version);
  for (const { version } of versions) {
    const inVersion = schemas.filter((s) => s.version === version);
    const documents = inVersion.filter((s) => s.topLevel);
    const examples = exampleFiles(root, version);
    const extras = extraCases(version, (rel) => JSON.parse(readFileSync(path.join(root, 'schemas', version, rel), 'utf8')) as unknown, released);
    const comment = `${GENERATED_NOTICE}. The conformance suite of standard version ${version}: see schemas/TESTS.md and docs/standard/conformance.md.`;
    const covered = new Set<string>();
    const note = (expected: Expected[]) => expected.forEach((e) => covered.add(e.code));

    for (const d of documents) {
      const tests: SuiteTest[] = [];
      for (const ex of examples.filter((e) => e.schemaId === d.id)) {
        const report = validateDocument(ex.document, { schema: d.id });
        const expected = expectedOf(report.issues);
        const errors = expected.filter((e) => e.severity === 'error' || e.severity === 'fatal');
        if (ex.valid && errors.length) throw new Error(`${ex.path}: a valid example, but the validator reports ${errors.map((e) => e.code).join(', ')}`);
        if (!ex.valid && !errors.some((e) => e.code === ex.expectedCode)) throw new Error(`${ex.path}: the validator does not report ${ex.expectedCode} (it reports ${errors.map((e) => e.code).join(', ') || 'nothing'})`);
        note(expected);
        tests.push({ description: `example ${ex.path.slice(`schemas/${version}/`.length)}`, data: ex.document, valid: report.valid, expected });
      }
      for (const c of extras.filter((x) => x.schema === d.slug)) {
        note(c.expected);
        tests.push(suiteTest(c));
      }
      if (!tests.length) continue;
      out.push({ path: `schemas/${version}/tests/${d.slug.replace(/\//g, '.')}.json`, content: json([{ comment, description: d.slug, schema: { $ref: d.id }, tests }]) });
    }

    const recognised = documentCases(version, (rel) => JSON.parse(readFileSync(path.join(root, 'schemas', version, rel), 'utf8')) as unknown);
    for (const c of recognised) note(c.expected);
    out.push({
      path: `schemas/${version}/tests/documents.json`,
      content: json([{ comment, description: 'whole documents: the validator recognises what each is and which version it declares', schema: true, tests: recognised.map(suiteTest) }]),
    });

    // Every code the validator can report for this version's documents has a case.
    const used = keywordsOf(inVersion.map((s) => s.schema));
    const reachable = ISSUE_CODES.filter((code) => code !== 'schema-violation' && (!Object.values(KEYWORD_CODES).includes(code) || Object.entries(KEYWORD_CODES).some(([k, c]) => c === code && used.has(k))));
    const missing = reachable.filter((code) => !covered.has(code));
    if (missing.length) throw new Error(`schemas/${version}/tests: no case for the issue code(s) ${missing.join(', ')}: add one to packages/standard/scripts/conformance/extra-cases.ts`);
    // Guard: the hand-written JSON-text cases parse (or fail) as the validator says.
    for (const c of recognised) if (c.text !== undefined && validateJsonText(c.text).valid !== c.valid) throw new Error(`documents.json: "${c.description}": validity disagrees with the validator`);
  }
  return out;
}

function suiteTest(c: SuiteCase): SuiteTest {
  const head = { description: c.description };
  return c.text !== undefined ? { ...head, text: c.text, valid: c.valid, expected: c.expected } : { ...head, data: c.data, valid: c.valid, expected: c.expected };
}

/** The distinct (code, pointer, severity) of a report's issues, in the report's order. */
export function expectedOf(issues: Array<{ code: string; pointer?: string; severity: string }>): Expected[] {
  const seen = new Set<string>();
  const out: Expected[] = [];
  for (const i of issues) {
    const key = `${i.code}\u0000${i.pointer ?? ''}\u0000${i.severity}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ code: i.code, ...(i.pointer !== undefined ? { pointer: i.pointer } : {}), severity: i.severity as Expected['severity'] });
  }
  return out;
}

/** Every keyword used anywhere in the schemas (data under const/enum/default/examples excluded). */
function keywordsOf(nodes: Json[]): Set<string> {
  const found = new Set<string>();
  const visit = (n: Json, inProperties: boolean): void => {
    if (Array.isArray(n)) return n.forEach((x) => visit(x, false));
    if (n === null || typeof n !== 'object') return;
    for (const [k, v] of Object.entries(n)) {
      if (!inProperties) found.add(k);
      if (k === 'const' || k === 'enum' || k === 'default' || k === 'examples') continue;
      visit(v, !inProperties && (k === 'properties' || k === '$defs' || k === 'patternProperties' || k === 'dependentSchemas'));
    }
  };
  nodes.forEach((n) => visit(n, false));
  return found;
}

function json(groups: SuiteGroup[]): string {
  return `${JSON.stringify(groups, null, 2)}\n`;
}
