/** Today's date in China, for the citizen-ID birth-date check (identifiers.ts) and the memo of its answers (citizen-id-memo.ts). */

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3600_000;
/** The last answer of todayInChina and the span of Date.now() (UTC ms, [from, until)) it holds for. */
let today = { date: '', from: 0, until: 0 };

/**
 * Today's date in China (UTC+08:00, no daylight saving), YYYY-MM-DD. Every citizen ID checked
 * asks: the date is formatted once a day, not once an ID (toISOString was most of a valid ID's check).
 */
export function todayInChina(): string {
  const now = Date.now();
  if (now < today.from || now >= today.until) {
    const from = Math.floor((now + CHINA_OFFSET_MS) / DAY_MS) * DAY_MS - CHINA_OFFSET_MS;
    today = { date: new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10), from, until: from + DAY_MS };
  }
  return today.date;
}
