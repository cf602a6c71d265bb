/**
 * Rule 10: the benefit place (待遇领取地), by province (国办发〔2009〕66号 art. 6;
 * 人社部规〔2016〕5号 §1 — "a place" is a province and its years include years
 * deemed paid there):
 *   (a) relationship in the hukou province → hukou place;
 *   (b) else ≥ 10 years where the relationship is → there;
 *   (c) else the previous province with ≥ 10 years;
 *   (d) no province with ≥ 10 years → the hukou place.
 */
import type { RuleId } from '../sources.ts';

export type BenefitRule = 'hukou-relationship' | 'current-10y' | 'previous-10y' | 'hukou-fallback';

export const TEN_YEARS = 120;

export interface ProvinceYears {
  province: string;
  /** Months paid there plus months deemed paid there. */
  months: number;
}

export interface BenefitPlace {
  /** Null only when the hukou is needed and unknown. */
  province: string | null;
  rule: BenefitRule;
  ruleId: RuleId;
}

/** `provinces` is ordered with the province holding the relationship first, then the earlier ones, most recent first. */
export function benefitPlace(provinces: readonly ProvinceYears[], hukouProvince: string | null): BenefitPlace {
  const ruleId: RuleId = 'pension-benefit-place';
  const current = provinces[0];
  if (current && hukouProvince !== null && current.province === hukouProvince) return { province: hukouProvince, rule: 'hukou-relationship', ruleId };
  if (current && current.months >= TEN_YEARS) return { province: current.province, rule: 'current-10y', ruleId };
  const previous = provinces.slice(1).find((p) => p.months >= TEN_YEARS);
  if (previous) return { province: previous.province, rule: 'previous-10y', ruleId };
  return { province: hukouProvince, rule: 'hukou-fallback', ruleId };
}
