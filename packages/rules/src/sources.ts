/**
 * Every statutory rule the engine applies, with its source (document and
 * article) and the dates it is in force. Results name rules by `id`; the full
 * citation is `RULES[id]`. Dates given here are those stated in the project's
 * domain reference (/work/shared/DOMAIN.md) or in the document's own text;
 * where none is stated, `effectiveFrom` is left out rather than guessed.
 */
import type { RuleIssueCode } from './issue-codes.ts';

export interface RuleSource {
  id: RuleId;
  document: string;
  article: string;
  /** The document and article in Chinese, when they are not Chinese already (foreign sources). */
  zh?: { document: string; article: string };
  title: { zh: string; en: string };
  /** First day the rule applies, YYYY-MM-DD. */
  effectiveFrom?: string;
  /** Last day the rule applies (exclusive upper bound is effectiveFrom of its successor). */
  effectiveUntil?: string;
  /** Taken from a reprint or guide rather than the official text. */
  secondary?: boolean;
  /** No source states it outright: modelled as a parameter. */
  unconfirmed?: boolean;
  /** Where the dates come from, or why there are none (every rule says one or the other). */
  dateNote: { zh: string; en: string };
}

export type RuleId =
  | 'pension-pooled-fund'
  | 'pension-individual-account'
  | 'pension-pre-1998-pooled'
  | 'pension-procedure'
  | 'pension-written-explanation'
  | 'pension-temporary-account'
  | 'pension-benefit-place'
  | 'pension-minimum-years'
  | 'pension-minimum-years-2030'
  | 'retirement-age-2025'
  | 'pension-duplicates'
  | 'pension-seal-and-gather'
  | 'pension-formula'
  | 'employee-resident-conversion'
  | 'unemployment-benefit-period'
  | 'unemployment-cross-province'
  | 'medical-transfer'
  | 'medical-continuity'
  | 'eu-aggregation'
  | 'eu-pro-rata'
  | 'eu-day-conversion'
  | 'pension-account-divisor'
  | 'pension-account-divisor-interpolated'
  | 'unemployment-rates-1999'
  | 'medical-insutype'
  | 'uscc-region';

const r = (s: Omit<RuleSource, 'id' | 'dateNote'> & { dateNote?: RuleSource['dateNote'] }, id: RuleId): RuleSource => ({ id, dateNote: s.dateNote ?? DOMAIN_DATE, ...s });

/** Dates stated in the project's domain reference (/work/shared/DOMAIN.md). */
const DOMAIN_DATE = { zh: '施行日期见项目领域参考（DOMAIN.md）所引原文', en: 'date as stated in the project domain reference (DOMAIN.md)' };
/** Dates from the document's own final article, not restated in DOMAIN.md. */
const own = (zh: string, en: string) => ({ zh: `施行日期取自该文件自身的施行条款：${zh}（DOMAIN.md 未载，待核对原文）`, en: `date from the document's own commencement clause: ${en} (not in DOMAIN.md; to be checked against the official text)` });
/** No date in any source the project holds. */
const none = (zh: string, en: string) => ({ zh: `项目所持来源未载明施行日期：${zh}`, en: `no effective date in the sources the project holds: ${en}` });

export const RULES: Record<RuleId, RuleSource> = {
  'pension-pooled-fund': r({ document: '国办发〔2009〕66号', article: '第四条', effectiveFrom: '2010-01-01', title: { zh: '统筹基金按1998年1月起各年度实际缴费工资基数之和的12%转移', en: 'Pooled fund moved: 12% of the sum of actual monthly bases from 1998-01' } }, 'pension-pooled-fund'),
  'pension-individual-account': r({ document: '国办发〔2009〕66号', article: '第四条', effectiveFrom: '2010-01-01', title: { zh: '个人账户储存额全额转移', en: 'Individual account balance moved in full' } }, 'pension-individual-account'),
  'pension-pre-1998-pooled': r({ document: '国办发〔2009〕66号', article: '第四条', unconfirmed: true, dateNote: none('规则本身未经确认（UNCONFIRMED），随66号办法适用', 'the rule itself is UNCONFIRMED; it goes with 66号'), title: { zh: '1998年以前的统筹部分似不转移', en: 'Pooled part before 1998 appears not to move' } }, 'pension-pre-1998-pooled'),
  'pension-procedure': r({ document: '国办发〔2009〕66号', article: '第八条', effectiveFrom: '2010-01-01', title: { zh: '转移接续经办规程：各环节15个工作日', en: 'Transfer procedure: 15 working days per step' } }, 'pension-procedure'),
  'pension-written-explanation': r({ document: '人社厅发〔2019〕94号', article: '', dateNote: none('DOMAIN.md 只引其内容；按在施行中处理', 'DOMAIN.md cites its content only; treated as in force'), title: { zh: '不能转移的年限或资金，10个工作日内书面说明', en: 'Years or funds that cannot move explained in writing within 10 working days' } }, 'pension-written-explanation'),
  'pension-temporary-account': r({ document: '国办发〔2009〕66号', article: '第五条', effectiveFrom: '2010-01-01', title: { zh: '男50周岁、女40周岁以上跨省流动到非户籍地建立临时缴费账户', en: 'Men ≥ 50 and women ≥ 40 moving to a non-hukou province get a temporary account' } }, 'pension-temporary-account'),
  'pension-benefit-place': r({ document: '国办发〔2009〕66号 第六条; 人社部规〔2016〕5号', article: '第一条', effectiveFrom: '2010-01-01', title: { zh: '待遇领取地的确定（以省为单位，含视同缴费年限）', en: 'Benefit place (by province, deemed years included)' } }, 'pension-benefit-place'),
  'pension-minimum-years': r({ document: '中华人民共和国社会保险法', article: '第十六条', effectiveFrom: '2011-07-01', effectiveUntil: '2029-12-31', title: { zh: '累计缴费满15年按月领取基本养老金', en: '15 years for a monthly pension' } }, 'pension-minimum-years'),
  'pension-minimum-years-2030': r({ document: '国务院关于渐进式延迟法定退休年龄的办法（2024）', article: '第二条', effectiveFrom: '2030-01-01', title: { zh: '最低缴费年限从15年起每年提高6个月至20年', en: 'Minimum rises from 15 years by 6 months a year to 20' } }, 'pension-minimum-years-2030'),
  'retirement-age-2025': r({ document: '国务院关于渐进式延迟法定退休年龄的办法（2024）', article: '第一条', effectiveFrom: '2025-01-01', title: { zh: '法定退休年龄逐步延迟', en: 'Statutory retirement age rises gradually' } }, 'retirement-age-2025'),
  'pension-duplicates': r({ document: '人社部发〔2009〕187号; 人社部发〔2010〕70号', article: '', secondary: true, dateNote: none('所据为转载（secondary），未载日期；按在施行中处理', 'known from a reprint (secondary) that gives no date; treated as in force'), title: { zh: '重复缴费：保留一个关系，其余终止并退还个人账户，年限不重复计算', en: 'Duplicates: one relationship kept, the rest closed and refunded, years never counted twice' } }, 'pension-duplicates'),
  'pension-seal-and-gather': r({ document: '社会保险经办条例（2023，国务院令第765号）', article: '第十二条、第十六条', effectiveFrom: '2023-12-01', dateNote: own('自2023年12月1日起施行', 'in force from 2023-12-01'), title: { zh: '封存与归集', en: 'Seal and gather' } }, 'pension-seal-and-gather'),
  'pension-formula': r({ document: '国发〔2005〕38号', article: '第六条', effectiveFrom: '2006-01-01', dateNote: own('新计发办法自2006年1月1日起实施', 'the new formula applies from 2006-01-01'), title: { zh: '基础养老金与个人账户养老金计发办法', en: 'Basic and individual-account pension formula' } }, 'pension-formula'),
  'employee-resident-conversion': r({ document: '人社部发〔2014〕17号', article: '第三条至第六条', effectiveFrom: '2014-07-01', dateNote: own('自2014年7月1日起施行', 'in force from 2014-07-01'), title: { zh: '城乡养老保险制度衔接', en: 'Employee ↔ resident pension conversion' } }, 'employee-resident-conversion'),
  'unemployment-benefit-period': r({ document: '失业保险条例（1999）', article: '第十四条、第十七条', effectiveFrom: '1999-01-22', title: { zh: '领取失业保险金期限：满1年不足5年12个月，满5年不足10年18个月，10年以上24个月', en: 'Benefit period: 12 / 18 / 24 months by contribution years' } }, 'unemployment-benefit-period'),
  'unemployment-cross-province': r({ document: '劳动和社会保障部令第8号', article: '第二十二条', secondary: true, effectiveFrom: '2001-01-01', dateNote: own('《失业保险金申领发放办法》自2001年1月1日起施行', 'the 失业保险金申领发放办法 apply from 2001-01-01'), title: { zh: '跨省转移失业保险金及其50%的医疗补助金等', en: 'Cross-province move: benefit due plus 50% moves' } }, 'unemployment-cross-province'),
  'medical-transfer': r({ document: '人社部发〔2009〕191号; 医保办发〔2021〕43号', article: '', effectiveFrom: '2010-07-01', dateNote: own('191号自2010年7月1日起施行；43号的日期未载', '191号 from 2010-07-01; no date held for 43号'), title: { zh: '医保关系转移：转出地10个工作日，转入地5个工作日', en: 'Medical transfer: 10 working days out, 5 in' } }, 'medical-transfer'),
  'medical-continuity': r({ document: '医保办发〔2021〕43号', article: '', dateNote: none('按在施行中处理', 'treated as in force'), title: { zh: '中断不超过3个月视为连续参保', en: 'A gap of up to 3 months keeps continuity' } }, 'medical-continuity'),
  'eu-aggregation': r({ document: 'Regulation (EC) 987/2009', article: 'art. 12', effectiveFrom: '2010-05-01', dateNote: own('987/2009 第97条：自2010年5月1日起适用', '987/2009 art. 97: applies from 2010-05-01'), zh: { document: '欧盟第987/2009号条例', article: '第12条' }, title: { zh: '欧盟模式：期间累加，重叠只计一次', en: 'EU model: periods aggregated, overlaps counted once' } }, 'eu-aggregation'),
  'eu-day-conversion': r({ document: 'Regulation (EC) 987/2009', article: 'art. 13', effectiveFrom: '2010-05-01', dateNote: own('987/2009 第97条：自2010年5月1日起适用', '987/2009 art. 97: applies from 2010-05-01'), zh: { document: '欧盟第987/2009号条例', article: '第13条' }, title: { zh: '欧盟模式：以日计的期间换算为月（5日制22日/264日，6日制26日/312日，7日制30日/360日）', en: 'EU model: day periods converted (5-day week 22/264, 6-day 26/312, 7-day 30/360)' } }, 'eu-day-conversion'),
  'pension-account-divisor': r({ document: '国发〔2005〕38号', article: '附件（计发月数表）', effectiveFrom: '2006-01-01', secondary: true, dateNote: own('随38号新计发办法自2006年1月1日起实施；表依多家转载（secondary）', 'with the 38号 formula from 2006-01-01; the table as reprinted by many secondary sources'), title: { zh: '个人账户养老金计发月数（40–70岁）', en: 'Months divisor of the account pension (ages 40–70)' } }, 'pension-account-divisor'),
  'pension-account-divisor-interpolated': r({ document: '国发〔2005〕38号 附件; 国务院关于渐进式延迟法定退休年龄的办法（2024）', article: '', unconfirmed: true, effectiveFrom: '2025-01-01', dateNote: own('只有2025年1月1日起延迟退休后才出现带月数的退休年龄；插值方法本身未经确认', 'ages with months arise only from the 2025-01-01 reform; the interpolation itself is UNCONFIRMED'), title: { zh: '带月数的退休年龄：相邻整岁计发月数线性插值（参数，未经确认）', en: 'Retirement ages with months: divisor linearly interpolated between whole years (a parameter, UNCONFIRMED)' } }, 'pension-account-divisor-interpolated'),
  'unemployment-rates-1999': r({ document: '失业保险条例（1999）', article: '第六条', effectiveFrom: '1999-01-22', title: { zh: '失业保险费率：单位2%，个人1%（此后各地阶段性降低费率，差异只作提示）', en: 'Unemployment rates: employer 2%, employee 1% (later lowered locally for periods: a difference is only information)' } }, 'unemployment-rates-1999'),
  'medical-insutype': r({ document: '国家医疗保障局 医保信息平台 险种类型（insutype）', article: '', zh: { document: '国家医疗保障局 医保信息平台 险种类型代码', article: '' }, dateNote: none('平台代码表未载日期', 'the platform code list gives no date'), title: { zh: '医保险种类型代码：310、320、330、340、390、392、510', en: 'Medical insutype codes: 310, 320, 330, 340, 390, 392, 510' } }, 'medical-insutype'),
  'uscc-region': r({ document: 'GB 32100-2015', article: '4.2（第3–8位 登记管理机关行政区划码，GB/T 2260）', dateNote: none('标准实施日期不影响代码校验', 'the standard\'s date does not affect the check'), title: { zh: '统一社会信用代码第3–8位为 GB/T 2260 行政区划代码', en: 'USCC positions 3–8 are a GB/T 2260 division code' } }, 'uscc-region'),
  'eu-pro-rata': r({ document: 'Regulation (EC) 883/2004', article: 'art. 52', effectiveFrom: '2010-05-01', dateNote: own('883/2004 第91条：自执行条例（987/2009）生效之日即2010年5月1日起适用', '883/2004 art. 91: applies from the implementing regulation\'s date, 2010-05-01'), zh: { document: '欧盟第883/2004号条例', article: '第52条' }, title: { zh: '欧盟模式：按比例计发', en: 'EU model: pro-rata benefit' } }, 'eu-pro-rata'),
};

/** One line naming a rule: `国办发〔2009〕66号 第四条 (from 2010-01-01)`. */
export function cite(id: RuleId, lang: 'zh' | 'en' = 'en'): string {
  const s = RULES[id];
  if (lang === 'zh') {
    const when = s.effectiveFrom ? `（自 ${s.effectiveFrom}${s.effectiveUntil ? ` 至 ${s.effectiveUntil}` : ''}${s.effectiveUntil ? '' : ' 起'}）` : '';
    const flags = `${s.secondary ? ' [次要来源]' : ''}${s.unconfirmed ? ' [未经核实]' : ''}`;
    const { document, article } = s.zh ?? s;
    return `${document}${article ? ` ${article}` : ''}${when}${flags}`;
  }
  const when = s.effectiveFrom ? ` (from ${s.effectiveFrom}${s.effectiveUntil ? ` to ${s.effectiveUntil}` : ''})` : '';
  const flags = `${s.secondary ? ' [secondary]' : ''}${s.unconfirmed ? ' [UNCONFIRMED]' : ''}`;
  return `${s.document}${s.article ? ` ${s.article}` : ''}${when}${flags}`;
}

/** Whether a rule is in force on a date (YYYY-MM-DD); rules without a stated date are taken as in force. */
export function inForce(id: RuleId, date: string): boolean {
  const s = RULES[id];
  if (s.effectiveFrom && date < s.effectiveFrom) return false;
  if (s.effectiveUntil && date > s.effectiveUntil) return false;
  return true;
}

/** A warning for each rule applied on a date it was not in force: the figures show what it would give. */
export function notInForce(ids: Iterable<RuleId>, date: string): Array<{ severity: 'warning'; code: RuleIssueCode; message: { zh: string; en: string }; value: { rule: RuleId; effectiveFrom?: string; effectiveUntil?: string } }> {
  const out = [];
  for (const id of new Set(ids)) {
    if (inForce(id, date)) continue;
    const s = RULES[id];
    out.push({
      severity: 'warning' as const,
      code: 'rule-not-in-force' as const,
      message: {
        zh: `${s.document}${s.article ? ` ${s.article}` : ''} 自 ${s.effectiveFrom ?? '—'} 起施行${s.effectiveUntil ? `，至 ${s.effectiveUntil}` : ''}；${date} 不在其施行期内，结果仅示按该规则计算的情况`,
        en: `${s.document}${s.article ? ` ${s.article}` : ''} applies from ${s.effectiveFrom ?? '—'}${s.effectiveUntil ? ` to ${s.effectiveUntil}` : ''}; on ${date} it was not in force: the result shows what it would give`,
      },
      value: { rule: id, ...(s.effectiveFrom ? { effectiveFrom: s.effectiveFrom } : {}), ...(s.effectiveUntil ? { effectiveUntil: s.effectiveUntil } : {}) },
    });
  }
  return out;
}
