import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { addWorkingDays, CALENDAR_DIR, isWorkingDay, loadCalendar, officialCalendar } from './calendar.ts';

describe('official working-day calendar', () => {
  it('holds 2004–2026 and agrees with chinese-days on every day of them', () => {
    expect(officialCalendar().knownYears()).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    let disagreements = 0;
    for (let t = Date.UTC(2004, 0, 1); t <= Date.UTC(2026, 11, 31); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      if (isWorkingDay(date) !== chineseDays.isWorkday(date)) disagreements += 1;
    }
    expect(disagreements).toBe(0);
  });

  it('crosses the 2026 Spring Festival (2-15..2-23 off) and counts the adjusted Saturdays 2-14 and 2-28', () => {
    // 国办发明电〔2025〕7号: 春节 2月15日至23日放假，2月14日（周六）、2月28日（周六）上班
    expect(isWorkingDay('2026-02-14')).toBe(true);
    expect(isWorkingDay('2026-02-28')).toBe(true);
    expect(isWorkingDay('2026-02-16')).toBe(false);
    // 11,12,13,14(Sat) = 4; 24,25,26,27,28(Sat) = 9; 3-2..3-6 = 14; 3-9 = 15
    expect(addWorkingDays('2026-02-10', 15)).toEqual({ date: '2026-03-09', estimated: false, estimatedYears: [] });
    // the adjusted Saturday itself can be the deadline
    expect(addWorkingDays('2026-02-13', 1).date).toBe('2026-02-14');
    expect(addWorkingDays('2026-02-27', 1).date).toBe('2026-02-28');
  });

  it('does not count the day of receipt; n = 0 is the day itself', () => {
    expect(addWorkingDays('2026-11-27', 1).date).toBe('2026-11-30'); // Friday → Monday
    expect(addWorkingDays('2026-11-27', 0).date).toBe('2026-11-27');
    expect(() => addWorkingDays('2026-11-27', -1)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-02-30', 1)).toThrow(RangeError);
  });

  it('flags a deadline in a year the calendar does not hold as a weekends-only estimate', () => {
    const r = addWorkingDays('2026-12-24', 15);
    expect(r.estimated).toBe(true);
    expect(r.estimatedYears).toEqual([2027]);
    // 25, 28, 29, 30, 31 (2026) then 1-1 is a Friday: weekends only, no 元旦 known
    expect(r.date).toBe('2027-01-14');
    expect(addWorkingDays('2026-12-01', 15).estimated).toBe(false);
  });

  it('adding a year is adding a data file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jiexu-calendar-'));
    for (const f of readdirSync(CALENDAR_DIR)) copyFileSync(join(CALENDAR_DIR, f), join(dir, f));
    const y2027 = { year: 2027, source: { package: 'test', version: '0' }, holidays: { '2027-01-01': '元旦' }, workingDays: {} };
    writeFileSync(join(dir, '2027.json'), JSON.stringify(y2027));
    const cal = loadCalendar(dir);
    const r = cal.addWorkingDays('2026-12-24', 15);
    expect(r.estimated).toBe(false);
    expect(r.date).toBe('2027-01-15'); // 1-1 is now a holiday: one day later than the estimate
    expect(JSON.parse(readFileSync(join(CALENDAR_DIR, '2026.json'), 'utf8')).$comment).toMatch(/generated — do not edit/);
  });
});
