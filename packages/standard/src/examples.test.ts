/**
 * Every example under schemas/<version>/**\/examples/: each file in valid/
 * must produce no error; each file in invalid/ must produce an error whose
 * code is the file name's prefix (`citizen-id-check--wrong-check-character.json`).
 * Files added later are picked up automatically.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUE_CODES } from './issue-codes.ts';
import { listSchemas, schemaFor, validateJsonText } from './validate.ts';
import type { Report } from './report.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Example {
  file: string;
  expect: 'valid' | 'invalid';
  /** The schema named by the folder layout, used when the document does not say what it is. */
  schema?: string;
}

/**
 * Every file in a valid/ or invalid/ folder below an examples/ folder:
 * `<schema folder>/examples/{valid,invalid}/*.json` (the schema beside the
 * examples folder) or `…/examples/<schema name>/{valid,invalid}/*.json`
 * (e.g. messages/examples/pension.contact-letter/valid/…).
 */
function findExamples(dir: string, out: Example[] = [], inExamples?: { folder: string }): Example[] {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory()) continue;
    const full = path.join(dir, entry.name);
    if (entry.name === 'examples') {
      findExamples(full, out, { folder: dir });
    } else if (inExamples && (entry.name === 'valid' || entry.name === 'invalid')) {
      const named = path.basename(dir) === 'examples' ? undefined : path.basename(dir);
      const schema = named !== undefined ? schemaFor(named)?.id : besideSchema(inExamples.folder);
      for (const f of readdirSync(full).filter((n) => n.endsWith('.json')).sort()) out.push({ file: path.join(full, f), expect: entry.name, schema });
    } else findExamples(full, out, inExamples);
  }
  return out;
}

/** The one document schema in a schema folder, if there is exactly one. */
function besideSchema(folder: string): string | undefined {
  const rel = path.relative(root, folder).split(path.sep).join('/');
  const beside = listSchemas().filter((s) => path.posix.dirname(s.file) === rel);
  return beside.length === 1 ? beside[0].id : undefined;
}

/** Recognise the kind from the document; when it cannot be, use the schema the folder names. */
function validateExample({ file, schema }: Example): Report {
  const text = readFileSync(file, 'utf8');
  const report = validateJsonText(text);
  if (!report.issues.some((i) => i.code === 'unknown-kind') || !schema) return report;
  return validateJsonText(text, { schema });
}

const examples = findExamples(path.join(root, 'schemas'));
const show = (r: Report) => r.issues.map((i) => `${i.severity} ${i.code} ${i.pointer ?? ''}: ${i.message.en}`).join('\n');

describe('schema examples', () => {
  it('exist', () => {
    expect(examples.filter((e) => e.expect === 'valid').length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.expect === 'invalid').length).toBeGreaterThan(0);
  });

  for (const example of examples) {
    const { file, expect: kind } = example;
    const name = path.relative(root, file);
    if (kind === 'valid') {
      it(`${name} is valid`, () => {
        const r = validateExample(example);
        expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'), show(r)).toEqual([]);
      });
    } else {
      const code = path.basename(file).split('--')[0];
      it(`${name} fails with ${code}`, () => {
        expect(ISSUE_CODES as readonly string[], `${name}: file name must start with an issue code and --`).toContain(code);
        const r = validateExample(example);
        expect(r.valid).toBe(false);
        expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => i.code), show(r)).toContain(code);
      });
    }
  }
});
