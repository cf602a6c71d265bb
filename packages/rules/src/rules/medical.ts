/**
 * Rule 17: medical insurance (人社部发〔2009〕191号; 医保办发〔2021〕43号). The old
 * place sends the 参保人员基本医疗保险信息表 within 10 working days, the new place
 * loads it within 5. A gap of at most 3 months keeps continuity; a longer gap may
 * bring a waiting period of up to 6 months (the exact period is local policy:
 * a parameter).
 */
import { monthString, type MonthIndex } from '../month.ts';

export const MEDICAL_SEND_WORKING_DAYS = 10;
export const MEDICAL_LOAD_WORKING_DAYS = 5;
export const CONTINUITY_GAP_MONTHS = 3;
export const MAX_WAITING_MONTHS = 6;

export interface Gap {
  /** First unpaid month. */
  from: string;
  /** Last unpaid month. */
  to: string;
  months: number;
  keepsContinuity: boolean;
  /** Upper bound of the waiting period the new place may impose, months. */
  maxWaitingMonths: number;
}

/** The gaps between paid months (any region), each judged for continuity. */
export function continuityGaps(paidMonths: Iterable<MonthIndex>): Gap[] {
  const sorted = [...new Set(paidMonths)].sort((a, b) => a - b);
  const gaps: Gap[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const months = sorted[i] - sorted[i - 1] - 1;
    if (months <= 0) continue;
    const keepsContinuity = months <= CONTINUITY_GAP_MONTHS;
    gaps.push({ from: monthString(sorted[i - 1] + 1), to: monthString(sorted[i] - 1), months, keepsContinuity, maxWaitingMonths: keepsContinuity ? 0 : MAX_WAITING_MONTHS });
  }
  return gaps;
}

/**
 * The latest days of a medical transfer on the official calendar: the old place
 * sends the information form within 10 working days of the application, the new
 * place loads it within 5 working days of receiving it.
 */
export function medicalTransferDeadlines(applicationDate: string, calendar: { addWorkingDays(date: string, n: number): { date: string; estimated: boolean } }): { sendBy: string; loadBy: string; estimated: boolean } {
  const send = calendar.addWorkingDays(applicationDate, MEDICAL_SEND_WORKING_DAYS);
  const load = calendar.addWorkingDays(send.date, MEDICAL_LOAD_WORKING_DAYS);
  return { sendBy: send.date, loadBy: load.date, estimated: send.estimated || load.estimated };
}

/**
 * The medical platform's insutype codes (国家医疗保障局 医保信息平台, confirmed
 * in DOMAIN.md rule 4). The standard's released scheme lists (1.0, 1.1) carry
 * only 310, 390 and 510 of them; 320, 330, 340 and 392 cannot be added to a
 * released version, so they live here until a new minor takes them.
 */
export const MEDICAL_INSUTYPES = {
  '310': { zh: '职工基本医疗保险', en: 'Employee basic medical insurance' },
  '320': { zh: '公务员医疗补助', en: 'Civil-servant medical subsidy' },
  '330': { zh: '大额医疗费用补助', en: 'Large medical expense subsidy' },
  '340': { zh: '离休人员医疗保障', en: 'Medical cover of retired veteran cadres' },
  '390': { zh: '城乡居民基本医疗保险', en: 'Urban-rural resident basic medical insurance' },
  '392': { zh: '城乡居民大病医疗保险', en: 'Resident critical-illness insurance' },
  '510': { zh: '生育保险', en: 'Maternity insurance' },
} as const;

export type MedicalInsutype = keyof typeof MEDICAL_INSUTYPES;

export function isMedicalInsutype(code: string): code is MedicalInsutype {
  return Object.hasOwn(MEDICAL_INSUTYPES, code);
}
