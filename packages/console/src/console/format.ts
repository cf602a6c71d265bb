/** Formatting for the console: exact yuan from integer fen (no floating point), China-time dates. */
import { currentLang } from '../app/i18n.ts';

/** 1234567 fen → "12,345.67" (integer arithmetic on the digits). */
export function yuan(fen: number): string {
  const negative = fen < 0;
  const digits = String(Math.abs(Math.trunc(fen))).padStart(3, '0');
  const whole = digits.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${whole}.${digits.slice(-2)}`;
}

/** An instant as YYYY-MM-DD HH:MM in China (UTC+08:00). */
export function chinaTime(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

export function count(n: number): string {
  return n.toLocaleString(currentLang() === 'zh' ? 'zh-CN' : 'en-US');
}
