/**
 * Working days on the official Chinese calendar (国务院办公厅 holiday notices):
 * Monday–Friday are working days unless declared a holiday; a Saturday or
 * Sunday declared a working day (调休) is one. The calendar is data: one file
 * per year in packages/rules/data/calendar/<year>.json (generated from
 * chinese-days by scripts/generate-calendar.ts). A year without a file is
 * estimated from weekends only, and every answer that used such a year says so.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shape of data/calendar/<year>.json. */
export interface CalendarYear {
  $comment?: string;
  year: number;
  source: { package: string; version: string };
  /** Every day of the official holiday periods (weekends inside them included), with the holiday's name. */
  holidays: Record<string, string>;
  /** Saturdays and Sundays declared working days (调休), with the holiday they make up for. */
  workingDays: Record<string, string>;
}

export interface WorkingDaysResult {
  /** The date the n-th working day falls on, YYYY-MM-DD. */
  date: string;
  /** True when a year the calendar does not hold was crossed: weekends-only estimate. */
  estimated: boolean;
  /** The years estimated from weekends only. */
  estimatedYears: number[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function parseDate(date: string): number {
  const m = DATE.exec(date);
  if (!m) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(t).toISOString().slice(0, 10) !== date) throw new RangeError(`not a calendar date: ${date}`);
  return t / DAY_MS;
}

function formatDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export class WorkingCalendar {
  private readonly years = new Map<number, CalendarYear>();

  constructor(years: Iterable<CalendarYear>) {
    for (const y of years) this.years.set(y.year, y);
  }

  /** The years the official calendar is known for, ascending. */
  knownYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  has(year: number): boolean {
    return this.years.has(year);
  }

  private working(day: number, estimatedYears: Set<number> | null): boolean {
    const iso = formatDay(day);
    const year = Number(iso.slice(0, 4));
    const weekday = new Date(day * DAY_MS).getUTCDay(); // 0 Sunday … 6 Saturday
    const weekend = weekday === 0 || weekday === 6;
    const data = this.years.get(year);
    if (!data) {
      estimatedYears?.add(year);
      return !weekend;
    }
    if (weekend) return iso in data.workingDays;
    return !(iso in data.holidays);
  }

  /** Whether a date is a working day, and whether that is only a weekends-only estimate. */
  workingDay(date: string): { working: boolean; estimated: boolean } {
    const years = new Set<number>();
    const working = this.working(parseDate(date), years);
    return { working, estimated: years.size > 0 };
  }

  isWorkingDay(date: string): boolean {
    return this.working(parseDate(date), null);
  }

  /**
   * The n-th working day after `date` ("within n working days of receiving it":
   * the day of receipt does not count). n = 0 gives `date` itself.
   */
  addWorkingDays(date: string, n: number): WorkingDaysResult {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a non-negative integer: ${n}`);
    let day = parseDate(date);
    const estimatedYears = new Set<number>();
    for (let left = n; left > 0; ) {
      day += 1;
      if (this.working(day, estimatedYears)) left -= 1;
    }
    return { date: formatDay(day), estimated: estimatedYears.size > 0, estimatedYears: [...estimatedYears].sort((a, b) => a - b) };
  }
}

/** The directory of the shipped calendar data. */
export const CALENDAR_DIR = fileURLToPath(new URL('../data/calendar/', import.meta.url));

/** Reads every <year>.json in a directory: adding a year is adding a file. */
export function loadCalendar(dir: string = CALENDAR_DIR): WorkingCalendar {
  const files = readdirSync(dir).filter((f) => /^\d{4}\.json$/.test(f));
  return new WorkingCalendar(files.map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as CalendarYear));
}

let official: WorkingCalendar | undefined;

/** The official calendar shipped with the package, loaded once. */
export function officialCalendar(): WorkingCalendar {
  official ??= loadCalendar();
  return official;
}

/** Whether `date` (YYYY-MM-DD) is a working day on the official calendar (weekends-only outside the known years). */
export function isWorkingDay(date: string): boolean {
  return officialCalendar().isWorkingDay(date);
}

/** The n-th working day after `date` on the official calendar, flagged when estimated. */
export function addWorkingDays(date: string, n: number): WorkingDaysResult {
  return officialCalendar().addWorkingDays(date, n);
}
