import type { Lang } from '../lang.ts';

/**
 * A one-line progress counter on stderr, only when stderr is a terminal and
 * not under CI (never in pipes or logs).
 */
export class Progress {
  private readonly on = Boolean(process.stderr.isTTY) && !process.env.CI;
  private last = 0;
  private shown = false;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly lang: Lang,
  ) {}

  update(count: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    const secs = (now - this.started) / 1000;
    const rate = Math.round(count / Math.max(secs, 0.001)).toLocaleString('en');
    const line = this.lang === 'zh' ? `${this.label} ${count.toLocaleString('en')} 条记录  每秒 ${rate} 条  ` : `${this.label} ${count.toLocaleString('en')} records  ${rate}/s  `;
    process.stderr.write(`\r${line}`);
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
