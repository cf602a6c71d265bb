/**
 * Rule 13: seal and gather (社会保险经办条例 2023 arts. 12, 16; the report's
 * recommendation): the old place seals the relationship and the individual
 * account, which keeps earning interest at the crediting rate (记账利率); at
 * benefit time the benefit place gathers every sealed place's account, with
 * interest to the benefit date, and the pooled fund of 66号 art. 4 (12% of the
 * bases from 1998-01, which earns no interest). The crediting rates are inputs
 * (the project ships none it cannot source): annual rates as decimal strings by
 * year. Interest is credited once a year on the year-end balance, rounded
 * half-up to the fen each year, and for the benefit year pro rata by whole
 * months elapsed (the modelling choice is stated in the result).
 */
import type { RuleId } from '../sources.ts';

/** A rate such as "0.0612" as an exact fraction. */
export function parseRate(text: string): { num: bigint; den: bigint } {
  const m = /^(\d+)(?:\.(\d{1,8}))?$/.exec(text);
  if (!m) throw new RangeError(`not a decimal rate: ${text}`);
  const frac = m[2] ?? '';
  return { num: BigInt(m[1] + frac), den: 10n ** BigInt(frac.length) };
}

export interface SealedPlace {
  province: string;
  /** Account balance at the year-end of `balanceYear`, fen. */
  accountFen: number;
  balanceYear: number;
  /** 12% pooled fund of the place (66号 art. 4), fen. */
  pooledFundFen: number;
}

export interface GatheredPlace extends SealedPlace {
  interestFen: bigint;
  /** Account with interest + pooled fund, fen. */
  gatheredFen: bigint;
  /** Years whose rate was missing: no interest credited for them. */
  missingRateYears: number[];
}

export interface Gathering {
  benefitDate: string;
  places: GatheredPlace[];
  totalFen: bigint;
  method: { zh: string; en: string };
  rules: RuleId[];
}

export function sealAndGather(places: readonly SealedPlace[], benefitDate: string, ratesByYear: Readonly<Record<string, string>>): Gathering {
  const benefitYear = Number(benefitDate.slice(0, 4));
  const monthsInBenefitYear = Number(benefitDate.slice(5, 7)) - 1;
  const out: GatheredPlace[] = [];
  let total = 0n;
  for (const p of places) {
    let balance = BigInt(p.accountFen);
    const missing: number[] = [];
    for (let y = p.balanceYear + 1; y <= benefitYear; y++) {
      const text = ratesByYear[String(y)];
      if (text === undefined) {
        missing.push(y);
        continue;
      }
      const r = parseRate(text);
      const months = y < benefitYear ? 12n : BigInt(monthsInBenefitYear);
      const num = balance * r.num * months;
      const den = r.den * 12n;
      balance += (num * 2n + den) / (2n * den);
    }
    const interestFen = balance - BigInt(p.accountFen);
    const gatheredFen = balance + BigInt(p.pooledFundFen);
    total += gatheredFen;
    out.push({ ...p, interestFen, gatheredFen, missingRateYears: missing });
  }
  return {
    benefitDate,
    places: out,
    totalFen: total,
    method: {
      zh: '封存账户每年按记账利率计息（年末余额×利率，逐年四舍五入到分），领取当年按已过整月数折算；统筹基金按66号第四条12%归集，不计息',
      en: 'sealed accounts credited yearly at the crediting rate (year-end balance × rate, half-up to the fen each year), the benefit year pro rata by whole months elapsed; the pooled fund gathered as 66号 art. 4 (12%), without interest',
    },
    rules: ['pension-seal-and-gather'],
  };
}
