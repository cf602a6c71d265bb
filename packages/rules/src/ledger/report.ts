/**
 * The ledger's results as data: per regime, per province (and per year), the
 * figures in fen as BigInt, the difference between the regimes, the flows, and
 * which inputs and rules were used. `ledgerJson` writes integers exactly (as
 * JSON numbers, however large: read them with a BigInt-aware parser beyond 2^53).
 */
import { cite, RULES } from '../sources.ts';
import { netOf, REGIMES, type Figures, type Ledger, type Regime } from './ledger.ts';

export interface LedgerRow extends Figures {
  netFen: bigint;
}

export interface LedgerResult {
  kind: 'jiexu-ledger';
  people: number;
  skipped: number;
  inputs: ReturnType<Ledger['inputsUsed']> & { file?: string; sourceTitles: Record<string, string> };
  approximations: Array<{ zh: string; en: string }>;
  regimes: Record<Regime, { provinces: Record<string, LedgerRow & { years: Record<string, LedgerRow> }>; totals: LedgerRow }>;
  /** net(seal-pro-rata) − net(transfer-2009), by province. */
  differenceFen: Record<string, bigint>;
  flows: Array<{ from: string; to: string; fen: bigint }>;
  rules: Array<{ id: string; citation: string; title: { zh: string; en: string } }>;
}

export const APPROXIMATIONS: Array<{ zh: string; en: string }> = [
  { zh: '养老金价值 = 月养老金 × 退休年龄对应的计发月数（国发〔2005〕38号），作为终身价值的近似', en: "a pension's value = monthly amount × the 计发月数 of the retirement age (国发〔2005〕38号), as the approximation of its lifetime value" },
  { zh: '所有养老金均按估值年度的平均工资计算；留存缴费按记账利率计息至估值年度，之后不计息，在途资金不计息', en: 'every pension uses the average wages of the valuation year; kept contributions earn the crediting rates up to the valuation year, nothing after, nothing in transit' },
  { zh: '个人账户按个人缴费之和计（导出的年末余额混合了多段和利息）', en: 'the account is the sum of the individual contributions (exported balances mix spells and interest)' },
  { zh: '不足最低缴费年限者两种制度下都不计月养老金（可补缴或转居民保险，未估值）', en: 'a person short of the minimum gets no monthly pension in either regime (may pay the gap or convert: not valued)' },
  { zh: '每次跨省流动都转移（临时账户最终归集到同一待遇领取地）；规则按整个记录期适用', en: 'every cross-province move transfers (temporary accounts gather to the same benefit place); the rules are applied to the whole record' },
];

function row(f: Figures): LedgerRow {
  return { ...f, netFen: netOf(f) };
}

function sum(rows: Iterable<Figures>): Figures {
  const t: Figures = { sentFen: 0n, receivedFen: 0n, forwardedFen: 0n, keptFen: 0n, monthlyLiabilityFen: 0n, liabilityFen: 0n, transfersIn: 0, transfersOut: 0, pensioners: 0 };
  for (const f of rows) {
    t.sentFen += f.sentFen;
    t.receivedFen += f.receivedFen;
    t.forwardedFen += f.forwardedFen;
    t.keptFen += f.keptFen;
    t.monthlyLiabilityFen += f.monthlyLiabilityFen;
    t.liabilityFen += f.liabilityFen;
    t.transfersIn += f.transfersIn;
    t.transfersOut += f.transfersOut;
    t.pensioners += f.pensioners;
  }
  return t;
}

export function ledgerResult(ledger: Ledger, file?: string): LedgerResult {
  const regimes = {} as LedgerResult['regimes'];
  for (const regime of REGIMES) {
    const provinces: LedgerResult['regimes'][Regime]['provinces'] = {};
    for (const [p, l] of [...ledger.regimes[regime]].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const years: Record<string, LedgerRow> = {};
      for (const [y, f] of [...l.byYear].sort(([a], [b]) => a - b)) years[String(y)] = row(f);
      provinces[p] = { ...row(l.total), years };
    }
    regimes[regime] = { provinces, totals: row(sum([...ledger.regimes[regime].values()].map((l) => l.total))) };
  }
  const differenceFen: Record<string, bigint> = {};
  const all = new Set([...Object.keys(regimes['transfer-2009'].provinces), ...Object.keys(regimes['seal-pro-rata'].provinces)]);
  for (const p of [...all].sort()) differenceFen[p] = (regimes['seal-pro-rata'].provinces[p]?.netFen ?? 0n) - (regimes['transfer-2009'].provinces[p]?.netFen ?? 0n);
  const used = ledger.inputsUsed();
  return {
    kind: 'jiexu-ledger',
    people: ledger.people,
    skipped: ledger.skipped,
    inputs: { ...used, ...(file ? { file } : {}), sourceTitles: Object.fromEntries(used.sources.map((id) => [id, ledger.inputs.sources[id]?.title ?? id])) },
    approximations: APPROXIMATIONS,
    regimes,
    differenceFen,
    flows: [...ledger.flows].map(([k, fen]) => ({ from: k.slice(0, 2), to: k.slice(3), fen })).sort((a, b) => (b.fen > a.fen ? 1 : b.fen < a.fen ? -1 : a.from !== b.from ? (a.from < b.from ? -1 : 1) : a.to < b.to ? -1 : a.to > b.to ? 1 : 0)),
    rules: [...ledger.rules].sort().map((id) => ({ id, citation: cite(id), title: RULES[id].title })),
  };
}

/** JSON with every BigInt written as an exact integer. */
export function ledgerJson(result: LedgerResult): string {
  return JSON.stringify(result, (_k, v) => (typeof v === 'bigint' ? `\u0000${v}` : v)).replace(/"\\u0000(-?\d+)"/g, '$1');
}

const CSV_COLUMNS = ['sentFen', 'receivedFen', 'forwardedFen', 'keptFen', 'monthlyLiabilityFen', 'liabilityFen', 'netFen', 'transfersIn', 'transfersOut', 'pensioners'] as const;

/** regime,province,year,…: one row per regime × province × year, and a `total` row per regime × province. */
export function ledgerCsv(result: LedgerResult): string {
  const lines = [['regime', 'province', 'year', ...CSV_COLUMNS].join(',')];
  for (const regime of REGIMES) {
    for (const [p, r] of Object.entries(result.regimes[regime].provinces)) {
      lines.push([regime, p, 'total', ...CSV_COLUMNS.map((c) => String(r[c]))].join(','));
      for (const [y, f] of Object.entries(r.years)) lines.push([regime, p, y, ...CSV_COLUMNS.map((c) => String(f[c]))].join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
