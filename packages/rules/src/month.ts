/** Months as integers (year × 12 + month − 1) so that runs and gaps are plain subtraction. */

export type MonthIndex = number;

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function monthIndex(month: string): MonthIndex {
  const m = MONTH.exec(month);
  if (!m) throw new RangeError(`not a month (YYYY-MM): ${month}`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
}

export function monthString(index: MonthIndex): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${month < 10 ? '0' : ''}${month}`;
}

/** The month of a date YYYY-MM-DD. */
export function monthOfDate(date: string): MonthIndex {
  return monthIndex(date.slice(0, 7));
}

/** 1998-01: the pooled fund that moves is counted from this month on (国办发〔2009〕66号 art. 4). */
export const POOLED_FUND_FROM: MonthIndex = monthIndex('1998-01');

export interface Run {
  from: string;
  to: string;
  months: number;
}

/** Consecutive runs of a set of month indexes. */
export function runsOf(months: Iterable<MonthIndex>): Run[] {
  const sorted = [...new Set(months)].sort((a, b) => a - b);
  const runs: Run[] = [];
  let start = -1;
  let prev = -1;
  for (const m of sorted) {
    if (start < 0) {
      start = prev = m;
    } else if (m === prev + 1) {
      prev = m;
    } else {
      runs.push({ from: monthString(start), to: monthString(prev), months: prev - start + 1 });
      start = prev = m;
    }
  }
  if (start >= 0) runs.push({ from: monthString(start), to: monthString(prev), months: prev - start + 1 });
  return runs;
}
