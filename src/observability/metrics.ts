import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WebhookTargetStats } from '../app/store.js';
import type { Metrics } from '../app/metrics.js';

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The node's Prometheus series. `queueDepth` is read from storage at scrape time. */
export function prometheusMetrics(
  queueDepth: () => Promise<Record<string, number>>,
  webhookTargets: () => Promise<readonly WebhookTargetStats[]>,
): { metrics: Metrics; registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const accepted = new Counter({ name: 'switchboard_messages_accepted_total', help: 'Messages accepted through the API', registers: [registry] });
  const acceptLatency = new Histogram({
    name: 'switchboard_accept_duration_seconds',
    help: 'Time to validate and durably store one send request',
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const dispatched = new Counter({ name: 'switchboard_messages_dispatched_total', help: 'Submit attempts made to providers', labelNames: ['connection'], registers: [registry] });
  const dispatchLatency = new Histogram({
    name: 'switchboard_dispatch_duration_seconds',
    help: 'Time for a provider to answer a submit',
    labelNames: ['connection'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const finished = new Counter({
    name: 'switchboard_messages_finished_total',
    help: 'Messages that reached a final status',
    labelNames: ['status', 'error_code'],
    registers: [registry],
  });
  const read = new Counter({ name: 'switchboard_messages_read_total', help: 'Messages the recipient read (after delivery or in its place)', registers: [registry] });
  const connectionUp = new Gauge({
    name: 'switchboard_connection_up',
    help: 'Whether a connection can take messages (1) or is down (0)',
    labelNames: ['connection'],
    registers: [registry],
  });
  new Gauge({
    name: 'switchboard_queue_depth',
    help: 'Messages waiting to be dispatched (queued or scheduled)',
    labelNames: ['connection'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [connection, n] of Object.entries(await queueDepth())) this.set({ connection }, n);
    },
  });
  // Per endpoint, from counts the store keeps as deliveries come and go (shared by the nodes).
  const perEndpoint = (name: string, help: string, value: (s: WebhookTargetStats, now: number) => number | undefined) =>
    new Gauge({
      name,
      help,
      labelNames: ['endpoint'],
      registers: [registry],
      async collect() {
        this.reset();
        const now = Date.now();
        for (const s of await webhookTargets()) {
          const v = value(s, now);
          if (v !== undefined) this.set({ endpoint: s.endpointId }, v);
        }
      },
    });
  perEndpoint('switchboard_webhook_pending', 'Webhook deliveries neither delivered nor given up, per endpoint', (s) => s.pending);
  perEndpoint('switchboard_webhook_in_flight', 'Webhook posts waiting for their answer, per endpoint', (s) => s.inFlight);
  perEndpoint('switchboard_webhook_oldest_pending_seconds', 'Age of the oldest pending webhook delivery, per endpoint', (s, now) =>
    s.oldestPendingAt === null ? 0 : Math.max(0, (now - s.oldestPendingAt) / 1000),
  );
  perEndpoint('switchboard_webhook_delivered', 'Webhook deliveries delivered to the endpoint since it was created (rate() of it is its delivery rate)', (s) => s.delivered);
  perEndpoint('switchboard_webhook_given_up', 'Webhook deliveries given up since the endpoint was created', (s) => s.failed);
  return {
    registry,
    metrics: {
      accepted(count, seconds) {
        accepted.inc(count);
        acceptLatency.observe(seconds);
      },
      dispatched(connection, seconds) {
        dispatched.inc({ connection });
        dispatchLatency.observe({ connection }, seconds);
      },
      finished(status, errorCode) {
        finished.inc({ status, error_code: errorCode ?? '' });
      },
      read() {
        read.inc();
      },
      connection(name, up) {
        connectionUp.set({ connection: name }, up ? 1 : 0);
      },
    },
  };
}
