/**
 * Hand-written cases of the conformance suite (schemas/<version>/tests/), merged by
 * scripts/generators/conformance-suite.ts after the examples: test vectors of the identifier
 * algorithms and a case for every issue code no example raises. Each case starts from a valid
 * example of the version (so the same case serves every version) and changes it; its `expected`
 * is written here by hand, from docs/standard/conformance.md — not computed by the validator.
 * The vitest test src/conformance-suite.test.ts checks the validator against every case.
 */

export interface Expected {
  code: string;
  /** JSON Pointer; absent for an issue that has none (json-syntax). */
  pointer?: string;
  severity: 'fatal' | 'error' | 'warning' | 'information';
}

export interface SuiteCase {
  /** The schema's name (`contribution-record`, `envelope`, `messages/pension.transfer-application`); documents.json cases have none. */
  schema?: string;
  description: string;
  data?: unknown;
  /** Instead of `data`: the document as JSON text. */
  text?: string;
  valid: boolean;
  expected: Expected[];
}

/** Reads a file of the version folder, e.g. `contribution-record/examples/valid/medical-hangzhou.json`. */
type Read = (rel: string) => unknown;

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const RECORD = 'contribution-record/examples/valid/medical-hangzhou.json'; // person 360702199007080028, F, 1990-07-08; scheme 310
const PENSION = 'contribution-record/examples/valid/pension-shenzhen-with-account.json';
const ENVELOPE = 'envelope/examples/valid/admin-acknowledge.json';
const APPLICATION = 'envelope/examples/valid/pension-transfer-application.json'; // person 360124198503150014, M
const TRANSFER_INFO = 'envelope/examples/valid/pension-transfer-info.json';
const TRANSFER_INFO_BODY = 'messages/examples/pension.transfer-info/valid/shenzhen-to-nanchang-with-record.json';

const err = (code: string, pointer: string): Expected => ({ code, pointer, severity: 'error' });
const warn = (code: string, pointer: string): Expected => ({ code, pointer, severity: 'warning' });
const fatal = (code: string, pointer?: string): Expected => (pointer === undefined ? { code, severity: 'fatal' } : { code, pointer, severity: 'fatal' });

export function extraCases(version: string, read: Read, released: string[]): SuiteCase[] {
  /** Another released version (the suite assumes a validator loads every released version). */
  const otherReleased = released.find((v) => v !== version);
  const from = (rel: string, change: (d: Doc) => void): Doc => {
    const d = structuredClone(read(rel)) as Doc;
    change(d);
    return d;
  };
  /** A person whose citizen ID is `id`, without gender and birth date (nothing to disagree with). */
  const person = (id: string) => (d: Doc) => {
    d.person = { id, name: d.person.name };
  };
  const record = (description: string, change: (d: Doc) => void, valid: boolean, expected: Expected[], base = RECORD): SuiteCase => ({
    schema: 'contribution-record',
    description,
    data: from(base, change),
    valid,
    expected,
  });
  const envelope = (description: string, change: (d: Doc) => void, valid: boolean, expected: Expected[], base = ENVELOPE): SuiteCase => ({
    schema: 'envelope',
    description,
    data: from(base, change),
    valid,
    expected,
  });

  return [
    // ---- GB 11643 citizen ID: test vectors
    record('citizen ID with check character X (GB 11643 sample 11010519491231002X)', person('11010519491231002X'), true, []),
    record('citizen ID with a lower-case x is the pattern\'s issue only', person('11010519491231002x'), false, [err('pattern', '/person/id')]),
    record('citizen ID whose check character is wrong (…0029 for …0021)', person('110105200002290029'), false, [err('citizen-id-check', '/person/id')]),
    record('citizen ID born 29 February 2000 (a leap year)', person('110105200002290021'), true, []),
    record('citizen ID born 29 February 1900 (not a leap year)', person('110105190002290017'), false, [err('citizen-id-birth-date', '/person/id')]),
    record('citizen ID born before 1900', person('110105189912310015'), false, [err('citizen-id-birth-date', '/person/id')]),
    record('citizen ID born in the future (2999-01-01)', person('110105299901010014'), false, [err('citizen-id-birth-date', '/person/id')]),
    record(
      'citizen ID with both a wrong check character and an impossible birth date reports both',
      person('110105190002290010'),
      false,
      [err('citizen-id-birth-date', '/person/id'), err('citizen-id-check', '/person/id')],
    ),
    record('citizen ID with an abolished address code (360721 赣县) is valid, with a warning', person('360721198503150018'), true, [warn('region-unknown', '/person/id')]),
    record('citizen ID with an address code that never existed (000000) and a wrong check character', person('000000198503150010'), false, [
      err('citizen-id-check', '/person/id'),
      warn('region-unknown', '/person/id'),
    ]),
    record('gender disagreeing with the citizen ID (17th digit 2: female) is a warning', (d) => (d.person.gender = 'M'), true, [warn('gender-mismatch', '/person/gender')]),
    record('birth date disagreeing with the citizen ID is a warning', (d) => (d.person.birthDate = '1990-07-09'), true, [warn('birth-date-mismatch', '/person/birthDate')]),
    record('no gender or birth-date warning when the citizen ID itself is wrong', (d) => {
      d.person.id = '360702199007080029';
      d.person.gender = 'M';
    }, false, [err('citizen-id-check', '/person/id')]),

    // ---- GB 32100 USCC with the GB 11714 organisation code inside: test vectors
    record('USCC whose organisation code has check character X (9111010510000018XY)', (d) => setEmployer(d, '9111010510000018XY'), true, []),
    record('USCC whose organisation code has check character 0 (91110105100000040B)', (d) => setEmployer(d, '91110105100000040B'), true, []),
    record('USCC whose organisation code check is wrong although the MOD 31 check fits (91330100704312340L)', (d) => setEmployer(d, '91330100704312340L'), false, [
      err('uscc-check', '/contributions/0/employerId'),
      err('uscc-check', '/employers/0/id'),
    ]),
    record('USCC with a letter outside the GB 32100 set (I) is the pattern\'s issue only', (d) => setEmployer(d, '9I3301007043123441'), false, [
      err('pattern', '/contributions/0/employerId'),
      err('pattern', '/employers/0/id'),
    ]),

    // ---- pooling region (GB/T 2260 in force)
    record('pooling region of the wrong shape: pattern and region-unknown', (d) => (d.region = '03010'), false, [err('pattern', '/region'), err('region-unknown', '/region')]),
    record('pooling region: a province code in force (330000)', (d) => (d.region = '330000'), true, []),
    record('pooling region: a prefecture-level city without counties (441900 东莞市)', (d) => (d.region = '441900'), true, []),
    record('pooling region: the code that replaced an abolished one (360704 赣县区 for 360721 赣县)', (d) => (d.region = '360704'), true, []),

    // ---- record rules
    record('an employer unlisted in several months is reported once, at its first month', (d) => {
      for (const c of d.contributions) c.employerId = '9111010510000018XY';
    }, false, [err('employer-unlisted', '/contributions/0/employerId')]),
    record('months out of order and repeated', (d) => {
      const [a, b] = d.contributions;
      d.contributions = [b, a, structuredClone(b)];
    }, false, [err('month-order', '/contributions/1/month'), err('month-duplicate', '/contributions/2/month')]),
    record(
      'account years: a repeat and a step back',
      (d) => {
        const y = d.account[0];
        d.account = [{ ...y, year: 2023 }, { ...y, year: 2024 }, { ...y, year: 2024 }, { ...y, year: 2022 }];
      },
      false,
      [err('year-duplicate', '/account/2/year'), err('year-order', '/account/3/year')],
      PENSION,
    ),

    // ---- envelope
    envelope('receivers A, B, B, C: unique-items points at the last item equal to an earlier one', (d) => (d.receivers = ['360100-si', '110000-si', '110000-si', '330100-si']), false, [
      err('unique-items', '/receivers/2'),
    ]),
    envelope('more receivers than allowed (21)', (d) => (d.receivers = Array.from({ length: 21 }, (_, i) => `${String(110101 + i)}-si`)), false, [err('max-items', '/receivers')]),
    envelope('a time with a space for T is an RFC 3339 date-time', (d) => (d.time = '2026-03-16 10:02:11+08:00'), true, []),
    envelope('a time of hour 25 is not a date-time', (d) => (d.time = '2026-03-16T25:02:11+08:00'), false, [err('format', '/time')]),
    envelope('a time without an offset fails the pattern and the format', (d) => (d.time = '2026-03-16T10:02:11'), false, [err('format', '/time'), err('pattern', '/time')]),
    envelope('dataschema naming no schema of the standard', (d) => (d.dataschema = `https://jiexu.org/standard/${version}/messages/admin.nothing.schema.json`), false, [err('body-schema-mismatch', '/dataschema')]),
    ...(otherReleased === undefined
      ? []
      : [
          envelope(
            `dataschema naming the same message in ${otherReleased}, another released version`,
            (d) => (d.dataschema = d.dataschema.replace(`/standard/${version}/`, `/standard/${otherReleased}/`)),
            false,
            [err('body-schema-mismatch', '/dataschema')],
          ),
        ]),
    envelope('source and subject disagreeing with sender and caseid', (d) => {
      d.source = 'urn:jiexu:institution:110000-si';
      d.subject = '110000-si:PT-1';
    }, false, [err('source-sender-mismatch', '/source'), err('subject-caseid-mismatch', '/subject')]),
    envelope('the body\'s citizen-ID warnings point into /data', (d) => (d.data.person.gender = 'F'), true, [warn('gender-mismatch', '/data/person/gender')], APPLICATION),
    // ---- storable text (conformance.md §8a): every version, values and property names
    envelope('a NUL (U+0000) inside a free-text string', (d) => (d.data.person.name = '李\u0000建国'), false, [err('unstorable-character', '/data/person/name')], APPLICATION),
    envelope('a lone high surrogate (U+D842) at the end of a name', (d) => (d.data.person.name = '李建\uD842'), false, [err('unstorable-character', '/data/person/name')], APPLICATION),
    envelope('a lone low surrogate (U+DC0B) in a document number', (d) => (d.data.applicationNo = 'NC-\uDC0B-1'), false, [err('unstorable-character', '/data/applicationNo')], APPLICATION),
    envelope('a surrogate pair (𠀋 U+2000B, CJK extension B) is one character and valid', (d) => (d.data.person.name = '李\uD840\uDC0B'), true, [], APPLICATION),
    envelope('a NUL inside a code is the code list\'s issue and unstorable-character', (d) => (d.data.person.gender = 'M\u0000'), false, [err('enum', '/data/person/gender'), err('unstorable-character', '/data/person/gender')], APPLICATION),
    envelope('a NUL in a property name: unknown-property and unstorable-character at that property', (d) => (d.data['note\u0000'] = 'x'), false, [
      err('unknown-property', '/data/note\u0000'),
      err('unstorable-character', '/data/note\u0000'),
    ], APPLICATION),
    envelope('an unstorable string inside an unknown property is still reported', (d) => (d.extra = { deep: ['ok', '\uDFFF'] }), false, [err('unknown-property', '/extra'), err('unstorable-character', '/extra/deep/1')], APPLICATION),
    record('a NUL in a contribution record\'s person name', (d) => (d.person.name = '\u0000'), false, [err('unstorable-character', '/person/name')]),
    envelope('the record rules apply to a record embedded in the body', (d) => {
      d.data = read(TRANSFER_INFO_BODY);
      const months = d.data.records[0].contributions;
      months[1].month = months[0].month;
    }, false, [err('month-duplicate', '/data/records/0/contributions/1/month')], TRANSFER_INFO),
  ];
}

/** Whole documents, validated without a schema: the validator recognises kind and version itself. */
export function documentCases(version: string, read: Read): SuiteCase[] {
  const record = read(RECORD) as Doc;
  const envelope = read(ENVELOPE) as Doc;
  const with_ = (d: Doc, change: (x: Doc) => void): Doc => {
    const x = structuredClone(d);
    change(x);
    return x;
  };
  return [
    { description: `a contribution record declaring version ${version}`, data: record, valid: true, expected: [] },
    { description: `an envelope declaring standardversion ${version}`, data: envelope, valid: true, expected: [] },
    { description: 'the case-type catalogue, recognised by its name', data: read('catalogue/case-types.json'), valid: true, expected: [] },
    { description: 'a record declaring version 2.0', data: with_(record, (x) => (x.version = '2.0')), valid: false, expected: [fatal('version-unsupported', '/version')] },
    { description: 'an envelope declaring standardversion 9.9', data: with_(envelope, (x) => (x.standardversion = '9.9')), valid: false, expected: [fatal('version-unsupported', '/standardversion')] },
    {
      description: 'a record declaring no version is checked against the latest version\'s schema',
      data: with_(record, (x) => delete x.version),
      valid: false,
      expected: [err('required', '/version')],
    },
    { description: 'an unknown kind', data: with_(record, (x) => (x.kind = 'payslip')), valid: false, expected: [fatal('unknown-kind', '/kind')] },
    { description: 'neither envelope nor record', data: { hello: 'world' }, valid: false, expected: [fatal('unknown-kind', '')] },
    { description: 'not an object', data: [record], valid: false, expected: [fatal('unknown-kind', '')] },
    { description: 'JSON text cut short', text: '{"kind": "contribution-record", "version": ', valid: false, expected: [fatal('json-syntax')] },
  ];
}

/** The record cut to its first month, its one employer's USCC set to `id`. */
function setEmployer(d: Doc, id: string): void {
  d.employers[0].id = id;
  d.contributions = d.contributions.slice(0, 1);
  d.contributions[0].employerId = id;
}
