/** Prometheus metrics, hand-written text exposition format 0.0.4. */

type Labels = Record<string, string>;

function key(labels: Labels): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');
}

class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (!this.values.size) lines.push(`${this.name} 0`);
    for (const [k, v] of this.values) lines.push(`${this.name}${k ? `{${k}}` : ''} ${v}`);
    return lines.join('\n');
  }
}

class Histogram {
  private readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[],
  ) {}
  observe(labels: Labels, value: number): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 }));
    this.bounds.forEach((b, i) => {
      if (value <= b) s!.buckets[i]++;
    });
    s.sum += value;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const sep = k ? `${k},` : '';
      this.bounds.forEach((b, i) => lines.push(`${this.name}_bucket{${sep}le="${b}"} ${s.buckets[i]}`));
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export class Metrics {
  readonly requests = new Counter('jiexu_http_requests_total', 'HTTP requests by method, route and status.');
  readonly duration = new Histogram('jiexu_http_request_duration_seconds', 'HTTP request duration.', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]);
  readonly accepted = new Counter('jiexu_messages_accepted_total', 'Messages accepted (first time), by type.');
  readonly replayed = new Counter('jiexu_messages_replayed_total', 'Identical re-sends answered with the original acceptance.');
  readonly rejected = new Counter('jiexu_messages_rejected_total', 'Messages refused, by error code.');
  readonly generated = new Counter('jiexu_messages_generated_total', 'Messages the platform generated, by kind (reminder, duplicate-notice).');
  readonly webhooks = new Counter('jiexu_webhook_deliveries_total', 'Webhook delivery attempts, by result (delivered, failed, gave-up).');

  /** Renders every metric plus gauges read at scrape time. */
  render(gauges: Array<{ name: string; help: string; value: number }>): string {
    const parts = [this.requests, this.duration, this.accepted, this.replayed, this.rejected, this.generated, this.webhooks].map((m) => m.render());
    for (const g of gauges) parts.push(`# HELP ${g.name} ${g.help}\n# TYPE ${g.name} gauge\n${g.name} ${g.value}`);
    return `${parts.join('\n')}\n`;
  }
}
