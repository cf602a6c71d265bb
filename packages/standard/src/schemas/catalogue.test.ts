/**
 * The case-type catalogue is data the platform acts on: it must validate
 * against its schema and every name in it must resolve — messages to body
 * schemas, states to declared states, sources to listed sources, deadline
 * fields to date fields of the message that starts the clock.
 */
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { caseTypeCatalogue, codeLists, schemaFiles } from './schema-files.ts';
import type { CaseTypeCatalogue } from '../generated/types/v1.0.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const schemas = schemaFiles(root);
const catalogue = caseTypeCatalogue(root) as CaseTypeCatalogue;
const codes = (name: string) => codeLists(root).find((l) => l.name === name)!.codes.map((c) => c.code).sort();
const bodyOf = (name: string) => schemas.find((s) => s.path.endsWith(`/messages/${name}.schema.json`))?.schema as
  | { properties: Record<string, { $ref?: string; format?: string }>; required?: string[] }
  | undefined;

describe('case-type catalogue', () => {
  it('validates against catalogue.schema.json in ajv strict mode', () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    for (const f of ['citizen-id', 'uscc', 'pooling-region']) ajv.addFormat(f, true);
    for (const s of schemas) ajv.addSchema(s.schema);
    const validate = ajv.getSchema('https://jiexu.org/standard/1.0/catalogue.schema.json')!;
    expect(validate(catalogue), JSON.stringify(validate.errors)).toBe(true);
  });

  it('has exactly the case types of the code list, which are the envelope casetype enum', () => {
    expect(catalogue.caseTypes.map((c) => c.code).sort()).toEqual(codes('case-type'));
  });

  it('places every message type in at least one case type, and names no message without a body schema', () => {
    const used = new Set<string>();
    for (const c of catalogue.caseTypes) {
      for (const s of c.steps) used.add(s.message);
      for (const a of c.administrative) used.add(a.message);
      for (const m of [...c.opens, ...c.closes]) expect(codes('message-type'), `${c.code}: ${m}`).toContain(m);
    }
    expect([...used].sort()).toEqual(codes('message-type'));
    for (const m of used) expect(bodyOf(m), m).toBeDefined();
  });

  it.each(catalogue.caseTypes.map((c) => [c.code, c] as const))('%s is a consistent state machine', (_code, c) => {
    const states = new Map(c.states.map((s) => [s.code, s]));
    expect(states.size, 'state codes unique').toBe(c.states.length);
    expect(states.get('closed')?.final, 'a final state closed').toBe(true);
    const sources = new Set(catalogue.sources.map((s) => s.id));
    for (const s of c.sources) expect(sources, s).toContain(s);

    const openers = c.steps.filter((s) => s.opens).map((s) => s.message);
    expect([...new Set(openers)].sort()).toEqual([...c.opens].sort());

    const finals = c.steps.filter((s) => s.toState && states.get(s.toState)?.final).map((s) => s.message);
    expect([...new Set([...finals, 'admin.close'])].sort()).toEqual([...c.closes].sort());

    const reachable = new Set<string>();
    for (const s of c.steps) {
      if (s.toState) {
        expect(states.has(s.toState), `${s.message} → ${s.toState}`).toBe(true);
        reachable.add(s.toState);
      }
      for (const st of s.inStates ?? []) {
        expect(states.has(st), `${s.message} in ${st}`).toBe(true);
        expect(states.get(st)!.final, `${s.message} fits only non-final states`).toBe(false);
      }
      for (const a of s.answers ?? []) {
        const answered = c.steps.filter((x) => x.message === a);
        expect(answered.length, `${s.message} answers ${a}, a message of this case type`).toBeGreaterThan(0);
        // only a receiver of a message can answer it
        expect(answered.some((x) => s.from.every((r) => x.to.includes(r))), `${s.message}'s senders received ${a}`).toBe(true);
      }
      if (s.deadline) {
        expect(sources.has(s.deadline.source), s.deadline.source).toBe(true);
        const start = s.deadline.startsAt;
        expect(c.steps.some((x) => x.message === start.message), `${s.message}: clock starts at ${start.message}`).toBe(true);
        if (start.field) {
          const prop = bodyOf(start.message)!.properties[start.field.slice(1)];
          expect(prop?.$ref, `${start.message}${start.field} is a date`).toMatch(/common\.schema\.json#\/\$defs\/date$/);
          expect(bodyOf(start.message)!.required, `${start.message}${start.field} is required`).toContain(start.field.slice(1));
        }
      }
    }
    for (const st of c.states) if (st.code !== 'closed') expect(reachable.has(st.code), `state ${st.code} reachable`).toBe(true);

    const admin = new Set(catalogue.administrative.map((a) => a.message));
    for (const a of c.administrative) expect(admin.has(a.message), a.message).toBe(true);
    expect(c.administrative.some((a) => a.message === 'admin.close'), 'admin.close allowed').toBe(true);
    const roles = new Set(catalogue.roles.map((r) => r.code));
    for (const s of c.steps) for (const r of [...s.from, ...s.to]) expect(roles.has(r)).toBe(true);
  });

  it('encodes the statutory deadlines (66号 art. 8, 94号, 17号, 43号)', () => {
    const deadline = (caseType: string, message: string) =>
      catalogue.caseTypes.find((c) => c.code === caseType)!.steps.find((s) => s.message === message && s.deadline)?.deadline;
    expect(deadline('pension-transfer', 'pension.contact-letter')).toMatchObject({ workingDays: 15, source: 'gbf-2009-66-art8' });
    expect(deadline('pension-transfer', 'pension.transfer-info')).toMatchObject({ workingDays: 15, startsAt: { message: 'pension.contact-letter' } });
    expect(deadline('pension-transfer', 'pension.funds-explanation')).toMatchObject({ workingDays: 10, source: 'rstf-2019-94' });
    expect(deadline('pension-transfer', 'pension.transfer-completed')).toMatchObject({ workingDays: 15, startsAt: { message: 'pension.transfer-info' } });
    expect(deadline('medical-transfer', 'medical.transfer-info')?.workingDays).toBe(10);
    expect(deadline('medical-transfer', 'medical.transfer-completed')?.workingDays).toBe(5);
    for (const m of ['conversion.application', 'conversion.info', 'conversion.completed'])
      expect(deadline('employee-resident-conversion', m)).toMatchObject({ workingDays: 15, source: 'rsbf-2014-17' });
    const unconfirmed = catalogue.sources.find((s) => s.id === 'unconfirmed')!;
    expect(unconfirmed.confirmed).toBe(false);
    expect(deadline('seal-and-gather', 'pension.gather-info')?.source).toBe('unconfirmed');
  });
});
