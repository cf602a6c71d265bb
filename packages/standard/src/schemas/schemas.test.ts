/**
 * Self-check of the standard as data: every schema compiles in ajv strict
 * mode, is documented and closed; every valid example passes and every
 * invalid example fails for exactly the issue code its file name starts with.
 *
 * The issue codes here are worked out independently of the validator: ajv's
 * keyword for schema errors, the identifier checks for the formats, and a
 * few lines for the record rules JSON Schema cannot state (month and account-year order and
 * duplicates, listed employers, account on scheme 110) and for the envelope's
 * agreements (dataschema/type, source/sender, subject/caseid). Every version
 * listed in schemas/versions.json is checked on its own.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { checkCitizenId, checkUscc, isPoolingRegionInForce } from '../identifiers.ts';
import { STORABLE_TEXT_PATTERN, unstorableStrings } from '../storable-text.ts';
import { codeLists, exampleFiles, messageNameOfType, messageSchemaId, schemaFiles } from './schema-files.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const versions = (JSON.parse(readFileSync(join(root, 'schemas', 'versions.json'), 'utf8')) as { versions: Array<{ version: string }> }).versions.map((v) => v.version);
const allSchemas = versions.flatMap((v) => schemaFiles(root, v));

type AjvInstance = Ajv2020;

function makeAjv(realFormats: boolean): AjvInstance {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  if (realFormats) {
    ajv.addFormat('citizen-id', (s: string) => checkCitizenId(s).valid);
    ajv.addFormat('uscc', (s: string) => checkUscc(s).valid);
    ajv.addFormat('pooling-region', (s: string) => isPoolingRegionInForce(s));
  } else {
    for (const f of ['citizen-id', 'uscc', 'pooling-region']) ajv.addFormat(f, true);
  }
  for (const s of allSchemas) ajv.addSchema(s.schema);
  return ajv;
}

const KEYWORD_CODE: Record<string, string> = {
  required: 'required',
  additionalProperties: 'unknown-property',
  'false schema': 'unknown-property',
  type: 'type',
  enum: 'enum',
  const: 'const',
  pattern: 'pattern',
  format: 'format',
  minimum: 'minimum',
  maximum: 'maximum',
  minLength: 'min-length',
  maxLength: 'max-length',
  minItems: 'min-items',
  maxItems: 'max-items',
  uniqueItems: 'unique-items',
  minProperties: 'min-properties',
  anyOf: 'any-of',
  oneOf: 'one-of',
};

function pointerGet(doc: unknown, pointer: string): unknown {
  let cur = doc;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    cur = (cur as Record<string, unknown>)?.[key];
  }
  return cur;
}

/**
 * Issue codes of ajv errors, with the errors of anyOf/oneOf branches folded
 * into the applicator's own code, and `if` (whose `then` errors stand) dropped.
 * ajv runs the applicators before the object keywords and reports a failed
 * anyOf right after its branches' errors, so those are the contiguous run of
 * errors at or under the applicator's instance path just before it.
 */
function codesOfErrors(errors: ErrorObject[], doc: unknown): string[] {
  const folded = new Set<number>();
  errors.forEach((e, i) => {
    if (e.keyword !== 'anyOf' && e.keyword !== 'oneOf') return;
    for (let j = i - 1; j >= 0 && !folded.has(j); j--) {
      const p = errors[j].instancePath;
      if (p !== e.instancePath && !p.startsWith(`${e.instancePath}/`)) break;
      folded.add(j);
    }
  });
  const codes: string[] = [];
  errors.forEach((e, i) => {
    if (e.keyword === 'if' || folded.has(i)) return;
    if (e.keyword === 'format') {
      const value = pointerGet(doc, e.instancePath);
      const format = (e.params as { format: string }).format;
      if (format === 'citizen-id') codes.push(...checkCitizenId(value).problems.filter((p) => p.severity === 'error').map((p) => p.code));
      else if (format === 'uscc') codes.push(...checkUscc(value).problems.filter((p) => p.severity === 'error').map((p) => p.code));
      else if (format === 'pooling-region') codes.push('region-unknown');
      else codes.push('format');
      return;
    }
    if (e.keyword === 'pattern' && (e.params as { pattern?: string }).pattern === STORABLE_TEXT_PATTERN) codes.push('unstorable-character');
    else codes.push(KEYWORD_CODE[e.keyword] ?? `unmapped:${e.keyword}`);
  });
  return codes;
}

/** The record rules JSON Schema cannot state, on every contribution record inside a document. */
function recordRuleCodes(doc: unknown): string[] {
  const codes: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.kind === 'contribution-record' && Array.isArray(o.contributions)) {
      const months = o.contributions.map((c) => (c as { month?: unknown }).month).filter((m): m is string => typeof m === 'string');
      if (new Set(months).size !== months.length) codes.push('month-duplicate');
      if (months.some((m, i) => i > 0 && m < months[i - 1])) codes.push('month-order');
      const listed = new Set(((o.employers as Array<{ id?: unknown }>) ?? []).map((e) => e.id));
      if (o.contributions.some((c) => { const id = (c as { employerId?: unknown }).employerId; return id !== undefined && !listed.has(id); }))
        codes.push('employer-unlisted');
      if (o.account !== undefined && o.scheme !== '110') codes.push('account-not-pension');
      const years = ((o.account as Array<{ year?: unknown }>) ?? []).map((y) => y.year).filter((y): y is number => typeof y === 'number');
      if (new Set(years).size !== years.length) codes.push('year-duplicate');
      if (years.some((y, i) => i > 0 && y < years[i - 1])) codes.push('year-order');
    }
    Object.values(o).forEach(visit);
  };
  visit(doc);
  return codes;
}

const lenient = makeAjv(false);
const real = makeAjv(true);
const ENVELOPE_ID = /^https:\/\/jiexu\.org\/standard\/([0-9]+\.[0-9]+)\/envelope\.schema\.json$/;

function validatorFor(ajv: AjvInstance, id: string): ValidateFunction {
  const v = ajv.getSchema(id);
  if (!v) throw new Error(`no schema ${id}`);
  return v;
}

/** All issue codes of a document against its schema; an envelope also has its body checked, as the validator will. */
function issueCodes(ajv: AjvInstance, schemaId: string, doc: unknown): string[] {
  const v = validatorFor(ajv, schemaId);
  const codes = v(doc) ? [] : codesOfErrors(v.errors ?? [], doc);
  const envelopeVersion = ENVELOPE_ID.exec(schemaId)?.[1];
  if (envelopeVersion && doc && typeof doc === 'object') {
    const env = doc as Record<string, unknown>;
    const name = typeof env.type === 'string' ? messageNameOfType(env.type) : undefined;
    const bodyId = name ? messageSchemaId(name, envelopeVersion) : undefined;
    if (typeof env.source === 'string' && env.source.startsWith('urn:jiexu:institution:') && typeof env.sender === 'string' && env.source !== `urn:jiexu:institution:${env.sender}`)
      codes.push('source-sender-mismatch');
    if (typeof env.subject === 'string' && typeof env.caseid === 'string' && env.subject !== env.caseid) codes.push('subject-caseid-mismatch');
    if (bodyId && ajv.getSchema(bodyId)) {
      if (typeof env.dataschema === 'string' && env.dataschema !== bodyId) codes.push('body-schema-mismatch');
      if (env.data && typeof env.data === 'object' && !Array.isArray(env.data)) {
        const b = validatorFor(ajv, bodyId);
        if (!b(env.data)) codes.push(...codesOfErrors(b.errors ?? [], env.data));
      }
    }
  }
  codes.push(...recordRuleCodes(doc));
  if (unstorableStrings(doc).length) codes.push('unstorable-character'); // every version (conformance.md §8a)
  return [...new Set(codes)].sort();
}

describe.each(versions)('schemas of the standard %s', (version) => {
  const schemas = schemaFiles(root, version);
  const examples = exampleFiles(root, version);

  it('finds the schemas and examples', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(35);
    expect(examples.filter((e) => e.valid).length).toBeGreaterThan(40);
    expect(examples.filter((e) => !e.valid).length).toBeGreaterThan(80);
  });

  it.each(schemas.map((s) => [s.path, s] as const))('%s compiles in ajv strict mode', (_p, s) => {
    expect(() => lenient.getSchema(s.schema.$id)).not.toThrow();
  });

  it.each(schemas.map((s) => [s.path, s] as const))('%s follows the $id convention', (path, s) => {
    const file = path.split('/').pop()!;
    const expected = path.includes('/messages/')
      ? `https://jiexu.org/standard/${version}/messages/${file}`
      : `https://jiexu.org/standard/${version}/${file}`;
    expect(s.schema.$id).toBe(expected);
    expect(s.schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it.each(schemas.map((s) => [s.path, s] as const))('%s: every property has a description, every object is closed', (_p, s) => {
    const problems: string[] = [];
    const visit = (node: unknown, at: string) => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${at}/${i}`));
      if (!node || typeof node !== 'object') return;
      const o = node as Record<string, unknown>;
      if (o.properties && typeof o.properties === 'object' && o.type === 'object') {
        if (o.additionalProperties !== false) problems.push(`${at}: additionalProperties is not false`);
        for (const [k, p] of Object.entries(o.properties as Record<string, unknown>)) {
          if (typeof p === 'object' && p && typeof (p as { description?: unknown }).description !== 'string') problems.push(`${at}/properties/${k}: no description`);
        }
      }
      for (const [k, v] of Object.entries(o)) visit(v, `${at}/${k}`);
    };
    visit(s.schema, '#');
    expect(problems).toEqual([]);
  });

  it('every message schema has valid and invalid examples, and so has every other schema with a root', () => {
    for (const s of schemas) {
      if (!('type' in s.schema)) continue; // definitions only (common, message parts)
      const mine = examples.filter((e) => e.schemaId === s.schema.$id);
      expect(mine.filter((e) => e.valid).length, `${s.path} valid examples`).toBeGreaterThan(0);
      expect(mine.filter((e) => !e.valid).length, `${s.path} invalid examples`).toBeGreaterThan(0);
    }
  });

  it.each(examples.filter((e) => e.valid).map((e) => [e.path, e] as const))('%s passes', (_p, e) => {
    expect(issueCodes(real, e.schemaId, e.document)).toEqual([]);
  });

  it.each(examples.filter((e) => !e.valid).map((e) => [e.path, e] as const))('%s fails for exactly its code', (_p, e) => {
    expect(issueCodes(real, e.schemaId, e.document)).toEqual([e.expectedCode]);
  });

  it('invalid examples only fail on identifier rules with the placeholder formats when their code is an identifier rule', () => {
    const identifierCodes = new Set(['citizen-id-check', 'citizen-id-birth-date', 'uscc-check', 'region-unknown']);
    for (const e of examples.filter((x) => !x.valid)) {
      const lenientCodes = issueCodes(lenient, e.schemaId, e.document);
      if (identifierCodes.has(e.expectedCode!)) expect(lenientCodes, e.path).toEqual([]);
      else expect(lenientCodes, e.path).toEqual([e.expectedCode]);
    }
  });

  it('the example folders hold nothing but .json examples', () => {
    for (const e of examples) expect(e.path).toMatch(/\/(valid|invalid)\/[a-z0-9][a-z0-9.-]*\.json$/);
  });
});

describe.each(versions)('code lists of the standard %s', (version) => {
  const schemas = schemaFiles(root, version);
  const lists = codeLists(root, version);
  const codelistSchema = validatorFor(lenient, `https://jiexu.org/standard/${version}/codelist.schema.json`);

  it.each(lists.map((l) => [l.path, l] as const))('%s has the shared shape, its file name and unique codes', (path, l) => {
    const { path: _ignored, ...doc } = l;
    expect(codelistSchema(doc), JSON.stringify(codelistSchema.errors)).toBe(true);
    expect(path.endsWith(`/${l.name}.json`)).toBe(true);
    expect(new Set(l.codes.map((c) => c.code)).size).toBe(l.codes.length);
  });

  it('has every list the standard defines', () => {
    const names = lists.map((l) => l.name);
    for (const n of ['scheme', 'contribution-status', 'gender', 'refusal-reason', 'reject-reason', 'business-error', 'case-type', 'message-type', 'transfer-direction', 'enrollment-status'])
      expect(names).toContain(n);
  });

  const codes = (name: string) => lists.find((l) => l.name === name)!.codes.map((c) => c.code).sort();
  const schemaById = new Map(schemas.map((s) => [s.schema.$id, s.schema]));
  const at = (id: string, pointer: string) => pointerGet(schemaById.get(id), pointer) as { enum?: string[]; const?: string };
  const S = `https://jiexu.org/standard/${version}/`;

  /** Schema enums that must equal a code list exactly. */
  const equal: Array<[string, string, string]> = [
    ['scheme', `${S}common.schema.json`, '/$defs/scheme'],
    ['gender', `${S}common.schema.json`, '/$defs/gender'],
    ['contribution-status', `${S}common.schema.json`, '/$defs/contributionStatus'],
    ['case-type', `${S}envelope.schema.json`, '/properties/casetype'],
    ['refusal-reason', `${S}messages/pension.transfer-refusal.schema.json`, '/properties/reasons/items/properties/code'],
    ['reject-reason', `${S}messages/admin.reject.schema.json`, '/properties/reasons/items/properties/code'],
    ['business-error', `${S}messages/admin.business-error.schema.json`, '/properties/errors/items/properties/code'],
    ['transfer-direction', `${S}messages/enrollment.registered.schema.json`, '/properties/transferDirection'],
    ['transfer-direction', `${S}messages/enrollment.terminated.schema.json`, '/properties/transferDirection'],
  ];
  it.each(equal)('%s equals %s#%s', (list, id, pointer) => {
    expect([...(at(id, pointer).enum ?? [])].sort()).toEqual(codes(list));
  });

  it('the envelope type enum is exactly the message types, as cn.jiexu.<name>.v1', () => {
    expect([...(at(`${S}envelope.schema.json`, '/properties/type').enum ?? [])].sort()).toEqual(codes('message-type').map((c) => `cn.jiexu.${c}.v1`).sort());
  });

  it('every message type has a body schema and every body schema a message type', () => {
    const bodies = schemas.filter((s) => s.path.includes('/messages/')).map((s) => s.path.split('/').pop()!.replace(/\.schema\.json$/, '')).sort();
    expect(bodies).toEqual(codes('message-type'));
  });

  /** Schema enums and consts that must be subsets of a code list. */
  const subset: Array<[string, string, string]> = [
    ['enrollment-status', `${S}messages/enrollment.registered.schema.json`, '/properties/status'],
    ['enrollment-status', `${S}messages/enrollment.changed.schema.json`, '/properties/status'],
    ['enrollment-status', `${S}messages/enrollment.terminated.schema.json`, '/properties/status'],
    ['scheme', `${S}messages/medical.transfer-info.schema.json`, '/properties/scheme'],
    ['scheme', `${S}messages/medical.transfer-completed.schema.json`, '/properties/scheme'],
    ['scheme', `${S}messages/conversion.application.schema.json`, '/properties/fromScheme'],
    ['scheme', `${S}messages/unemployment.transfer-info.schema.json`, '/properties/scheme'],
    ['scheme', `${S}messages/pension.transfer-info.schema.json`, '/properties/scheme'],
  ];
  it.each(subset)('%s contains %s#%s', (list, id, pointer) => {
    const s = at(id, pointer);
    const values = s.enum ?? (s.const !== undefined ? [s.const] : []);
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(codes(list)).toContain(v);
  });

  it('the enrollment statuses used across the enrollment messages cover the code list', () => {
    const used = new Set<string>();
    for (const m of ['registered', 'changed', 'terminated']) {
      const s = at(`${S}messages/enrollment.${m}.schema.json`, '/properties/status');
      for (const v of s.enum ?? [s.const!]) used.add(v);
    }
    expect([...used].sort()).toEqual(codes('enrollment-status'));
  });
});
