import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { record } from './__fixtures__/records.ts';
import { PENSION_TRANSFER_STEPS, transferPlan, TransferPlanError } from './transfer-plan.ts';

const person = { id: '230128196208035598', hukouRegion: '230128' };
const records = [
  record(person, { region: '210100', from: '1997-07', to: '2003-06', baseFen: 300000, status: (m) => (m === '2003-06' ? 'arrears' : 'paid') }),
  record(person, { region: '110000', from: '2003-09', to: '2026-01', baseFen: 700000 }),
];

describe('transferPlan (66号 art. 8, each step its full time)', () => {
  it('crosses the 2026 Spring Festival and its adjusted Saturdays', () => {
    const plan = transferPlan({ records, person: person.id, from: '210100', to: '110000', date: '2026-02-10', hukou: '110105' });
    expect(plan.path).toBe('transfer');
    expect(plan.steps.map((s) => [s.message, s.sender, s.senderRegion, s.latest])).toEqual([
      ['pension.transfer-application', 'new', '110000', '2026-02-10'],
      ['pension.contact-letter', 'new', '110000', '2026-03-09'], // 2-14 (Sat) and 2-28 (Sat) work, 2-15..2-23 off
      ['pension.funds-explanation', 'old', '210100', '2026-03-23'],
      ['pension.transfer-info', 'old', '210100', '2026-03-30'],
      ['pension.transfer-completed', 'new', '110000', '2026-04-21'], // 清明 4-4..4-6 off
    ]);
    expect(plan.steps.every((s) => !s.estimated)).toBe(true);
    // the explanation is needed: one month in arrears and the pre-1998 pooled part
    expect(plan.steps[2].conditional?.en).toMatch(/arrears.*before 1998/);
    // 12% of the 1998-01..2003-05 bases: 65 months × 3000 yuan
    expect(plan.amounts).toMatchObject({ pooledFund: 65 * 300000 * 12 / 100, individualAccount: null, paidMonths: 71 });
  });

  it('a man of 50 or more moving to a non-hukou province: the temporary-account path, no amounts', () => {
    const plan = transferPlan({ records, person: person.id, from: '210100', to: '110000', date: '2012-08-03' });
    expect(plan.path).toBe('temporary-account');
    expect(plan.steps.map((s) => s.message)).toEqual(['pension.temporary-account-notice']);
    expect(plan.amounts).toBeNull();
    expect(plan.noAmounts?.en).toMatch(/temporary/);
    const younger = transferPlan({ records, person: person.id, from: '210100', to: '110000', date: '2012-08-02' });
    expect(younger.path).toBe('transfer');
  });

  it('flags deadlines in a year the calendar does not hold', () => {
    const plan = transferPlan({ records, person: person.id, from: '210100', to: '110000', date: '2026-12-01', hukou: '110105' });
    expect(plan.steps.at(-1)).toMatchObject({ estimated: true });
    expect(plan.issues.some((i) => i.code === 'deadline-estimated')).toBe(true);
  });

  it('refuses a region the person has no pension record in', () => {
    expect(() => transferPlan({ records, person: person.id, from: '330100', to: '110000', date: '2026-02-10' })).toThrow(TransferPlanError);
  });

  it('names the steps, senders and limits of the standard catalogue', () => {
    const catalogue = JSON.parse(readFileSync(new URL('../../../schemas/1.0/catalogue/case-types.json', import.meta.url), 'utf8'));
    const caseType = catalogue.caseTypes.find((c: { code: string }) => c.code === 'pension-transfer');
    for (const s of PENSION_TRANSFER_STEPS) {
      const step = caseType.steps.find((x: { message: string }) => x.message === s.message);
      expect(step, s.message).toBeDefined();
      expect(step.from).toContain(s.sender);
      expect(step.deadline?.workingDays ?? null).toBe(s.workingDays);
      expect(step.deadline?.startsAt?.message ?? null).toBe(s.after);
    }
    const temp = catalogue.caseTypes.find((c: { code: string }) => c.code === 'pension-temporary-account');
    expect(temp.opens).toEqual(['pension.temporary-account-notice']);
  });
});

describe('dated rules', () => {
  it('66号 applies from 2010-01-01: a plan dated the day before warns, the day itself does not', () => {
    const before = transferPlan({ records, person: person.id, from: '210100', to: '110000', date: '2009-12-31', hukou: '110105' });
    const on = transferPlan({ records, person: person.id, from: '210100', to: '110000', date: '2010-01-04', hukou: '110105' });
    expect(before.issues.filter((i) => i.code === 'rule-not-in-force').map((i) => (i.value as { rule: string }).rule)).toEqual(expect.arrayContaining(['pension-procedure', 'pension-pooled-fund']));
    expect(on.issues.some((i) => i.code === 'rule-not-in-force')).toBe(false);
    // the figures are the same either way
    expect(before.amounts).toEqual(on.amounts);
  });
});
