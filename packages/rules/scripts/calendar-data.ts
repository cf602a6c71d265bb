/**
 * Builds data/calendar/<year>.json from the chinese-days package (build time
 * only: chinese-days is a devDependency). Shared by scripts/generate-calendar.ts
 * and the standard's generate/check run (packages/standard/scripts/generators/calendar.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { CalendarYear } from '../src/calendar.ts';

const require = createRequire(import.meta.url);

interface ChineseDaysData {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
}

/** "Spring Festival,春节,4" → "春节 Spring Festival" */
function holidayName(value: string): string {
  const [en, zh] = value.split(',');
  return zh ? `${zh} ${en}` : value;
}

export function calendarYears(): CalendarYear[] {
  const pkg = JSON.parse(readFileSync(require.resolve('chinese-days/package.json'), 'utf8')) as { version: string };
  const data = JSON.parse(readFileSync(require.resolve('chinese-days/dist/chinese-days.json'), 'utf8')) as ChineseDaysData;
  const years = new Map<number, CalendarYear>();
  const yearOf = (date: string): CalendarYear => {
    const year = Number(date.slice(0, 4));
    let y = years.get(year);
    if (!y) {
      y = {
        $comment: `generated — do not edit: packages/rules/scripts/generate-calendar.ts from chinese-days ${pkg.version}`,
        year,
        source: { package: 'chinese-days', version: pkg.version },
        holidays: {},
        workingDays: {},
      };
      years.set(year, y);
    }
    return y;
  };
  for (const date of Object.keys(data.holidays).sort()) yearOf(date).holidays[date] = holidayName(data.holidays[date]);
  for (const date of Object.keys(data.workdays).sort()) yearOf(date).workingDays[date] = holidayName(data.workdays[date]);
  return [...years.values()].sort((a, b) => a.year - b.year);
}

/** The files to write, relative to the repository root. */
export async function generate(_root?: string): Promise<Array<{ path: string; content: string }>> {
  return calendarYears().map((y) => ({
    path: `packages/rules/data/calendar/${y.year}.json`,
    content: `${JSON.stringify(y, null, 2)}\n`,
  }));
}
