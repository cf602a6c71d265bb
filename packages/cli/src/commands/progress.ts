/**
 * A one-line progress counter on stderr, only when stderr is a terminal and
 * not under CI (never in pipes or logs).
 */
export class Progress {
  private readonly on = Boolean(process.stderr.isTTY) && !process.env.CI;
  private last = 0;
  private shown = false;
  private readonly started = Date.now();

  constructor(private readonly label: string) {}

  update(count: number): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    const secs = (now - this.started) / 1000;
    process.stderr.write(`\r${this.label} ${count.toLocaleString('en')} records  ${Math.round(count / Math.max(secs, 0.001)).toLocaleString('en')}/s  `);
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
  }
}
