import { say, type Lang } from '../lang.ts';

/**
 * A progress bar on stderr (cli-progress): bytes read of the file's size, the
 * rate and the time left, with the records so far. Only when stderr is a
 * terminal and not under CI — never in pipes or logs. When the reader cannot
 * tell how far it is (a workbook read by exceljs, stdin), records only.
 */
import cliProgress from 'cli-progress';

export class Progress {
  private readonly on = Boolean(process.stderr.isTTY) && !process.env.CI;
  private bar: cliProgress.SingleBar | undefined;
  private last = 0;

  constructor(
    private readonly label: string,
    private readonly lang: Lang,
  ) {}

  /** `bytes` of `total` read so far, `records` passed on. */
  update(records: number, bytes = 0, total = 0): void {
    if (!this.on) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const mb = (n: number): string => (n / 2 ** 20).toFixed(1);
    if (!this.bar) {
      const sized = total > 0 && bytes > 0;
      this.bar = new cliProgress.SingleBar(
        {
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
          format: say(sized
            ? { zh: `${this.label} [{bar}] {percentage}% {done}/{size} MB  {rate} MB/s  剩余 {eta_formatted}  {records} 条记录`, en: `${this.label} [{bar}] {percentage}% {done}/{size} MB  {rate} MB/s  ETA {eta_formatted}  {records} records` }
            : { zh: `${this.label} {records} 条记录`, en: `${this.label} {records} records` }, this.lang),
          formatValue: (v: number, _o: unknown, type: string) => String(v),
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(sized ? total : 1, 0, { records: 0, done: '0', size: mb(total), rate: '0' });
      this.started = now;
    }
    const secs = Math.max((now - this.started) / 1000, 0.001);
    this.bar.update(Math.min(bytes, this.bar.getTotal()), { records: records.toLocaleString('en'), done: mb(bytes), size: mb(total), rate: (bytes / 2 ** 20 / secs).toFixed(1) });
  }

  private started = 0;

  done(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
