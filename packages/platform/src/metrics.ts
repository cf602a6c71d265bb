/**
 * Prometheus metrics through the maintained `prom-client` (text exposition format 0.0.4).
 * One registry per platform (several in one process in tests), no default process metrics.
 * The metric names are those the platform always had (docs/platform.md, "Metrics").
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({ name: 'jiexu_http_requests_total', help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'], registers: [this.registry] });
  readonly duration = new Histogram({
    name: 'jiexu_http_request_duration_seconds',
    help: 'HTTP request duration.',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly accepted = new Counter({ name: 'jiexu_messages_accepted_total', help: 'Messages accepted (first time), by type.', labelNames: ['type'], registers: [this.registry] });
  readonly replayed = new Counter({ name: 'jiexu_messages_replayed_total', help: 'Identical re-sends answered with the original acceptance.', registers: [this.registry] });
  readonly rejected = new Counter({ name: 'jiexu_messages_rejected_total', help: 'Messages refused, by error code.', labelNames: ['error'], registers: [this.registry] });
  readonly generated = new Counter({ name: 'jiexu_messages_generated_total', help: 'Messages the platform generated, by kind (reminder, duplicate-notice).', labelNames: ['kind'], registers: [this.registry] });
  readonly webhooks = new Counter({ name: 'jiexu_webhook_deliveries_total', help: 'Webhook delivery attempts, by result (delivered, failed, gave-up).', labelNames: ['result'], registers: [this.registry] });
  private readonly gauges = new Map<string, Gauge>();

  /** Content-Type of render()'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Renders every metric plus gauges read at scrape time. */
  async render(gauges: Array<{ name: string; help: string; value: number }>): Promise<string> {
    for (const g of gauges) {
      let gauge = this.gauges.get(g.name);
      if (!gauge) this.gauges.set(g.name, (gauge = new Gauge({ name: g.name, help: g.help, registers: [this.registry] })));
      gauge.set(g.value);
    }
    return this.registry.metrics();
  }
}
