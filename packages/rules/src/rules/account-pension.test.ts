import { describe, expect, it } from 'vitest';
import { accountDivisor, accountPensionFen, lifetimeValueFen } from './account-pension.ts';

describe('计发月数 (rule 12c) and the account pension (12a)', () => {
  it('whole ages from the annex: 139 at 60, 170 at 55, 195 at 50, 117 at 63, 152 at 58', () => {
    expect([60, 55, 50, 63, 58, 40, 70].map((y) => accountDivisor(y)?.text)).toEqual(['139', '170', '195', '117', '152', '233', '56']);
    expect(accountDivisor(39)).toBeNull();
    expect(accountDivisor(71)).toBeNull();
  });
  it('ages with months (2024 reform) interpolate between whole years, flagged UNCONFIRMED', () => {
    // 60y4m: 139 − 4/12 × (139 − 132) = 136.666… → shown 136.67
    const d = accountDivisor(60, 4)!;
    expect(d).toMatchObject({ twelfths: 139 * 12 - 4 * 7, text: '136.67', interpolated: true });
    expect(d.rules).toContain('pension-account-divisor-interpolated');
    // 100,000.00 yuan ÷ 136.666… = 731.71 yuan (10000000 × 12 / 1640 = 73170.73 → 73171)
    expect(accountPensionFen(10_000_000, d)).toBe(73171n);
    expect(accountDivisor(70, 1)).toBeNull();
  });
  it('balance ÷ divisor half-up; the lifetime value is the monthly amount × divisor', () => {
    const d = accountDivisor(60)!;
    expect(accountPensionFen(13_900_000, d)).toBe(100_000n);
    expect(accountPensionFen(13_900_069, d)).toBe(100_000n); // 100000.496…
    expect(accountPensionFen(13_900_070, d)).toBe(100_001n); // 100000.503…
    expect(lifetimeValueFen(250_000, d)).toBe(34_750_000n);
    expect(lifetimeValueFen(100_000, accountDivisor(60, 4)!)).toBe(13_666_667n);
  });
});
