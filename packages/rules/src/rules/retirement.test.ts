import { describe, expect, it } from 'vitest';
import { minimumCheck, minimumContributionMonths, statutoryRetirement } from './retirement.ts';

describe('statutory retirement age (2024 办法 art. 1, from 2025-01-01)', () => {
  it('a man whose 60th birthday falls before 2025-01 retires at 60, one whose falls in 2025-01 at 60 and one month', () => {
    expect(statutoryRetirement('1964-12-15', 'male')).toMatchObject({ ageMonths: 720, delayMonths: 0, date: '2024-12-15', rules: [] });
    expect(statutoryRetirement('1965-01-15', 'male')).toMatchObject({ ageMonths: 721, delayMonths: 1, date: '2025-02-15', rules: ['retirement-age-2025'] });
    expect(statutoryRetirement('1965-04-30', 'male').delayMonths).toBe(1);
    expect(statutoryRetirement('1965-05-01', 'male').delayMonths).toBe(2);
  });
  it('reaches 63, 58 and 55 and stays there', () => {
    expect(statutoryRetirement('1976-08-01', 'male').ageMonths).toBe(755);
    expect(statutoryRetirement('1976-09-01', 'male')).toMatchObject({ ageMonths: 756, date: '2039-09-01' });
    expect(statutoryRetirement('1990-01-01', 'male').ageMonths).toBe(756);
    expect(statutoryRetirement('1981-09-01', 'female-55')).toMatchObject({ ageMonths: 696, date: '2039-09-01' });
    expect(statutoryRetirement('1975-01-10', 'female-50')).toMatchObject({ ageMonths: 601, date: '2025-02-10' });
    expect(statutoryRetirement('1975-03-10', 'female-50').ageMonths).toBe(602);
    expect(statutoryRetirement('1984-11-01', 'female-50')).toMatchObject({ ageMonths: 660, date: '2039-11-01' });
    expect(statutoryRetirement('1974-12-31', 'female-50')).toMatchObject({ ageMonths: 600, date: '2024-12-31' });
  });
  it('clamps the day of a short month', () => {
    expect(statutoryRetirement('1965-01-31', 'male').date).toBe('2025-02-28');
  });
});

describe('minimum contribution period (社会保险法 art. 16; 2024 办法 art. 2 from 2030-01-01)', () => {
  it('is 15 years up to 2029-12-31 and 15.5 from 2030-01-01, 20 from 2039', () => {
    expect(minimumContributionMonths('2029-12-31')).toEqual({ months: 180, rule: 'pension-minimum-years' });
    expect(minimumContributionMonths('2030-01-01')).toEqual({ months: 186, rule: 'pension-minimum-years-2030' });
    expect(minimumContributionMonths('2031-06-01').months).toBe(192);
    expect(minimumContributionMonths('2038-12-31').months).toBe(234);
    expect(minimumContributionMonths('2039-01-01').months).toBe(240);
    expect(minimumContributionMonths('2050-01-01').months).toBe(240);
  });
  it('gives a woman without a category both answers, and one with it one', () => {
    const both = minimumCheck({ birthDate: '1980-06-01', gender: 'F', paidMonths: 170, asOf: '2026-11-29' });
    expect(both.map((a) => a.category)).toEqual(['female-50', 'female-55']);
    // female-50: original 2030-06, delay floor(65/2)+1 = 33 → 52y9m, 2033-03 → 15 + 4×0.5 = 17 years
    expect(both[0]).toMatchObject({ retirementDate: '2033-03-01', retirementAge: { years: 52, months: 9 }, requiredMonths: 204, shortfallMonths: 34, reached: false });
    // female-55: original 2035-06, delay min(36, floor(125/4)+1 = 32) → 57y8m, 2038-02 → 19.5 years
    expect(both[1]).toMatchObject({ retirementDate: '2038-02-01', requiredMonths: 234 });
    expect(minimumCheck({ birthDate: '1980-06-01', gender: 'F', femaleCategory: 'female-55', paidMonths: 300, asOf: '2026-11-29' })).toHaveLength(1);
  });
});
