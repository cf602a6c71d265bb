/**
 * Rule 17: medical insurance (人社部发〔2009〕191号; 医保办发〔2021〕43号). The old
 * place sends the 参保人员基本医疗保险信息表 within 10 working days, the new place
 * loads it within 5. A gap of at most 3 months keeps continuity; a longer gap may
 * bring a waiting period of up to 6 months (the exact period is local policy:
 * a parameter).
 */
import { codeList } from '@jiexu/standard';
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
 * The medical platform's insutype codes (国家医疗保障局 医保信息平台, confirmed in DOMAIN.md
 * rule 4). The standard's scheme list carries all seven from 1.2 on (1.0 and 1.1: 310, 390 and
 * 510 only); their labels are read from that code list, never written here.
 */
export const MEDICAL_SCHEME_LIST_VERSION = '1.2';
const MEDICAL_CODES = ['310', '320', '330', '340', '390', '392', '510'] as const;

export const MEDICAL_INSUTYPES = Object.fromEntries(
  MEDICAL_CODES.map((code) => {
    const entry = codeList('scheme', MEDICAL_SCHEME_LIST_VERSION).find((c) => c.code === code);
    if (!entry) throw new Error(`scheme ${code} is not in the standard ${MEDICAL_SCHEME_LIST_VERSION} scheme code list`);
    return [code, { zh: entry.zh, en: entry.en }];
  }),
) as Record<(typeof MEDICAL_CODES)[number], { zh: string; en: string }>;

export type MedicalInsutype = keyof typeof MEDICAL_INSUTYPES;

export function isMedicalInsutype(code: string): code is MedicalInsutype {
  return Object.hasOwn(MEDICAL_INSUTYPES, code);
}
