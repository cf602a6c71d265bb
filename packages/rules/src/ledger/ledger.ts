/**
 * The regional ledger (issue 12): what each province sends, receives, keeps and
 * owes for a population's pension (110) records, under two regimes side by side.
 *
 * transfer-2009 — the 2009 rules as they stand (国办发〔2009〕66号): at each
 *   cross-province move the old province sends the individual account (the
 *   individual contributions of the spell) and the pooled fund (12% of the
 *   bases from 1998-01, art. 4), and forwards what it had received for the
 *   person; it keeps the rest of the employer contributions, with interest. The
 *   benefit province (rule 10) holds everything at the end and pays the full
 *   pension (国发〔2005〕38号, with its own average wage).
 * seal-pro-rata — nothing moves (the report's recommendation, 883/2004 art. 52):
 *   every province keeps all it collected, with interest, and pays its share:
 *   the higher of the national amount (its own months, if they reach the
 *   minimum) and the pro-rata amount (theoretical amount as if all periods had
 *   been completed there × own months ÷ all months), plus the account pension
 *   of its sealed account.
 *
 * Stated approximations (docs/ledger.md): a pension's value is its monthly
 * amount × the 计发月数 of the retirement age (国发〔2005〕38号); every pension is
 * valued with the average wages of the inputs' valuation year; interest runs at
 * the crediting rates to the valuation year, none after it and none on funds in
 * transit; the account is the sum of the individual contributions (exported
 * balances mix spells and interest); a person short of the minimum gets no
 * monthly pension in either regime (not valued); every cross-province move
 * transfers (temporary accounts, rule 9, gather to the same benefit place).
 */
import { mergeRecords } from '../merge.ts';
import { monthIndex, POOLED_FUND_FROM } from '../month.ts';
import { factsFromCitizenId, provinceOf } from '../person.ts';
import { counts, type ContributionRecord } from '../record.ts';
import { benefitPlace } from '../rules/benefit-place.ts';
import { minimumContributionMonths, statutoryRetirement } from '../rules/retirement.ts';
import { accountDivisor, lifetimeValueFen, type Divisor } from '../rules/account-pension.ts';
import { parseRate } from '../rules/seal-and-gather.ts';
import type { RuleId } from '../sources.ts';
import { wageOf, type LedgerInputs } from './inputs.ts';

export const REGIMES = ['transfer-2009', 'seal-pro-rata'] as const;
export type Regime = (typeof REGIMES)[number];

export interface Figures {
  sentFen: bigint;
  receivedFen: bigint;
  /** Of what was received, the part sent on to the next province. */
  forwardedFen: bigint;
  keptFen: bigint;
  /** Monthly pensions taken on, fen. */
  monthlyLiabilityFen: bigint;
  /** Their value over the 计发月数. */
  liabilityFen: bigint;
  transfersIn: number;
  transfersOut: number;
  pensioners: number;
}

const zero = (): Figures => ({ sentFen: 0n, receivedFen: 0n, forwardedFen: 0n, keptFen: 0n, monthlyLiabilityFen: 0n, liabilityFen: 0n, transfersIn: 0, transfersOut: 0, pensioners: 0 });

/** net = kept + received − forwarded − liability. */
export function netOf(f: Figures): bigint {
  return f.keptFen + f.receivedFen - f.forwardedFen - f.liabilityFen;
}

export interface ProvinceLedger {
  total: Figures;
  byYear: Map<number, Figures>;
}

/** One move of funds under the 2009 rules. */
export interface Flow {
  from: string;
  to: string;
  year: number;
  fen: bigint;
}

export interface PersonOutcome {
  person: string;
  /** Not counted: why. */
  skipped?: { zh: string; en: string };
  benefitProvince?: string | null;
  months?: number;
  pension?: boolean;
}

/** Which inputs a result used. */
export interface InputsUsed {
  valuationYear: number;
  /** Province → 'province' (its own series) or 'default' (some year came from the default series). */
  averageWages: Record<string, 'province' | 'default' | 'mixed'>;
  /** Years a crediting rate was needed for and missing (treated as 0). */
  missingRateYears: number[];
  /** Years a wage was needed for and missing in both series (those months not indexed). */
  missingWageYears: string[];
  femaleCategory: 'female-50' | 'female-55';
  sources: string[];
}

export interface LedgerState {
  regimes: Record<Regime, Map<string, ProvinceLedger>>;
  flows: Map<string, bigint>;
  people: number;
  skipped: number;
  rules: RuleId[];
  wages: Array<[string, Array<'province' | 'default'>]>;
  missingRates: number[];
  missingWages: string[];
}

interface Spell {
  province: string;
  /** Year → sums of the spell's months, fen. */
  years: Map<number, { base: number; base1998: number; employer: number; individual: number; months: number }>;
  months: number;
  firstMonth: number;
}

/** The first year a crediting rate can be given (the inputs schema): earlier contributions earn interest from it on. */
const FIRST_RATE_YEAR = 1998;

export class Ledger {
  readonly regimes: Record<Regime, Map<string, ProvinceLedger>> = { 'transfer-2009': new Map(), 'seal-pro-rata': new Map() };
  readonly flows = new Map<string, bigint>();
  people = 0;
  skipped = 0;
  private readonly growth = new Map<number, bigint>();
  private readonly den: bigint;
  private readonly span: number;
  /** 10^(the most decimals of any rate): each growth factor is an integer over it. */
  private readonly unit: bigint;
  private readonly used: { wages: Map<string, Set<'province' | 'default'>>; missingRates: Set<number>; missingWages: Set<string> } = { wages: new Map(), missingRates: new Set(), missingWages: new Set() };
  readonly rules = new Set<RuleId>(['pension-pooled-fund', 'pension-individual-account', 'pension-benefit-place', 'pension-formula', 'pension-account-divisor', 'eu-aggregation', 'eu-pro-rata']);

  constructor(readonly inputs: LedgerInputs) {
    const digits = Math.max(1, ...Object.values(inputs.creditingRates.byYear).map((r) => (r.split('.')[1] ?? '').length));
    this.unit = 10n ** BigInt(digits);
    this.span = Math.max(0, inputs.valuationYear - FIRST_RATE_YEAR + 1);
    this.den = this.unit ** BigInt(this.span);
  }

  /** Π (1 + r_t) for t = year+1 … valuation year, × den (an integer: each factor has denominator 10^8). */
  private growthOf(year: number): bigint {
    const V = this.inputs.valuationYear;
    let g = this.growth.get(year);
    if (g !== undefined) return g;
    if (year >= V) g = this.den;
    else if (year + 1 < FIRST_RATE_YEAR) g = this.growthOf(FIRST_RATE_YEAR - 1);
    else {
      const rate = this.inputs.creditingRates.byYear[String(year + 1)];
      let factor = this.unit;
      if (rate === undefined) this.used.missingRates.add(year + 1);
      else {
        const r = parseRate(rate);
        factor = this.unit + (r.num * this.unit) / r.den;
      }
      // growth(year) = (1 + r_{year+1}) × growth(year+1): exact while at most `span` factors are taken
      g = (this.growthOf(year + 1) * factor) / this.unit;
    }
    this.growth.set(year, g);
    return g;
  }

  private wage(province: string, year: number): number | null {
    const w = wageOf(this.inputs, province, year);
    if (!w) {
      this.used.missingWages.add(`${province}:${year}`);
      return null;
    }
    const set = this.used.wages.get(province) ?? new Set();
    set.add(w.from);
    this.used.wages.set(province, set);
    return w.fen;
  }

  private figures(regime: Regime, province: string, year: number): [Figures, Figures] {
    let p = this.regimes[regime].get(province);
    if (!p) {
      p = { total: zero(), byYear: new Map() };
      this.regimes[regime].set(province, p);
    }
    let y = p.byYear.get(year);
    if (!y) {
      y = zero();
      p.byYear.set(year, y);
    }
    return [p.total, y];
  }

  private add(regime: Regime, province: string, year: number, key: keyof Figures, amount: bigint | number): void {
    for (const f of this.figures(regime, province, year)) (f[key] as bigint | number) = typeof amount === 'bigint' ? (f[key] as bigint) + amount : (f[key] as number) + amount;
  }

  /** Value at the valuation year of yearly amounts (fen × 100 per year: hundredths), half-up once. */
  private valued(hundredthsByYear: Iterable<[number, bigint]>): bigint {
    let num = 0n;
    for (const [year, h] of hundredthsByYear) num += h * this.growthOf(year);
    const den = 100n * this.den;
    return num >= 0n ? (num * 2n + den) / (2n * den) : -((-num * 2n + den) / (2n * den));
  }

  /** Adds one person (all their records, any schemes: only 110 counts). */
  addPerson(records: readonly ContributionRecord[]): PersonOutcome {
    const person = records[0]?.person.id ?? '';
    this.people += 1;
    const pension = records.filter((r) => r.scheme === '110');
    const skip = (zh: string, en: string): PersonOutcome => {
      this.skipped += 1;
      return { person, skipped: { zh, en } };
    };
    if (pension.length === 0) return skip('无企业职工养老保险（110）记录', 'no pension (110) records');
    const merged = mergeRecords(pension);
    if (merged.issues.some((i) => i.severity === 'error' || i.severity === 'fatal')) return skip('各输入对同一月份不一致', 'the inputs disagree about a month');
    // One contribution per month: the region whose relationship continues latest keeps a duplicate month (rule 12).
    const regions = merged.records
      .map((r) => ({ r, months: r.contributions.filter(counts) }))
      .filter((x) => x.months.length)
      .map((x) => ({ ...x, last: monthIndex(x.months[x.months.length - 1].month) }))
      .sort((a, b) => b.last - a.last || (a.r.region < b.r.region ? -1 : 1));
    const byMonth = new Map<number, { province: string; c: ContributionRecord['contributions'][number] }>();
    for (const { r, months } of regions) for (const c of months) {
      const m = monthIndex(c.month);
      if (!byMonth.has(m)) byMonth.set(m, { province: provinceOf(r.region), c });
    }
    if (byMonth.size === 0) return skip('没有实缴月份', 'no paid months');
    // Spells: runs of one province in month order.
    const spells: Spell[] = [];
    for (const m of [...byMonth.keys()].sort((a, b) => a - b)) {
      const { province, c } = byMonth.get(m)!;
      let s = spells[spells.length - 1];
      if (!s || s.province !== province) {
        s = { province, years: new Map(), months: 0, firstMonth: m };
        spells.push(s);
      }
      const year = Math.floor(m / 12);
      const y = s.years.get(year) ?? { base: 0, base1998: 0, employer: 0, individual: 0, months: 0 };
      y.base += c.baseFen;
      if (m >= POOLED_FUND_FROM) y.base1998 += c.baseFen;
      y.employer += c.employerFen;
      y.individual += c.individualFen;
      y.months += 1;
      s.years.set(year, y);
      s.months += 1;
    }
    const hukouCode = merged.records.find((r) => r.person.hukouRegion)?.person.hukouRegion ?? factsFromCitizenId(person)?.addressCode ?? null;
    const hukou = hukouCode ? provinceOf(hukouCode) : null;
    const monthsBy = new Map<string, number>();
    const lastBy = new Map<string, number>();
    for (const s of spells) {
      monthsBy.set(s.province, (monthsBy.get(s.province) ?? 0) + s.months);
      lastBy.set(s.province, s.firstMonth + s.months);
    }
    const order = [...monthsBy.keys()].sort((a, b) => lastBy.get(b)! - lastBy.get(a)! || (a < b ? -1 : 1));
    const place = benefitPlace(order.map((p) => ({ province: p, months: monthsBy.get(p)! })), hukou);
    const benefit = place.province ?? spells[spells.length - 1].province;
    const facts = factsFromCitizenId(person);
    const birthDate = merged.records.find((r) => r.person.birthDate)?.person.birthDate ?? facts?.birthDate;
    const gender = merged.records.find((r) => r.person.gender)?.person.gender ?? facts?.gender;
    if (!birthDate || !gender) return skip('缺出生日期或性别', 'birth date or gender unknown');
    const retirement = statutoryRetirement(birthDate, gender === 'M' ? 'male' : (this.inputs.femaleCategory ?? 'female-50'));
    const retirementYear = Number(retirement.date.slice(0, 4));
    const divisor = accountDivisor(Math.floor(retirement.ageMonths / 12), retirement.ageMonths % 12);
    if (divisor?.interpolated) this.rules.add('pension-account-divisor-interpolated');
    const totalMonths = byMonth.size;
    const entitled = totalMonths >= minimumContributionMonths(retirement.date).months && divisor !== null;

    // ---- transfer-2009: funds move along the spells, pass-through, to the benefit province.
    let carried = 0n; // what the current holder received for this person (forwarded on the next move)
    for (let i = 0; i < spells.length; i++) {
      const s = spells[i];
      const next = i + 1 < spells.length ? spells[i + 1].province : benefit === s.province ? null : benefit;
      const moveYear = i + 1 < spells.length ? Math.floor(spells[i + 1].firstMonth / 12) : retirementYear;
      if (next === null) {
        // the final holder keeps everything of its spell, with interest
        this.keep('transfer-2009', s, true);
        continue;
      }
      let base1998 = 0;
      let individual = 0;
      for (const y of s.years.values()) {
        base1998 += y.base1998;
        individual += y.individual;
      }
      const pooled = (BigInt(base1998) * 12n + 50n) / 100n;
      const own = pooled + BigInt(individual);
      // kept: employer − 12% of the 1998+ bases, year by year, valued with interest
      this.keepTransferred(s);
      const sent = own + carried;
      this.add('transfer-2009', s.province, moveYear, 'sentFen', sent);
      this.add('transfer-2009', s.province, moveYear, 'forwardedFen', carried);
      this.add('transfer-2009', s.province, moveYear, 'transfersOut', 1);
      this.add('transfer-2009', next, moveYear, 'receivedFen', sent);
      this.add('transfer-2009', next, moveYear, 'transfersIn', 1);
      const key = `${s.province}>${next}`;
      this.flows.set(key, (this.flows.get(key) ?? 0n) + sent);
      carried = sent;
    }

    // ---- seal-pro-rata: everyone keeps everything, with interest.
    for (const s of spells) this.keep('seal-pro-rata', s, true);

    if (!entitled) return { person, benefitProvince: benefit, months: totalMonths, pension: false };

    // Indexing: each month against the average wage of its province and year (micro-units, half-up per province-year).
    const idxByProvince = new Map<string, { micro: bigint; months: number }>();
    for (const s of spells) for (const [year, y] of s.years) {
      const w = this.wage(s.province, year);
      if (w === null) continue;
      const e = idxByProvince.get(s.province) ?? { micro: 0n, months: 0 };
      e.micro += (BigInt(y.base) * 2_000_000n + BigInt(w)) / (2n * BigInt(w));
      e.months += y.months;
      idxByProvince.set(s.province, e);
    }
    let idxAll = 0n;
    let idxMonths = 0;
    for (const e of idxByProvince.values()) {
      idxAll += e.micro;
      idxMonths += e.months;
    }
    const V = this.inputs.valuationYear;
    const basic = (province: string, counted: number, micro: bigint, n: number): bigint => {
      const W = this.wage(province, V);
      if (W === null || n === 0) return 0n;
      const num = BigInt(W) * (BigInt(n) * 1_000_000n + micro) * BigInt(counted);
      const den = BigInt(n) * 1_000_000n * 2400n;
      return (num * 2n + den) / (2n * den);
    };
    const accountValue = (list: readonly Spell[]): bigint => this.valued(list.flatMap((s) => [...s.years].map(([y, v]) => [y, BigInt(v.individual) * 100n] as [number, bigint])));
    const accountPension = (value: bigint, d: Divisor): bigint => (value * 12n * 2n + BigInt(d.twelfths)) / (2n * BigInt(d.twelfths));

    // 2009: the benefit province pays the full pension.
    const monthly2009 = basic(benefit, totalMonths, idxAll, idxMonths) + accountPension(accountValue(spells), divisor!);
    this.add('transfer-2009', benefit, retirementYear, 'monthlyLiabilityFen', monthly2009);
    this.add('transfer-2009', benefit, retirementYear, 'liabilityFen', lifetimeValueFen(monthly2009, divisor!));
    this.add('transfer-2009', benefit, retirementYear, 'pensioners', 1);

    // seal-pro-rata: every province its share, the higher of national and pro-rata, plus its sealed account's pension.
    const minimum = minimumContributionMonths(retirement.date).months;
    for (const province of order) {
      const own = monthsBy.get(province)!;
      const theoretical = basic(province, totalMonths, idxAll, idxMonths);
      const proRata = (theoretical * BigInt(own) * 2n + BigInt(totalMonths)) / (2n * BigInt(totalMonths));
      const ownIdx = idxByProvince.get(province);
      const national = own >= minimum && ownIdx ? basic(province, own, ownIdx.micro, ownIdx.months) : 0n;
      const payable = national > proRata ? national : proRata;
      const monthly = payable + accountPension(accountValue(spells.filter((s) => s.province === province)), divisor!);
      this.add('seal-pro-rata', province, retirementYear, 'monthlyLiabilityFen', monthly);
      this.add('seal-pro-rata', province, retirementYear, 'liabilityFen', lifetimeValueFen(monthly, divisor!));
      this.add('seal-pro-rata', province, retirementYear, 'pensioners', 1);
    }
    return { person, benefitProvince: benefit, months: totalMonths, pension: true };
  }

  /** Keeps a spell's contributions (employer, and the individual part when `all`), with interest, by contribution year. */
  private keep(regime: Regime, s: Spell, all: boolean): void {
    for (const [year, y] of s.years) {
      const h = (BigInt(y.employer) + (all ? BigInt(y.individual) : 0n)) * 100n;
      this.add(regime, s.province, year, 'keptFen', this.valued([[year, h]]));
    }
  }

  /** Keeps employer − 12% of the 1998+ bases of a transferred spell, year by year, with interest (half-up per year). */
  private keepTransferred(s: Spell): void {
    for (const [year, y] of s.years) this.add('transfer-2009', s.province, year, 'keptFen', this.valued([[year, BigInt(y.employer) * 100n - BigInt(y.base1998) * 12n]]));
  }

  /** The ledger's state as plain data (structured-clone safe: Maps and BigInts), to merge across worker threads. */
  state(): LedgerState {
    return { regimes: this.regimes, flows: this.flows, people: this.people, skipped: this.skipped, rules: [...this.rules], wages: [...this.used.wages].map(([p, s]) => [p, [...s]]), missingRates: [...this.used.missingRates], missingWages: [...this.used.missingWages] };
  }

  /** Adds another ledger's state (from a worker) to this one: every figure is a sum. */
  merge(other: LedgerState): void {
    this.people += other.people;
    this.skipped += other.skipped;
    for (const id of other.rules) this.rules.add(id);
    for (const [p, list] of other.wages) {
      const set = this.used.wages.get(p) ?? new Set();
      for (const x of list) set.add(x);
      this.used.wages.set(p, set);
    }
    for (const y of other.missingRates) this.used.missingRates.add(y);
    for (const w of other.missingWages) this.used.missingWages.add(w);
    for (const [k, fen] of other.flows) this.flows.set(k, (this.flows.get(k) ?? 0n) + fen);
    for (const regime of REGIMES) {
      for (const [province, l] of other.regimes[regime]) {
        for (const [year, f] of l.byYear) {
          for (const key of Object.keys(f) as Array<keyof Figures>) {
            const v = f[key];
            if (v !== 0 && v !== 0n) this.add(regime, province, year, key, v);
            else this.figures(regime, province, year);
          }
        }
      }
    }
  }

  inputsUsed(): InputsUsed {
    const averageWages: InputsUsed['averageWages'] = {};
    for (const [p, set] of [...this.used.wages].sort()) averageWages[p] = set.size > 1 ? 'mixed' : [...set][0];
    return {
      valuationYear: this.inputs.valuationYear,
      averageWages,
      missingRateYears: [...this.used.missingRates].sort(),
      missingWageYears: [...this.used.missingWages].sort(),
      femaleCategory: this.inputs.femaleCategory ?? 'female-50',
      sources: [this.inputs.averageWages.source, this.inputs.creditingRates.source],
    };
  }
}
