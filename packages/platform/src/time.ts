/**
 * Dates in the platform's legal time zone. Deadlines are calendar dates in China
 * (UTC+08:00, no daylight saving): a step started at 2026-03-02T23:30+08:00 started on 2026-03-02.
 */
const OFFSET_MS = 8 * 3_600_000;

/** The date (YYYY-MM-DD) in UTC+08:00 of an instant. */
export function chinaDate(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** A date from a message field: YYYY-MM-DD as is; an RFC 3339 date-time converted to its UTC+08:00 date. */
export function dateOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : chinaDate(new Date(t));
}
