/**
 * A synthetic population calibrated to the report's tables (background/,
 * 张盈华, 完善中国流动人口参保机制): careers as canonical pension (110) records
 * whose origins, destinations and return moves follow
 *   table 3 (2010 census: the five largest inflow provinces and their totals;
 *            the five largest outflow provinces, their totals and the share
 *            going to their five main destinations),
 *   table 5 (2017: migrant workers leaving home by region, and the share of
 *            them crossing provinces),
 *   table 7 (2010: where Jiangxi's cross-province migrants went, all 30),
 *   table 8 (Jiangxi 2010–2018Q3: 353,434 transfers in, 169,971 out — the
 *            return-move probability is set to approach its in/out ratio).
 * What the tables do not give is a named parameter (PARAMETERS, each with where
 * it comes from, "assumption" when nowhere). Seeded: the same seed and size give
 * the same records, byte for byte.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { citizenIdCheckChar } from '@jiexu/standard';
import { monthIndex, monthString } from '../month.ts';
import type { ContributionRecord } from '../record.ts';
import { wageOf, type LedgerInputs } from './inputs.ts';

export const REGION_OF: Record<string, 'east' | 'central' | 'west' | 'northeast'> = {};
for (const p of ['11', '12', '13', '31', '32', '33', '35', '37', '44', '46']) REGION_OF[p] = 'east';
for (const p of ['14', '34', '36', '41', '42', '43']) REGION_OF[p] = 'central';
for (const p of ['15', '45', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65']) REGION_OF[p] = 'west';
for (const p of ['21', '22', '23']) REGION_OF[p] = 'northeast';
const PROVINCES = Object.keys(REGION_OF).sort();

/** Table 7: Jiangxi's cross-province migrants by destination, 2010 (persons). */
export const JIANGXI_DESTINATIONS: Record<string, number> = {
  '44': 1871182, '33': 1529896, '35': 948654, '31': 487192, '32': 264814, '11': 141197,
  '43': 71968, '42': 57905, '34': 39952, '45': 39719, '53': 36306, '12': 33762,
  '51': 32048, '37': 31113, '46': 29470, '52': 22008, '13': 20274, '41': 19261,
  '61': 17769, '50': 15784, '15': 14863, '21': 13284, '14': 11886, '65': 9863,
  '62': 7144, '23': 7041, '22': 5034, '63': 3564, '64': 3399, '54': 1043,
};

/** Table 3, inflow: total cross-province inflow of the five largest, millions (2010); the rest of 85.87 spread evenly. */
export const TABLE3_INFLOW: Record<string, number> = { '44': 21.5, '33': 11.82, '31': 8.98, '32': 7.38, '11': 7.04 };
export const TABLE3_TOTAL = 85.87;
/** Table 3, outflow: total, share to the five main destinations, and those destinations. */
export const TABLE3_OUTFLOW: Record<string, { total: number; topShare: number; top: string[] }> = {
  '34': { total: 9.62, topShare: 0.87, top: ['31', '32', '33', '44', '11'] },
  '41': { total: 8.63, topShare: 0.67, top: ['44', '33', '32', '11', '31'] },
  '43': { total: 7.23, topShare: 0.83, top: ['33', '44', '35', '31', '32'] },
  '42': { total: 5.89, topShare: 0.74, top: ['44', '33', '31', '32', '35'] },
  '51': { total: 8.91, topShare: 0.67, top: ['44', '33', '35', '32', '31'] },
};
/** Table 5 (2017, millions): migrant workers leaving home by region, and those crossing provinces. */
export const TABLE5 = {
  east: { total: 47.14, cross: 8.26 },
  central: { total: 63.92, cross: 39.18 },
  west: { total: 54.7, cross: 27.87 },
  northeast: { total: 6.09, cross: 1.44 },
} as const;

export interface PopulationParameters {
  seed: number;
  people: number;
  /** First and last month of the records. */
  from: string;
  to: string;
  /** Probability that a cross-province migrant comes home before the end of the records. */
  returnProbability: number;
  /** Probability of a second cross-province move (to another destination). */
  secondMoveProbability: number;
  /** Probability that a migrant first contributes at home before leaving. */
  homeSpellProbability: number;
}

export const DEFAULTS: Omit<PopulationParameters, 'seed' | 'people'> = { from: '1998-01', to: '2018-09', returnProbability: 0.2, secondMoveProbability: 0.25, homeSpellProbability: 0.5 };

/** Where each parameter comes from: recorded beside the output. */
export const PARAMETER_SOURCES: Array<{ parameter: string; source: string }> = [
  { parameter: 'origin region weights', source: 'table 5: migrant workers leaving home, by region (47.14 / 63.92 / 54.70 / 6.09 million)' },
  { parameter: 'cross-province share by origin region', source: 'table 5: 17.5% / 61.3% / 51.0% / 23.6%' },
  { parameter: 'origin province within its region', source: "table 3 outflow totals (安徽 9.62, 河南 8.63, 湖南 7.23, 湖北 5.89, 四川 8.91 million) and table 7's Jiangxi total; the rest of the region's estimated outflow (85.87 million × the region's cross-province share in table 5) split evenly — assumption" },
  { parameter: 'destinations of Jiangxi', source: 'table 7 (all 30 destinations, 2010)' },
  { parameter: 'destinations of 安徽, 河南, 湖南, 湖北, 四川', source: 'table 3: share to the five main destinations, split evenly among them (assumption); the rest by inflow weights' },
  { parameter: 'destinations of other provinces (inflow weights)', source: 'table 3 inflow totals of 广东, 浙江, 上海, 江苏, 北京; the remaining 29.15 million spread evenly over the other 26 provinces — assumption' },
  { parameter: 'return probability', source: "chosen so that Jiangxi's transfers in ÷ out approach table 8's 2.08 (353,434 ÷ 169,971); see docs/ledger.md for the value reached" },
  { parameter: 'second move probability, home spell probability, career dates, contribution index', source: 'assumption (no table): docs/ledger.md' },
  { parameter: 'contribution bases', source: 'index × average wage of the province and year from the ledger inputs file (60% of the wage, the usual minimum base, for 60% of people; else uniform 60–150%) — assumption' },
  { parameter: 'contribution rates', source: 'employer 20%, individual 8% (the rates before the 2019 cut to 16%) — assumption' },
];

type Rng = ReturnType<typeof xoroshiro128plus>;
const MILLION = 1_000_000;

/** A draw in [0, 1) with 2^-30 resolution, from the seeded generator. */
function unit(rng: Rng): number {
  return uniformInt(rng, 0, 2 ** 30 - 1) / 2 ** 30;
}

function pick(rng: Rng, weights: ReadonlyArray<readonly [string, number]>): string {
  let total = 0;
  for (const [, w] of weights) total += w;
  let x = unit(rng) * total;
  for (const [k, w] of weights) {
    if ((x -= w) < 0) return k;
  }
  return weights[weights.length - 1][0];
}

function originWeights(): Array<[string, number]> {
  const jiangxi = Object.values(JIANGXI_DESTINATIONS).reduce((a, b) => a + b, 0) / MILLION;
  const known: Record<string, number> = { ...Object.fromEntries(Object.entries(TABLE3_OUTFLOW).map(([p, o]) => [p, o.total])), '36': jiangxi };
  const crossTotal = Object.values(TABLE5).reduce((a, r) => a + r.cross, 0);
  const out: Array<[string, number]> = [];
  for (const region of Object.keys(TABLE5) as Array<keyof typeof TABLE5>) {
    const provinces = PROVINCES.filter((p) => REGION_OF[p] === region);
    const estimate = (TABLE3_TOTAL * TABLE5[region].cross) / crossTotal;
    const knownSum = provinces.reduce((a, p) => a + (known[p] ?? 0), 0);
    const others = provinces.filter((p) => known[p] === undefined);
    const each = others.length ? Math.max(0.1, (estimate - knownSum) / others.length) : 0;
    const regionSum = knownSum + each * others.length;
    for (const p of provinces) out.push([p, (TABLE5[region].total * (known[p] ?? each)) / regionSum]);
  }
  return out;
}

function inflowWeights(exclude: ReadonlySet<string>): Array<[string, number]> {
  const rest = (TABLE3_TOTAL - Object.values(TABLE3_INFLOW).reduce((a, b) => a + b, 0)) / (PROVINCES.length - 5);
  return PROVINCES.filter((p) => !exclude.has(p)).map((p) => [p, TABLE3_INFLOW[p] ?? rest]);
}

function destinationWeights(origin: string, exclude: ReadonlySet<string>): Array<[string, number]> {
  if (origin === '36') return Object.entries(JIANGXI_DESTINATIONS).filter(([p]) => !exclude.has(p));
  const o = TABLE3_OUTFLOW[origin];
  if (!o) return inflowWeights(new Set([...exclude, origin]));
  const top = o.top.filter((p) => !exclude.has(p));
  const rest = inflowWeights(new Set([...exclude, origin, ...o.top]));
  const restSum = rest.reduce((a, [, w]) => a + w, 0);
  return [...top.map((p): [string, number] => [p, o.topShare / o.top.length]), ...rest.map(([p, w]): [string, number] => [p, ((1 - o.topShare) * w) / restSum])];
}

export interface Career {
  id: string;
  hukou: string;
  gender: 'M' | 'F';
  birthDate: string;
  spells: Array<{ province: string; from: number; to: number }>;
  index: number;
}

/** The population, a person at a time (records of a person together, in ID order of generation). */
export function* population(params: PopulationParameters, inputs: LedgerInputs): Generator<ContributionRecord[]> {
  const rng = xoroshiro128plus(params.seed);
  const origins = originWeights();
  const first = monthIndex(params.from);
  const last = monthIndex(params.to);
  const seq = new Map<string, number>();
  for (let i = 0; i < params.people; i++) {
    const hukou = pick(rng, origins);
    const region = REGION_OF[hukou];
    const cross = unit(rng) < TABLE5[region].cross / TABLE5[region].total;
    const gender: 'M' | 'F' = unit(rng) < 0.5 ? 'M' : 'F';
    const birthYear = uniformInt(rng, 1958, 1985);
    const birthMonth = uniformInt(rng, 1, 12);
    const birthDay = uniformInt(rng, 1, 28);
    const start = Math.max(first, monthIndex(`${birthYear + 18 + uniformInt(rng, 0, 6)}-01`) + uniformInt(rng, 0, 11));
    // stop at the end of the records or at 50 / 60 (before any retirement age), whichever first
    const stop = Math.min(last, monthIndex(`${birthYear + (gender === 'M' ? 60 : 50)}-${String(birthMonth).padStart(2, '0')}`) - 1);
    if (stop - start < 12) {
      i -= 1;
      continue;
    }
    const spells: Career['spells'] = [];
    let m = start;
    const push = (province: string, months: number) => {
      const to = Math.min(stop, m + months - 1);
      if (to >= m) spells.push({ province, from: m, to });
      m = to + 1 + uniformInt(rng, 0, 3); // a gap of up to three months between jobs
    };
    if (!cross) push(hukou, stop - start + 1);
    else {
      if (unit(rng) < params.homeSpellProbability) push(hukou, uniformInt(rng, 12, 36));
      const seen = new Set<string>([hukou]);
      const dest = pick(rng, destinationWeights(hukou, seen));
      seen.add(dest);
      const returns = unit(rng) < params.returnProbability;
      const second = unit(rng) < params.secondMoveProbability;
      const remaining = stop - m + 1;
      const away = returns ? uniformInt(rng, Math.min(24, remaining), Math.max(24, Math.floor(remaining * 0.8))) : remaining;
      if (second) {
        const firstPart = Math.max(12, Math.floor(away * (0.3 + 0.4 * unit(rng))));
        push(dest, firstPart);
        push(pick(rng, destinationWeights(hukou, seen)), away - firstPart);
      } else push(dest, away);
      if (returns && m <= stop) push(hukou, stop - m + 1);
    }
    if (spells.length === 0) {
      i -= 1;
      continue;
    }
    const r = unit(rng);
    const index = r < 0.6 ? 60 : 60 + Math.floor(unit(rng) * 91); // percent of the average wage
    const birthDate = `${birthYear}-${String(birthMonth).padStart(2, '0')}-${String(birthDay).padStart(2, '0')}`;
    const key = `${hukou}0000${birthDate}`;
    const n = seq.get(key) ?? 0;
    seq.set(key, n + 1);
    const body = `${hukou}0000${birthDate.replaceAll('-', '')}${String((n * 2 + (gender === 'M' ? 1 : 2)) % 1000).padStart(3, '0')}`;
    const id = body + citizenIdCheckChar(body);
    yield records({ id, hukou, gender, birthDate, spells, index }, inputs, params.seed);
  }
}

function records(c: Career, inputs: LedgerInputs, seed: number): ContributionRecord[] {
  const byProvince = new Map<string, ContributionRecord>();
  for (const s of c.spells) {
    let rec = byProvince.get(s.province);
    if (!rec) {
      rec = {
        kind: 'contribution-record',
        version: '1.0',
        person: { id: c.id, name: '合成', gender: c.gender, birthDate: c.birthDate, hukouRegion: `${c.hukou}0000` },
        region: `${s.province}0000`,
        scheme: '110',
        contributions: [],
        provenance: { region: `${s.province}0000`, format: 'canonical', system: `jiexu simulate population seed ${seed} (report tables 3, 5, 7, 8)` },
      };
      byProvince.set(s.province, rec);
    }
    for (let m = s.from; m <= s.to; m++) {
      const year = Math.floor(m / 12);
      const wage = wageOf(inputs, s.province, year)?.fen ?? wageOf(inputs, s.province, inputs.valuationYear)!.fen;
      const baseFen = Math.round((wage * c.index) / 100);
      rec.contributions.push({ month: monthString(m), baseFen, employerFen: Math.round(baseFen * 0.2), individualFen: Math.round(baseFen * 0.08), status: 'paid' });
    }
  }
  return [...byProvince.values()];
}
