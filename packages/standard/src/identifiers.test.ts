import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  checkCitizenId,
  checkUscc,
  citizenIdCheckChar,
  isPoolingRegionInForce,
  organizationCodeCheckChar,
  provinceOf,
  regionName,
  usccCheckChar,
} from './identifiers.ts';

const codes = (r: { problems: { code: string; severity: string }[] }) => r.problems.map((p) => `${p.severity}:${p.code}`);

/** Independent MOD 11-2 (ISO 7064): Σ a_i·2^(17−i) mod 11, check = (12 − Σ) mod 11, 10 → X. */
function iso7064(first17: string): string {
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * 2 ** (17 - i);
  const c = (12 - (s % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

describe('checkCitizenId (GB 11643)', () => {
  it('accepts the published sample and reads gender and birth date', () => {
    const r = checkCitizenId('11010519491231002X');
    expect(r.valid).toBe(true);
    expect(r.problems).toEqual([]);
    expect(r.birthDate).toBe('1949-12-31');
    expect(r.gender).toBe('F');
    expect(r.addressCode).toBe('110105');
  });

  it('rejects a wrong check character, naming the expected one', () => {
    const r = checkCitizenId('11010519491231002Y');
    expect(r.valid).toBe(false); // Y is not even a check character
    expect(codes(r)).toEqual(['error:format']);
    const r2 = checkCitizenId('110105194912310021');
    expect(codes(r2)).toEqual(['error:citizen-id-check']);
    expect(r2.problems[0].message.en).toContain('expected X');
    expect(r2.problems[0].message.zh).toContain('应为 X');
  });

  it('rejects impossible, pre-1900 and future birth dates', () => {
    const month13 = '11010519491331002';
    expect(codes(checkCitizenId(month13 + citizenIdCheckChar(month13)))).toEqual(['error:citizen-id-birth-date']);
    const feb29 = '11010519000229001'; // 1900 is not a leap year
    expect(codes(checkCitizenId(feb29 + citizenIdCheckChar(feb29)))).toEqual(['error:citizen-id-birth-date']);
    const leap = '11010520000229001';
    expect(checkCitizenId(leap + citizenIdCheckChar(leap)).birthDate).toBe('2000-02-29');
    const old = '11010518991231001';
    expect(codes(checkCitizenId(old + citizenIdCheckChar(old)))).toEqual(['error:citizen-id-birth-date']);
    const future = '11010520300101001';
    expect(codes(checkCitizenId(future + citizenIdCheckChar(future), { today: '2026-11-29' }))).toEqual(['error:citizen-id-birth-date']);
    expect(checkCitizenId(future + citizenIdCheckChar(future), { today: '2030-01-01' }).valid).toBe(true);
  });

  describe('without an explicit today: the date in China when asked', () => {
    afterEach(() => vi.useRealTimers());
    const born = '11010520300302001'; // born 2030-03-02
    const id = born + citizenIdCheckChar(born);
    it('turns at midnight UTC+08:00, also when the clock goes back', () => {
      vi.useFakeTimers();
      vi.setSystemTime(new Date('2030-03-01T15:59:59.999Z')); // 23:59:59.999 on 1 March in China
      expect(codes(checkCitizenId(id))).toEqual(['error:citizen-id-birth-date']);
      expect(checkCitizenId(id).problems[0].message.en).toContain('after today (2030-03-01)');
      vi.setSystemTime(new Date('2030-03-01T16:00:00.000Z')); // midnight, 2 March in China
      expect(checkCitizenId(id).valid).toBe(true);
      vi.setSystemTime(new Date('2030-03-02T15:59:59.999Z'));
      expect(checkCitizenId(id).valid).toBe(true);
      vi.setSystemTime(new Date('2030-02-28T12:00:00.000Z')); // back a few days
      expect(checkCitizenId(id).problems[0].message.en).toContain('after today (2030-02-28)');
    });
  });

  it('takes odd sequences as male', () => {
    const male = '11010519491231001';
    expect(checkCitizenId(male + citizenIdCheckChar(male)).gender).toBe('M');
  });

  it('only warns about an abolished address code (110103 崇文区, merged 2010)', () => {
    const base = '11010319650704003';
    const r = checkCitizenId(base + citizenIdCheckChar(base));
    expect(r.valid).toBe(true);
    expect(codes(r)).toEqual(['warning:region-unknown']);
  });

  it('agrees with an independent ISO 7064 MOD 11-2 computation', () => {
    for (let n = 0; n < 2000; n++) {
      const first17 = `3601${String(n % 100).padStart(2, '0')}19${String(50 + (n % 50)).padStart(2, '0')}0${1 + (n % 9)}1${n % 10}${String(n).padStart(3, '0')}`;
      expect(citizenIdCheckChar(first17)).toBe(iso7064(first17));
    }
  });

  it('rejects non-strings and lower-case x', () => {
    expect(checkCitizenId(11010519491231).valid).toBe(false);
    expect(checkCitizenId('11010519491231002x').valid).toBe(false);
  });
});

describe('checkUscc (GB 32100, GB 11714 inside)', () => {
  it('accepts a valid code', () => {
    const r = checkUscc('91350100M000100Y43');
    expect(r).toMatchObject({ valid: true, problems: [], registrationAuthority: '9', entityType: '1', regionCode: '350100', organizationCode: 'M000100Y4' });
  });

  it('rejects a wrong check character, naming the expected one', () => {
    const r = checkUscc('91350100M000100Y44');
    expect(codes(r)).toEqual(['error:uscc-check']);
    expect(r.problems[0].message.en).toContain('expected 3');
  });

  it('rejects an organisation code whose own check character is wrong even when the MOD 31 one fits', () => {
    const first17 = '91350100M000100Y5';
    const r = checkUscc(first17 + usccCheckChar(first17));
    expect(codes(r)).toEqual(['error:uscc-check']);
    expect(r.problems[0].message.en).toContain('organisation code');
  });

  it('positions 3–8 against GB/T 2260 (rule 2): no such province is an error, a code not in force a warning, 100000 national', () => {
    const make = (region: string) => {
      const body = `91${region}`;
      const org8 = 'MA000100';
      const first17 = body + org8 + organizationCodeCheckChar(org8);
      return first17 + usccCheckChar(first17);
    };
    expect(codes(checkUscc(make('350100')))).toEqual([]);
    expect(codes(checkUscc(make('990100')))).toEqual(['error:region-unknown']);
    expect(codes(checkUscc(make('359999')))).toEqual(['warning:region-unknown']);
    expect(checkUscc(make('359999')).valid).toBe(true);
    expect(codes(checkUscc(make('100000')))).toEqual([]);
  });

  it('rejects letters outside the GB 32100 set and letters in positions 3–8', () => {
    expect(codes(checkUscc('91350100M000100I43'))).toEqual(['error:format']);
    expect(codes(checkUscc('9135A100M000100Y43'))).toEqual(['error:format']);
  });

  it('accepts every employer code in the regional samples (both check characters)', () => {
    const samples = '../../../examples/samples/';
    const text = ['ln-jb-210100.txt', 'zj-csv-330100.csv', 'gd-xml-440300.xml', 'jx-fixed-360100.txt', 'expected.json']
      .map((f) => readFileSync(new URL(samples + f, import.meta.url), 'latin1'))
      .join('\n');
    const found = new Set(text.match(/\b9[0-9A-Z]{17}\b/g));
    expect(found.size).toBeGreaterThan(10);
    for (const code of found) expect(checkUscc(code).problems, code).toEqual([]);
  });

  it('computes the GB 11714 check character (X and 0 cases)', () => {
    // Σ = 0 → 11 → '0'
    expect(organizationCodeCheckChar('00000000')).toBe('0');
    // D2665500: 13·3+2·7+6·9+6·10+5·5+5·8+0·4+0·2 = 232, 232 mod 11 = 1 → 10 → X
    expect(organizationCodeCheckChar('D2665500')).toBe('X');
  });
});

describe('regions (GB/T 2260 in force)', () => {
  it('knows provinces, prefectures and counties, padded to six digits', () => {
    expect(isPoolingRegionInForce('110000')).toBe(true);
    expect(isPoolingRegionInForce('360100')).toBe(true);
    expect(isPoolingRegionInForce('230128')).toBe(true);
    expect(regionName('230128')).toBe('通河县');
    expect(regionName('360100')).toBe('南昌市');
    expect(regionName('441900')).toBe('东莞市');
  });

  it('refuses abolished and made-up codes', () => {
    expect(isPoolingRegionInForce('110103')).toBe(false);
    expect(isPoolingRegionInForce('999999')).toBe(false);
    expect(isPoolingRegionInForce('36')).toBe(false);
    expect(isPoolingRegionInForce(360100)).toBe(false);
  });

  it('gives the province prefix', () => {
    expect(provinceOf('360124')).toBe('36');
    expect(provinceOf('110000')).toBe('11');
    expect(provinceOf('990000')).toBeUndefined();
    expect(provinceOf('36')).toBeUndefined();
  });
});

describe('check characters catch every single-character substitution (property)', () => {
  it('GB 11643 MOD 11-2', async () => {
    const fc = (await import('fast-check')).default;
    const digit = fc.constantFrom(...'0123456789');
    fc.assert(
      fc.property(fc.array(digit, { minLength: 17, maxLength: 17 }), fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (digits, pos, delta) => {
        const first17 = digits.join('');
        const check = citizenIdCheckChar(first17);
        expect(check).toBe(iso7064(first17));
        const changed = first17.slice(0, pos) + String((Number(first17[pos]) + delta) % 10) + first17.slice(pos + 1);
        expect(citizenIdCheckChar(changed)).not.toBe(check);
      }),
      { numRuns: 2000 },
    );
  });

  it('GB 32100 MOD 31, and every valid code passes checkUscc', async () => {
    const fc = (await import('fast-check')).default;
    const chars = '0123456789ABCDEFGHJKLMNPQRTUWXY';
    const ch = fc.constantFrom(...chars);
    const body = fc.tuple(fc.array(ch, { minLength: 2, maxLength: 2 }), fc.constantFrom(...['110000', '350100', '360124', '230128', '440300', '330100', '210100', '100000'].map((c) => [...c])), fc.array(fc.constantFrom(...'0123456789ABCDEFGHJKLMNPQRTUWXY'), { minLength: 8, maxLength: 8 }));
    fc.assert(
      fc.property(body, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 30 }), ([head, region, org], pos, delta) => {
        const org8 = org.join('');
        const first17 = head.join('') + region.join('') + org8 + organizationCodeCheckChar(org8);
        const code = first17 + usccCheckChar(first17);
        expect(checkUscc(code).problems).toEqual([]);
        const replaced = chars[(chars.indexOf(first17[pos]) + delta) % 31];
        const changed = first17.slice(0, pos) + replaced + first17.slice(pos + 1);
        expect(usccCheckChar(changed)).not.toBe(code[17]);
      }),
      { numRuns: 2000 },
    );
  });
});
