/**
 * Migrations between adjacent versions, on the standard's own examples:
 * every valid 1.0 example goes up to 1.1 and validates there (ajv with the 1.1
 * schemas and the standard's identifier checks), and comes back down equal to
 * the original. Down-conversions report what they drop.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { checkCitizenId, checkUscc, isPoolingRegionInForce } from '@jiexu/standard';
import { describe, expect, it } from 'vitest';
import { migrate, MigrationError, versionOfDocument } from './migrate.ts';
import { SCHEMAS_DIR } from './versions.ts';

const FROM = '1.0';
const TO = '1.1';

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
}

/** Every schema of a version in one ajv, with the formats the standard asserts. */
function validatorFor(version: string): Ajv2020 {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addFormat('citizen-id', (v: string) => checkCitizenId(v).valid);
  ajv.addFormat('uscc', (v: string) => checkUscc(v).valid);
  ajv.addFormat('pooling-region', (v: string) => isPoolingRegionInForce(v));
  for (const f of walk(join(SCHEMAS_DIR, version))) {
    if (f.endsWith('.schema.json') && !f.split(sep).includes('examples')) ajv.addSchema(JSON.parse(readFileSync(f, 'utf8')));
  }
  return ajv;
}

interface Example {
  path: string;
  /** The schema file of the example, relative to the version folder. */
  schema: string;
  document: unknown;
}

/** Valid examples of documents that travel (records, envelopes, message bodies). */
function validExamples(version: string): Example[] {
  const root = join(SCHEMAS_DIR, version);
  const out: Example[] = [];
  for (const f of walk(root)) {
    const rel = relative(root, f).split(sep).join('/');
    const m = /^(contribution-record|envelope|messages)\/examples\/(?:([^/]+)\/)?valid\/[^/]+\.json$/.exec(rel);
    if (!m) continue;
    const schema = m[1] === 'messages' ? `messages/${m[2]}.schema.json` : `${m[1]}/${m[1]}.schema.json`;
    out.push({ path: rel, schema, document: JSON.parse(readFileSync(f, 'utf8')) });
  }
  return out;
}

function idOf(version: string, schemaPath: string): string {
  return (JSON.parse(readFileSync(join(SCHEMAS_DIR, version, schemaPath), 'utf8')) as { $id: string }).$id;
}

const examples = validExamples(FROM);
const ajv11 = validatorFor(TO);

function expectValid11(doc: unknown, schemaPath: string, label: string): void {
  const validate = ajv11.getSchema(idOf(TO, schemaPath));
  expect(validate, `${schemaPath} in ${TO}`).toBeDefined();
  const ok = validate!(doc);
  expect(ok, `${label}: ${JSON.stringify(validate!.errors?.slice(0, 3))}`).toBe(true);
  const env = doc as { specversion?: string; dataschema?: string; data?: unknown };
  if (env.specversion !== undefined && typeof env.dataschema === 'string') {
    // the body travels with the envelope: it must validate against the schema dataschema names, in the new version
    expect(env.dataschema).toContain(`/standard/${TO}/`);
    const body = ajv11.getSchema(env.dataschema);
    expect(body, env.dataschema).toBeDefined();
    expect(body!(env.data), `${label} body: ${JSON.stringify(body!.errors?.slice(0, 3))}`).toBe(true);
  }
}

describe(`migration ${FROM} ↔ ${TO} on every valid ${FROM} example`, () => {
  it('finds the examples (records, envelopes, message bodies)', () => {
    expect(examples.filter((e) => e.path.startsWith('contribution-record/')).length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.path.startsWith('envelope/')).length).toBeGreaterThan(0);
    expect(examples.filter((e) => e.path.startsWith('messages/')).length).toBeGreaterThan(10);
  });

  for (const ex of examples) {
    it(ex.path, () => {
      const from = versionOfDocument(ex.document) === undefined ? { from: FROM } : {};
      const up = migrate(ex.document, TO, from);
      expect(up.report.steps).toEqual([`${FROM}→${TO}`]);
      expect(up.report.lossless).toBe(true);
      if (versionOfDocument(ex.document) !== undefined) expect(versionOfDocument(up.doc)).toBe(TO);
      expectValid11(up.doc, ex.schema, ex.path);

      const down = migrate(up.doc, FROM, versionOfDocument(up.doc) === undefined ? { from: TO } : {});
      expect(down.doc).toEqual(ex.document);
      expect(down.report.lossless).toBe(true);
    });
  }
});

describe('down-conversion reports what it loses', () => {
  const record = examples.find((e) => e.path.startsWith('contribution-record/'))!.document as Record<string, unknown>;

  it('drops the 1.1 fields of a record with a warning naming each, and keeps the rest', () => {
    const up = migrate(record, TO).doc as Record<string, unknown>;
    const enriched = { ...up, deemedMonths: 96, temporaryAccount: true };
    expectValid11(enriched, 'contribution-record/contribution-record.schema.json', 'enriched record');
    const { doc, report } = migrate(enriched, FROM);
    expect(doc).toEqual(record);
    expect(report.lossless).toBe(false);
    expect(report.issues.map((i) => [i.severity, i.code, i.pointer, i.value])).toEqual([
      ['warning', 'migration-value-dropped', '/deemedMonths', 96],
      ['warning', 'migration-value-dropped', '/temporaryAccount', true],
    ]);
    expect(report.issues[0]!.message.en).toContain('deemedMonths');
    expect(report.issues[0]!.message.zh).toContain('视同缴费');
  });

  it('finds records inside an envelope body and names them by pointer; keeps the case version', () => {
    const withRecords = examples.find((e) => {
      const d = e.document as { specversion?: string; data?: unknown };
      return d.specversion !== undefined && JSON.stringify(d.data ?? null).includes('"contribution-record"');
    });
    const source = withRecords ?? examples.find((e) => e.path.startsWith('envelope/'))!;
    const env = structuredClone(source.document) as { caseversion: string; data: Record<string, unknown> };
    const up = migrate(env, TO).doc as { caseversion: string; standardversion: string; data: Record<string, unknown> };
    expect(up.standardversion).toBe(TO);
    expect(up.caseversion).toBe(env.caseversion);
    // put a 1.1 record in the body, as a 1.1 sender may
    const body = up.data;
    body.extraRecord = { ...(migrate(record, TO).doc as object), deemedMonths: 12 };
    const down = migrate(up, FROM);
    expect(down.report.issues.find((i) => i.code === 'migration-value-dropped')?.pointer).toBe('/data/extraRecord/deemedMonths');
    expect((down.doc as { standardversion: string }).standardversion).toBe(FROM);
  });

  it('refuses what it cannot do', () => {
    expect(() => migrate({ any: 'body' }, TO)).toThrow(MigrationError);
    expect(() => migrate(record, '2.0')).toThrow(/not a supported version/);
    expect(() => migrate(record, '2.0', { versions: ['1.0', '1.1', '2.0'] })).toThrow(/major/);
  });
});

describe(`the ${TO} examples of the fields ${TO} adds`, () => {
  const dir = join(SCHEMAS_DIR, TO, 'contribution-record', 'examples');
  const validate = () => ajv11.getSchema(idOf(TO, 'contribution-record/contribution-record.schema.json'))!;
  const read = (f: string): unknown => JSON.parse(readFileSync(f, 'utf8'));

  it('valid ones validate, and down-conversion reports their new fields', () => {
    const withNew = walk(join(dir, 'valid')).filter((f) => /deemedMonths|temporaryAccount/.test(readFileSync(f, 'utf8')));
    expect(withNew.length).toBeGreaterThanOrEqual(2);
    for (const f of withNew) {
      const doc = read(f) as Record<string, unknown>;
      expect(validate()(doc), `${f}: ${JSON.stringify(validate().errors)}`).toBe(true);
      const { report } = migrate(doc, FROM);
      const expected = ['deemedMonths', 'temporaryAccount'].filter((k) => k in doc).map((k) => `/${k}`);
      expect(report.issues.filter((i) => i.code === 'migration-value-dropped').map((i) => i.pointer)).toEqual(expected);
    }
  });

  it('invalid ones fail with the keyword their name starts with', () => {
    const names = readdirSync(join(dir, 'invalid')).filter((n) => /deemed|temporary/.test(n));
    expect(names.length).toBeGreaterThanOrEqual(3);
    for (const n of names) {
      expect(validate()(read(join(dir, 'invalid', n))), n).toBe(false);
      expect(validate().errors?.map((e) => e.keyword), n).toContain(n.split('--')[0]);
    }
  });
});
