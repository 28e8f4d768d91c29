import { Gauge, type Registry } from 'prom-client';
import type { QualityBoard } from '../app/quality-board.js';
import { MICRO } from '../core/accounts/money.js';
import { costPerDelivered, deliveryRate, latencyPercentile, type QualityCounts } from '../core/quality/counts.js';

/**
 * Measured quality per connection and destination country, from the node's board (its last
 * refresh of the shared counters): read at scrape time, never a query of its own.
 */
export function qualityGauges(registry: Registry, board: Pick<QualityBoard, 'countryTotals' | 'degradations'>): void {
  const labelNames = ['connection', 'country'];
  const perDestination = (name: string, help: string, value: (c: QualityCounts) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        this.reset();
        for (const { connection, country, counts } of board.countryTotals().values()) {
          const v = value(counts);
          if (v !== null && Number.isFinite(v)) this.set({ connection, country: country ?? '' }, v);
        }
      },
    });
  perDestination('switchboard_connection_submits', 'Submits over the quality window, per connection and destination country', (c) => c.submits);
  perDestination('switchboard_connection_delivery_rate', 'Delivered among the outcomes known over the quality window', deliveryRate);
  perDestination('switchboard_connection_receipt_latency_p50_seconds', 'Median time from submit to the delivered receipt (histogram bucket bound)', (c) => ms(latencyPercentile(c, 0.5)));
  perDestination('switchboard_connection_receipt_latency_p95_seconds', '95th percentile of the time from submit to the delivered receipt', (c) => ms(latencyPercentile(c, 0.95)));
  perDestination('switchboard_connection_cost_per_delivered', 'What one delivered message cost, at the route prices', (c) => {
    const cost = costPerDelivered(c);
    return cost === null ? null : cost / MICRO;
  });
  new Gauge({
    name: 'switchboard_connection_degraded',
    help: 'A connection degraded for a destination country (1), by reason, until it recovers',
    labelNames: [...labelNames, 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const d of board.degradations()) this.set({ connection: d.connection, country: d.country ?? '', reason: d.reason }, 1);
    },
  });
}

const ms = (v: number | null) => (v === null ? null : v / 1000);
