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
import { listSchemas, validateJsonText } from './validate.ts';
import type { Report } from './report.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function findExamples(dir: string, out: Array<{ file: string; expect: 'valid' | 'invalid' }> = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (!entry.isDirectory()) continue;
    if (entry.name === 'examples') {
      for (const kind of ['valid', 'invalid'] as const) {
        let files: string[] = [];
        try {
          files = readdirSync(path.join(full, kind)).filter((f) => f.endsWith('.json'));
        } catch {
          continue;
        }
        for (const f of files.sort()) out.push({ file: path.join(full, kind, f), expect: kind });
      }
    } else findExamples(full, out);
  }
  return out;
}

/** Recognise the kind from the document; when it cannot be, use the schema that sits beside the examples folder. */
function validateExample(file: string): Report {
  const text = readFileSync(file, 'utf8');
  const report = validateJsonText(text);
  if (!report.issues.some((i) => i.code === 'unknown-kind')) return report;
  const folder = path.relative(root, path.dirname(path.dirname(path.dirname(file)))).split(path.sep).join('/');
  const beside = listSchemas().filter((s) => path.posix.dirname(s.file) === folder);
  const base = path.basename(file);
  const schema = beside.length === 1 ? beside[0] : beside.find((s) => base.startsWith(`${s.name.split('/').pop()}`));
  return schema ? validateJsonText(text, { schema: schema.id }) : report;
}

const examples = findExamples(path.join(root, 'schemas'));
const show = (r: Report) => r.issues.map((i) => `${i.severity} ${i.code} ${i.pointer ?? ''}: ${i.message.en}`).join('\n');

describe('schema examples', () => {
  it('exist', () => {
    expect(examples.filter((e) => e.expect === 'valid').length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.expect === 'invalid').length).toBeGreaterThan(0);
  });

  for (const { file, expect: kind } of examples) {
    const name = path.relative(root, file);
    if (kind === 'valid') {
      it(`${name} is valid`, () => {
        const r = validateExample(file);
        expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'), show(r)).toEqual([]);
      });
    } else {
      const code = path.basename(file).split('--')[0];
      it(`${name} fails with ${code}`, () => {
        expect(ISSUE_CODES as readonly string[], `${name}: file name must start with an issue code and --`).toContain(code);
        const r = validateExample(file);
        expect(r.valid).toBe(false);
        expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => i.code), show(r)).toContain(code);
      });
    }
  }
});
