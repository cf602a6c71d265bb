/**
 * Rule 9: temporary account (国办发〔2009〕66号 art. 5). A man aged 50 or more or
 * a woman aged 40 or more on the move date who moves across provinces to a
 * province that is not the hukou province does not transfer: the relationship
 * stays at the old place, the new place opens a 临时基本养老保险缴费账户 recording
 * all contributions, which moves at the next move or at benefit time.
 */
import { ageOn, provinceOf } from '../person.ts';
import type { RuleId } from '../sources.ts';

export const TEMPORARY_ACCOUNT_AGE = { M: 50, F: 40 } as const;

export interface TemporaryAccountDecision {
  /** True: temporary account, nothing moves. Null: the hukou is unknown, so it cannot be decided. */
  applies: boolean | null;
  age: number;
  threshold: number;
  crossProvince: boolean;
  toHukouProvince: boolean | null;
  reason: { zh: string; en: string };
  rule: RuleId;
}

export function temporaryAccount(input: { birthDate: string; gender: 'M' | 'F'; hukouRegion: string | null; fromRegion: string; toRegion: string; moveDate: string }): TemporaryAccountDecision {
  const age = ageOn(input.birthDate, input.moveDate);
  const threshold = TEMPORARY_ACCOUNT_AGE[input.gender];
  const crossProvince = provinceOf(input.fromRegion) !== provinceOf(input.toRegion);
  const toHukouProvince = input.hukouRegion === null ? null : provinceOf(input.hukouRegion) === provinceOf(input.toRegion);
  const rule: RuleId = 'pension-temporary-account';
  const who = input.gender === 'M' ? { zh: '男性', en: 'a man' } : { zh: '女性', en: 'a woman' };
  if (!crossProvince) return { applies: false, age, threshold, crossProvince, toHukouProvince, rule, reason: { zh: '省内流动，不适用临时账户', en: 'a move within one province: no temporary account' } };
  if (age < threshold) return { applies: false, age, threshold, crossProvince, toHukouProvince, rule, reason: { zh: `${who.zh}转移时 ${age} 周岁，未满 ${threshold} 周岁`, en: `${who.en} aged ${age} on the move date, under ${threshold}` } };
  if (toHukouProvince === null) return { applies: null, age, threshold, crossProvince, toHukouProvince, rule, reason: { zh: `已满 ${threshold} 周岁，但户籍地未知，无法判断是否转入户籍省`, en: `aged ${threshold} or more, but the hukou is unknown: cannot tell whether the move is to the hukou province` } };
  if (toHukouProvince) return { applies: false, age, threshold, crossProvince, toHukouProvince, rule, reason: { zh: '转入户籍所在省，正常转移', en: 'moving to the hukou province: a normal transfer' } };
  return {
    applies: true, age, threshold, crossProvince, toHukouProvince, rule,
    reason: { zh: `${who.zh}转移时 ${age} 周岁（≥ ${threshold}），转入非户籍省：建立临时基本养老保险缴费账户，关系和资金不转移`, en: `${who.en} aged ${age} (≥ ${threshold}) moving to a province other than the hukou province: a temporary contribution account is opened; neither relationship nor funds move` },
  };
}
