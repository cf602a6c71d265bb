/**
 * Rule 14: between the employee (110) and the resident (170) pension
 * (人社部发〔2014〕17号). At retirement age, with at least the minimum employee
 * years (15, rising from 2030 per rule 11): resident → employee allowed, only
 * the resident account balance moves, resident years are not converted. With
 * fewer: employee → resident, the employee account balance moves and the
 * employee years count as resident years. Overlapping months count once (as
 * employee); the resident scheme refunds the overlap's own contributions. No one
 * draws both. Each step 15 working days.
 */
import type { RuleId } from '../sources.ts';

export const CONVERSION_STEP_WORKING_DAYS = 15;

export interface ConversionDecision {
  direction: 'resident-to-employee' | 'employee-to-resident';
  /** Employee months (distinct). */
  employeeMonths: number;
  /** Resident months that are not also employee months. */
  residentMonthsCounted: number;
  /** Months in both schemes: counted once as employee; the resident contributions for them are refunded. */
  overlapMonths: number;
  /** Resident-scheme contributions refunded for the overlap, fen. */
  refundFen: number;
  /** Years the receiving scheme counts after the conversion, in months. */
  monthsCountedAfter: number;
  /** Account balance that moves, fen (null when not supplied). */
  balanceMovesFen: number | null;
  rules: RuleId[];
}

export function employeeResidentConversion(input: {
  employeeMonths: ReadonlySet<number>;
  residentMonths: ReadonlyMap<number, { individualFen: number }>;
  requiredMonths: number;
  employeeAccountFen?: number;
  residentAccountFen?: number;
}): ConversionDecision {
  let overlapMonths = 0;
  let refundFen = 0;
  for (const [m, c] of input.residentMonths) {
    if (input.employeeMonths.has(m)) {
      overlapMonths += 1;
      refundFen += c.individualFen;
    }
  }
  const employeeMonths = input.employeeMonths.size;
  const residentMonthsCounted = input.residentMonths.size - overlapMonths;
  const rules: RuleId[] = ['employee-resident-conversion'];
  if (employeeMonths >= input.requiredMonths) {
    return { direction: 'resident-to-employee', employeeMonths, residentMonthsCounted, overlapMonths, refundFen, monthsCountedAfter: employeeMonths, balanceMovesFen: input.residentAccountFen ?? null, rules };
  }
  return { direction: 'employee-to-resident', employeeMonths, residentMonthsCounted, overlapMonths, refundFen, monthsCountedAfter: employeeMonths + residentMonthsCounted, balanceMovesFen: input.employeeAccountFen ?? null, rules };
}
