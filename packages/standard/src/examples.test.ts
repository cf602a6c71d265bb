/**
 * Every example under schemas/<version>/**\/examples/: each file in valid/
 * must produce no error; each file in invalid/ must produce an error whose
 * code is the file name's prefix (`citizen-id-check--wrong-check-character.json`).
 * Files added later are picked up automatically.
 *
 * An example is validated as any document is: against the schema it declares,
 * in the version it declares — a valid example in schemas/<v>/ must declare <v>.
 * When the document cannot say (a message body has no kind; an invalid example
 * may declare a version that is not supported, e.g. 2.0), it is validated
 * against the schema its folder names, in the folder's version: the example
 * shows what that schema rejects.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ISSUE_CODES } from './issue-codes.ts';
import { listSchemas, schemaFor, schemaOf, supportedVersions, validateJsonText } from './validate.ts';
import type { Report } from './report.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Example {
  file: string;
  expect: 'valid' | 'invalid';
  /** The standard version of the folder (schemas/<version>/…). */
  version: string;
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
      const version = path.relative(path.join(root, 'schemas'), full).split(path.sep)[0];
      const schema = named !== undefined ? schemaFor(named, version)?.id : besideSchema(inExamples.folder);
      for (const f of readdirSync(full).filter((n) => n.endsWith('.json')).sort()) out.push({ file: path.join(full, f), expect: entry.name, version, schema });
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

/** Recognise kind and version from the document; when it cannot say, use the schema the folder names. */
function validateExample({ file, schema, version }: Example): Report & { recognised: Report } {
  const text = readFileSync(file, 'utf8');
  // a draft's documents are refused as unsupported by design: they are checked against the folder's schema, exactly
  if (!supportedVersions().includes(version) && schema) {
    const exact = validateJsonText(text, { schema });
    return { ...exact, recognised: exact };
  }
  const recognised = validateJsonText(text);
  if (!recognised.issues.some((i) => i.code === 'unknown-kind' || i.code === 'version-unsupported') || !schema) return { ...recognised, recognised };
  return { ...validateJsonText(text, { schema }), recognised };
}

const examples = findExamples(path.join(root, 'schemas'));
const show = (r: Report) => r.issues.map((i) => `${i.severity} ${i.code} ${i.pointer ?? ''}: ${i.message.en}`).join('\n');

describe('schema examples', () => {
  it('exist, for every supported version', () => {
    for (const v of supportedVersions()) {
      expect(examples.filter((e) => e.version === v && e.expect === 'valid').length, v).toBeGreaterThan(0);
      expect(examples.filter((e) => e.version === v && e.expect === 'invalid').length, v).toBeGreaterThan(0);
    }
  });

  it('an example declaring a version that is not supported is refused with version-unsupported first', () => {
    const refused = examples.filter((e) => validateExample(e).recognised.issues.some((i) => i.code === 'version-unsupported'));
    expect(refused.length).toBeGreaterThan(0);
    for (const e of refused) {
      expect(e.expect, e.file).toBe('invalid');
      expect(validateExample(e).recognised.issues.map((i) => `${i.severity} ${i.code}`), e.file).toEqual(['fatal version-unsupported']);
    }
  });

  for (const example of examples) {
    const { file, expect: kind } = example;
    const name = path.relative(root, file);
    if (kind === 'valid') {
      it(`${name} is valid`, () => {
        const r = validateExample(example);
        expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal'), show(r)).toEqual([]);
        expect(r.recognised.issues.map((i) => i.code)).not.toContain('version-unsupported');
        const declared = schemaOf(JSON.parse(readFileSync(file, 'utf8')));
        if (declared) expect(declared.version, `${name} declares another version than its folder`).toBe(example.version);
      });
    } else {
      const code = path.basename(file).split('--')[0];
      it(`${name} fails with ${code}`, () => {
        expect(ISSUE_CODES as readonly string[], `${name}: file name must start with an issue code and --`).toContain(code);
        const r = validateExample(example);
        expect(r.valid).toBe(false);
        expect(r.issues.filter((i) => i.severity === 'error' || i.severity === 'fatal').map((i) => i.code), show(r)).toContain(code);
        // A version not supported is refused as such before the folder's schema says why it rejects it.
        const refused = r.recognised.issues.find((i) => i.code === 'version-unsupported');
        if (refused) expect(refused.message.en).toContain(`supported versions: ${supportedVersions().join(', ')}`);
      });
    }
  }
});
