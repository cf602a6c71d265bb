import { describe, expect, it } from 'vitest';
import { inForce, notInForce, RULES, type RuleId } from './sources.ts';

const dayBefore = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
const dayAfter = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

describe('every rule is dated or says why not', () => {
  it('has a date note in both languages; a rule without effectiveFrom says "no effective date" in its note', () => {
    for (const rule of Object.values(RULES)) {
      expect(rule.dateNote.zh.length, rule.id).toBeGreaterThan(0);
      expect(rule.dateNote.en.length, rule.id).toBeGreaterThan(0);
      if (!rule.effectiveFrom) expect(rule.dateNote.en, rule.id).toMatch(/no effective date/);
    }
  });
  it.each(Object.values(RULES).filter((r) => r.effectiveFrom).map((r) => [r.id, r.effectiveFrom!] as const))('%s: not in force the day before %s, in force on it (with a warning before)', (id, from) => {
    expect(inForce(id as RuleId, dayBefore(from))).toBe(false);
    expect(inForce(id as RuleId, from)).toBe(true);
    expect(notInForce([id as RuleId], dayBefore(from)).map((w) => w.value.rule)).toEqual([id]);
    expect(notInForce([id as RuleId], from)).toEqual([]);
  });
  it.each(Object.values(RULES).filter((r) => r.effectiveUntil).map((r) => [r.id, r.effectiveUntil!] as const))('%s: in force on its last day %s, not the day after', (id, until) => {
    expect(inForce(id as RuleId, until)).toBe(true);
    expect(inForce(id as RuleId, dayAfter(until))).toBe(false);
  });
  it('the dates the issue asked for: 经办条例 2023-12-01, 38号 2006-01-01, 17号 2014-07-01, 8号令 2001-01-01, 191号 2010-07-01, EU 2010-05-01', () => {
    expect([RULES['pension-seal-and-gather'], RULES['pension-formula'], RULES['employee-resident-conversion'], RULES['unemployment-cross-province'], RULES['medical-transfer'], RULES['eu-aggregation'], RULES['eu-pro-rata']].map((r) => r.effectiveFrom)).toEqual(['2023-12-01', '2006-01-01', '2014-07-01', '2001-01-01', '2010-07-01', '2010-05-01', '2010-05-01']);
  });
});
