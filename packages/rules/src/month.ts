/** Months as integers (year × 12 + month − 1) so that runs and gaps are plain subtraction. */

export type MonthIndex = number;

function digit(s: string, i: number): number {
  const d = s.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : -1;
}

/** YYYY-MM → index; parsed by hand because it runs for every month of every record. */
export function monthIndex(month: string): MonthIndex {
  if (month.length === 7 && month.charCodeAt(4) === 45) {
    const y0 = digit(month, 0), y1 = digit(month, 1), y2 = digit(month, 2), y3 = digit(month, 3), m0 = digit(month, 5), m1 = digit(month, 6);
    if (y0 >= 0 && y1 >= 0 && y2 >= 0 && y3 >= 0 && m0 >= 0 && m1 >= 0) {
      const mo = m0 * 10 + m1;
      if (mo >= 1 && mo <= 12) return (y0 * 1000 + y1 * 100 + y2 * 10 + y3) * 12 + mo - 1;
    }
  }
  throw new RangeError(`not a month (YYYY-MM): ${month}`);
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
