import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ISSUE_CODES } from './issue-codes.ts';
import { citizenIdCheckChar, usccCheckChar } from './identifiers.ts';
import { listSchemas, schemaFor, schemaOf, supportedVersions, validateDocument, validateJsonText, validateRecord } from './validate.ts';

const root = new URL('../../../', import.meta.url);
const example = (path: string, version = '1.0') => JSON.parse(readFileSync(new URL(`schemas/${version}/${path}`, root), 'utf8'));
/** schemas/versions.json, read here independently of the validator. */
const versionsFile = JSON.parse(readFileSync(new URL('schemas/versions.json', root), 'utf8')) as { versions: { version: string; status: string }[] };
const released = versionsFile.versions.filter((v) => v.status === 'released').map((v) => v.version);
const newest = released.at(-1)!;
const id = (version: string, name: string) => `https://jiexu.org/standard/${version}/${name}.schema.json`;
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

  it('refuses a version it does not support, naming the supported ones', () => {
    for (const version of ['1.7', '2.0', '']) {
      const r = validateDocument({ ...record(), version });
      expect(codes(r)).toEqual(['fatal version-unsupported /version']);
      expect(r.issues[0].value).toBe(version);
      expect(r.issues[0].message.en).toContain(`supported versions: ${released.join(', ')}`);
      expect(r.issues[0].message.zh).toContain(`支持的版本：${released.join(', ')}`);
      expect(codes(validateRecord({ ...record(), version }))).toEqual(['fatal version-unsupported /version']);
    }
    expect(supportedVersions()).toEqual(released);
  });

  it('checks a record against exactly the version it declares', () => {
    const with11 = example('contribution-record/examples/valid/pension-liaoning-deemed-months.json', '1.1');
    expect(with11.version).toBe('1.1');
    expect(typeof with11.deemedMonths).toBe('number');
    expect(validateDocument(with11)).toEqual({ valid: true, issues: [] });
    expect(schemaOf(with11)?.id).toBe(id('1.1', 'contribution-record'));
    // the same record declaring 1.0: 1.0 has no deemedMonths
    const as10 = { ...with11, version: '1.0' };
    expect(schemaOf(as10)?.id).toBe(id('1.0', 'contribution-record'));
    expect(codes(validateDocument(as10))).toEqual(['error unknown-property /deemedMonths']);
    expect(codes(validateRecord(as10))).toEqual(['error unknown-property /deemedMonths']);
    // a 1.0 record is valid as 1.0 (and, unchanged, under 1.1's schema: 1.1 accepts version 1.0)
    expect(validateDocument(record()).valid).toBe(true);
    expect(validateDocument(record(), { schema: id('1.1', 'contribution-record') }).valid).toBe(true);
  });

  it('recognises the case-type catalogue by name and version', () => {
    for (const v of released) {
      const catalogue = example('catalogue/case-types.json', v);
      expect(schemaOf(catalogue)?.id).toBe(id(v, 'catalogue'));
      expect(validateDocument(catalogue)).toEqual({ valid: true, issues: [] });
      expect(codes(validateDocument({ ...catalogue, version: '3.0' }))).toEqual(['fatal version-unsupported /version']);
    }
  });

  it('checks a record that declares no version against the latest schema, which requires one', () => {
    const doc = record();
    delete doc.version;
    expect(codes(validateDocument(doc))).toEqual(['error required /version']);
    expect(schemaOf(doc)?.version).toBe(newest);
    expect(codes(validateDocument({ ...record(), version: 1.1 }))).toEqual([`error ${newest === '1.0' ? 'const' : 'enum'} /version`]);
  });

  it('accepts a schema override by name, kind, $id or message type', () => {
    const doc = record();
    delete doc.kind;
    expect(codes(validateDocument(doc))).toEqual(['fatal unknown-kind ']);
    expect(codes(validateDocument(doc, { schema: 'contribution-record' }))).toEqual(['error required /kind']);
    expect(codes(validateRecord(doc))).toEqual(['error required /kind']);
    expect(codes(validateDocument(doc, { schema: 'https://jiexu.org/standard/1.0/contribution-record.schema.json' }))).toEqual(['error required /kind']);
    expect(codes(validateDocument(doc, { schema: 'no-such-schema' }))).toEqual(['fatal unknown-kind ']);
    expect(codes(validateDocument(doc, { schema: 'contribution-record@9.9' }))).toEqual(['fatal unknown-kind ']);
  });

  it('a schema override of any version wins over the version the document declares', () => {
    const with11 = example('contribution-record/examples/valid/pension-liaoning-deemed-months.json', '1.1');
    expect(codes(validateDocument(with11, { schema: id('1.0', 'contribution-record') }))).toEqual(['error unknown-property /deemedMonths', 'error const /version']);
    expect(codes(validateDocument(with11, { schema: 'contribution-record@1.0' }))).toEqual(['error unknown-property /deemedMonths', 'error const /version']);
    expect(validateDocument(with11, { schema: 'contribution-record@1.1' }).valid).toBe(true);
    // an override does not care that the declared version is unsupported
    expect(codes(validateDocument({ ...record(), version: '1.7' }, { schema: 'contribution-record@1.0' }))).toEqual(['error const /version']);
  });

  it('a schema override by name without version takes the version the document declares', () => {
    const with11 = example('contribution-record/examples/valid/pension-liaoning-deemed-months.json', '1.1');
    expect(validateDocument(with11, { schema: 'contribution-record' }).valid).toBe(true);
    expect(codes(validateDocument({ ...with11, version: '1.0' }, { schema: 'contribution-record' }))).toEqual(['error unknown-property /deemedMonths']);
    expect(codes(validateDocument({ ...with11, version: '1.7' }, { schema: 'contribution-record' }))).toEqual(['fatal version-unsupported /version']);
    const env = example('envelope/examples/valid/pension-contact-letter.json', '1.0');
    expect(validateDocument(env, { schema: 'envelope' })).toEqual({ valid: true, issues: [] });
    expect(codes(validateDocument({ ...env, standardversion: '1.7' }, { schema: 'envelope' }))).toEqual(['fatal version-unsupported /standardversion']);
  });

  it('lists schemas of every version and finds them by any name, with or without version', () => {
    const all = listSchemas();
    for (const v of versionsFile.versions.map((x) => x.version)) {
      expect(all.filter((s) => s.version === v).map((s) => s.name), v).toEqual(expect.arrayContaining(['contribution-record', 'envelope']));
    }
    expect(schemaFor('contribution-record')?.id).toBe(id(newest, 'contribution-record'));
    expect(schemaFor('contribution-record', '1.0')?.id).toBe(id('1.0', 'contribution-record'));
    expect(schemaFor('contribution-record@1.0')?.id).toBe(id('1.0', 'contribution-record'));
    expect(schemaFor('contribution-record@1.1')?.id).toBe(id('1.1', 'contribution-record'));
    expect(schemaFor(id('1.0', 'envelope'))?.version).toBe('1.0');
    expect(schemaFor('contribution-record@9.9')).toBeUndefined();
    for (const v of released) {
      const letter = all.find((s) => s.version === v && s.messageType === 'cn.jiexu.pension.contact-letter.v1')!;
      expect(letter.id).toBe(id(v, 'messages/pension.contact-letter'));
      expect(schemaFor('cn.jiexu.pension.contact-letter.v1', v)?.id).toBe(letter.id);
      expect(schemaFor(`pension.contact-letter@${v}`)?.id).toBe(letter.id);
      expect(schemaFor(`messages/pension.contact-letter@${v}`)?.id).toBe(letter.id);
    }
    expect(schemaFor('pension.contact-letter')?.version).toBe(newest);
  });

  it('reports JSON syntax errors with line and column', () => {
    const r = validateJsonText('{\n  "kind": "contribution-record",\n  "version": 1.0,,\n}');
    expect(r.valid).toBe(false);
    expect(r.issues[0]).toMatchObject({ severity: 'fatal', code: 'json-syntax', location: { line: 3 } });
  });
});

describe('envelopes', () => {
  const envelope = (version = '1.0') => example('envelope/examples/valid/pension-contact-letter.json', version);

  it('are checked in the version standardversion names, the body in the version dataschema names', () => {
    for (const v of released) {
      const env = envelope(v);
      expect(env.standardversion).toBe(v);
      expect(schemaOf(env)?.id).toBe(id(v, 'envelope'));
      expect(validateDocument(env)).toEqual({ valid: true, issues: [] });
    }
    const env = envelope('1.1');
    env.standardversion = '1.7';
    const r = validateDocument(env);
    expect(codes(r)).toEqual(['fatal version-unsupported /standardversion']);
    expect(r.issues[0].message.en).toContain(`supported versions: ${released.join(', ')}`);
  });

  it('reports a dataschema of another version than standardversion', () => {
    const env = envelope('1.0');
    env.dataschema = id('1.1', 'messages/pension.contact-letter');
    const r = validateDocument(env);
    expect(codes(r)).toEqual(['error body-schema-mismatch /dataschema']);
    expect(r.issues[0].message.en).toBe(`dataschema is version 1.1 but standardversion is 1.0 (expected ${id('1.0', 'messages/pension.contact-letter')})`);
    env.dataschema = id('1.7', 'messages/pension.contact-letter');
    expect(codes(validateDocument(env))).toEqual(['error body-schema-mismatch /dataschema']);
  });

  it('checks records embedded in a body in the body\'s version', () => {
    const withRecord = (v: string) => {
      const env = example('envelope/examples/valid/pension-transfer-info.json', v);
      env.data = example('messages/examples/pension.transfer-info/valid/shenzhen-to-nanchang-with-record.json', v);
      return env;
    };
    const info = withRecord('1.0');
    expect(info.data.records.length).toBeGreaterThan(0);
    expect(validateDocument(info).valid).toBe(true);
    info.data.records[0].deemedMonths = 12; // not in 1.0
    expect(codes(validateDocument(info))).toEqual(['error unknown-property /data/records/0/deemedMonths']);
    const info11 = withRecord('1.1');
    info11.data.records[0].deemedMonths = 12;
    expect(validateDocument(info11)).toEqual({ valid: true, issues: [] });
  });

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
  describe.each(versionsFile.versions.map((v) => v.version))('in %s', (version) => {
    const list = example('codelists/issue-code.json', version) as { codes: { code: string; zh: string; en: string }[] };

    // The list also holds the codes of the adapters, rules, migrations and CLI, which this package cannot
    // import: packages/cli/src/issue-codes.test.ts checks it holds exactly every package's codes.
    it('the code list holds every code the validator uses, each labelled', () => {
      const listed = new Map(list.codes.map((c) => [c.code, c]));
      for (const code of ISSUE_CODES) {
        expect(listed.get(code), code).toMatchObject({ zh: expect.stringMatching(/\S/), en: expect.stringMatching(/\S/) });
      }
    });

    it('the code list conforms to the code list schema', () => {
      const r = validateDocument(list, { schema: `codelist@${version}` });
      expect(r.issues).toEqual([]);
    });

    it('the region list conforms to the code list schema and is the one the identifier checks read', () => {
      const regions = example('codelists/region.json', version);
      expect(validateDocument(regions, { schema: `codelist@${version}` }).issues).toEqual([]);
      expect(regions).toEqual(example('codelists/region.json', newest));
    });
  });

  it('every USCC check in a record goes through the compiled format', () => {
    const doc = record();
    const first17 = '91350100M000100Y4';
    doc.employers[0].id = first17 + usccCheckChar(first17);
    doc.contributions.forEach((c: { employerId: string }) => (c.employerId = doc.employers[0].id));
    expect(validateDocument(doc).valid).toBe(true);
  });
});
