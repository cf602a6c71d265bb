import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ISSUE_CODES } from './issue-codes.ts';
import { citizenIdCheckChar, usccCheckChar } from './identifiers.ts';
import { listSchemas, schemaFor, validateDocument, validateJsonText, validateRecord } from './validate.ts';

const root = new URL('../../../', import.meta.url);
const example = (path: string) => JSON.parse(readFileSync(new URL(`schemas/1.0/${path}`, root), 'utf8'));
const record = () => example('contribution-record/examples/valid/pension-liaoning.json');
const codes = (r: { issues: { code: string; severity: string; pointer?: string }[] }) => r.issues.map((i) => `${i.severity} ${i.code} ${i.pointer}`);
const withCheck = (first17: string) => first17 + citizenIdCheckChar(first17);

describe('validateDocument on a contribution record', () => {
  it('accepts the sample record', () => {
    expect(validateDocument(record())).toEqual({ valid: true, issues: [] });
  });

  it('reports every issue of one document at once, each with its pointer', () => {
    const doc = record();
    doc.person.id = '11010519491231002Y';
    doc.region = '999999';
    doc.employers[0].id = '91350100M000100Y44';
    doc.contributions[1].baseFen = '120000';
    delete doc.scheme;
    doc.contributions[2].rate = 0.2;
    const r = validateDocument(doc);
    expect(r.valid).toBe(false);
    expect(codes(r)).toEqual(
      expect.arrayContaining([
        'error pattern /person/id',
        'error region-unknown /region',
        'error required /scheme',
        'error type /contributions/1/baseFen',
        'error unknown-property /contributions/2/rate',
        'error uscc-check /employers/0/id',
      ]),
    );
    // the contributions still name the old (valid) employer code, now unlisted
    expect(codes(r)).toContain('error employer-unlisted /contributions/0/employerId');
    const uscc = r.issues.find((i) => i.code === 'uscc-check')!;
    expect(uscc.message.zh).toContain('应为 3');
    expect(uscc.message.en).toContain('expected 3');
  });

  it('names the expected check character of a citizen ID', () => {
    const doc = record();
    doc.person.id = '110105194912310021';
    const r = validateDocument(doc);
    expect(r.issues).toEqual([
      expect.objectContaining({ severity: 'error', code: 'citizen-id-check', pointer: '/person/id', value: '110105194912310021', message: { zh: '公民身份号码校验位错误：应为 X', en: 'citizen ID check character is wrong: expected X' } }),
    ]);
  });

  it('only warns about an abolished address code in a citizen ID, but refuses it as a pooling region', () => {
    const doc = record();
    doc.person.id = withCheck('11010319491231002'); // 110103 崇文区, merged into 东城区 in 2010
    doc.person.hukouRegion = '110103';
    let r = validateDocument(doc);
    expect(r.valid).toBe(true);
    expect(codes(r)).toEqual(['warning region-unknown /person/id']);
    doc.region = '110103';
    r = validateDocument(doc);
    expect(r.valid).toBe(false);
    expect(codes(r)).toContain('error region-unknown /region');
  });

  it('warns when gender or birth date disagree with the ID', () => {
    const doc = record();
    doc.person.gender = 'M';
    doc.person.birthDate = '1949-12-30';
    expect(codes(validateDocument(doc))).toEqual(['warning birth-date-mismatch /person/birthDate', 'warning gender-mismatch /person/gender']);
  });

  it('tells repeated months from months out of order', () => {
    const doc = record();
    const c = doc.contributions[0];
    doc.contributions = ['2024-02', '2024-01', '2024-03', '2024-01', '2024-03', '2024-03', '2023-12', '2024-04'].map((month) => ({ ...c, month }));
    expect(codes(validateDocument(doc))).toEqual([
      'error month-order /contributions/1/month',
      'error month-duplicate /contributions/3/month',
      'error month-duplicate /contributions/4/month',
      'error month-duplicate /contributions/5/month',
      'error month-order /contributions/6/month',
    ]);
    expect(validateDocument(doc).issues[1].message.en).toContain('first at /contributions/1');
  });

  it('checks account years: once each, ascending', () => {
    const doc = record();
    const y = doc.account[0];
    doc.account = [{ ...y, year: 2000 }, { ...y, year: 1999 }, { ...y, year: 2000 }];
    expect(codes(validateDocument(doc))).toEqual(['error year-order /account/1/year', 'error year-duplicate /account/2/year']);
  });

  it('reports an unlisted employer once, with its number of months', () => {
    const doc = record();
    doc.employers = [];
    const r = validateDocument(doc);
    expect(codes(r)).toEqual(['error employer-unlisted /contributions/0/employerId']);
    expect(r.issues[0].message.en).toContain('(3 months)');
  });

  it('checks a record embedded in a document at the embedding pointer', () => {
    const bodies = listSchemas().filter((s) => s.messageType);
    expect(bodies.length).toBeGreaterThan(0);
  });
});

describe('recognising the kind', () => {
  it('refuses what it cannot recognise', () => {
    expect(codes(validateDocument({ hello: 1 }))).toEqual(['fatal unknown-kind ']);
    expect(codes(validateDocument([1, 2]))).toEqual(['fatal unknown-kind ']);
    expect(codes(validateDocument({ kind: 'pension-slip', version: '1.0' }))).toEqual(['fatal unknown-kind /kind']);
  });

  it('validates an unknown version against the latest schema of the kind', () => {
    const doc = { ...record(), version: '1.7' };
    expect(codes(validateDocument(doc))).toEqual(['error const /version']);
  });

  it('accepts a schema override by name, kind, $id or message type', () => {
    const doc = record();
    delete doc.kind;
    expect(codes(validateDocument(doc))).toEqual(['fatal unknown-kind ']);
    expect(codes(validateDocument(doc, { schema: 'contribution-record' }))).toEqual(['error required /kind']);
    expect(codes(validateRecord(doc))).toEqual(['error required /kind']);
    expect(codes(validateDocument(doc, { schema: 'https://jiexu.org/standard/1.0/contribution-record.schema.json' }))).toEqual(['error required /kind']);
    expect(codes(validateDocument(doc, { schema: 'no-such-schema' }))).toEqual(['fatal unknown-kind ']);
  });

  it('lists schemas and finds them by any name', () => {
    const all = listSchemas();
    expect(all.map((s) => s.name)).toEqual(expect.arrayContaining(['contribution-record', 'envelope']));
    expect(schemaFor('contribution-record')?.id).toBe('https://jiexu.org/standard/1.0/contribution-record.schema.json');
    const letter = all.find((s) => s.messageType === 'cn.jiexu.pension.contact-letter.v1');
    if (letter) {
      expect(schemaFor('cn.jiexu.pension.contact-letter.v1')?.id).toBe(letter.id);
      expect(schemaFor('pension.contact-letter')?.id).toBe(letter.id);
    }
  });

  it('reports JSON syntax errors with line and column', () => {
    const r = validateJsonText('{\n  "kind": "contribution-record",\n  "version": 1.0,,\n}');
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ severity: 'fatal', code: 'json-syntax', location: { line: 3 } });
  });
});

describe('envelopes', () => {
  const envelope = () => example('envelope/examples/valid/pension-contact-letter.json');

  it('validates the body the type names, with /data pointers', () => {
    const env = envelope();
    expect(validateDocument(env)).toEqual({ valid: true, issues: [] });
    env.data.person.id = '360124198503150015';
    delete env.data.toRegion;
    expect(codes(validateDocument(env))).toEqual(['error citizen-id-check /data/person/id', 'error required /data/toRegion']);
  });

  it('checks dataschema, source and subject against type, sender and caseid', () => {
    const env = envelope();
    env.dataschema = 'https://jiexu.org/standard/1.0/messages/pension.transfer-info.schema.json';
    env.source = 'urn:jiexu:institution:440300-si';
    env.subject = '360100-si:OTHER-1';
    expect(codes(validateDocument(env))).toEqual(['error body-schema-mismatch /dataschema', 'error source-sender-mismatch /source', 'error subject-caseid-mismatch /subject']);
  });
});

describe('issue codes', () => {
  const list = example('codelists/issue-code.json') as { codes: { code: string; zh: string; en: string }[] };

  it('the code list holds exactly the codes the validator uses, each labelled', () => {
    expect(list.codes.map((c) => c.code).sort()).toEqual([...ISSUE_CODES].sort());
  });

  it('the code list conforms to the code list schema', () => {
    const r = validateDocument(list, { schema: 'codelist' });
    expect(r.issues).toEqual([]);
  });

  it('the region list conforms to the code list schema', () => {
    expect(validateDocument(example('codelists/region.json'), { schema: 'codelist' }).issues).toEqual([]);
  });

  it('every USCC check in a record goes through the compiled format', () => {
    const doc = record();
    const first17 = '91350100M000100Y4';
    doc.employers[0].id = first17 + usccCheckChar(first17);
    doc.contributions.forEach((c: { employerId: string }) => (c.employerId = doc.employers[0].id));
    expect(validateDocument(doc).valid).toBe(true);
  });
});
