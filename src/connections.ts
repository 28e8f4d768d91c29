import type { Logger } from 'pino';
import type { ConnectorContext } from './app/connector.js';
import type { Coordination } from './app/coordination.js';
import type { ConnectionHealth } from './app/health.js';
import type { InboundService } from './app/inbound.js';
import type { Metrics } from './app/metrics.js';
import type { ReceiptIngest } from './app/receipts.js';
import type { Store } from './app/store.js';
import type { ConnectionFactory } from './app/topology.js';
import type { Clock } from './app/clock.js';
import { connectionProblems } from './config/file.js';
import type { Catalogue } from './core/catalogue/catalogue.js';
import { SwitchboardError } from './core/errors.js';
import type { ProviderPlugin } from './providers/plugin.js';

/** Makes connections from their settings (the file's, or the API's), checked as the file is. */
export function connectionFactory(plugins: ReadonlyMap<string, ProviderPlugin>, env: { clock: Clock; publicUrl: string }): ConnectionFactory {
  return (settings) => {
    const problems = connectionProblems(settings, plugins);
    if (problems.length > 0) {
      throw new SwitchboardError('invalid_parameter', `connection ${JSON.stringify(settings.name)}: ${problems.join('; ')}.`, { param: problems[0]!.split(':')[0]! });
    }
    const plugin = plugins.get(String(settings.provider))!;
    try {
      return { connector: plugin.create(settings, env), tables: plugin.tables?.(settings) ?? [] };
    } catch (error) {
      throw new SwitchboardError('invalid_parameter', `connection ${JSON.stringify(settings.name)}: ${(error as Error).message}.`, { param: 'provider' });
    }
  };
}

export interface ContextDeps {
  readonly store: Store;
  readonly receipts: ReceiptIngest;
  readonly inbound: InboundService;
  readonly coordination: Coordination;
  readonly health: ConnectionHealth;
  readonly metrics: Metrics;
  readonly catalogue: Catalogue;
  readonly log: Logger;
  readonly nodeId: string;
  readonly variants: ((id: string) => string[]) | undefined;
}

/** What a connector reports to, and asks of, the node it runs on. */
export function connectorContext(connection: string, d: ContextDeps): ConnectorContext {
  return {
    // Both settle once what they carry is committed; a failure is thrown back to the connector,
    // which refuses the PDU so that the carrier delivers it again.
    receipt: (report) =>
      d.receipts.ingest(connection, report, d.variants).catch((err: unknown) => {
        d.log.error({ err, connection }, 'receipt failed');
        throw err;
      }),
    inbound: (message) =>
      d.inbound.receive(connection, message).then(
        () => undefined,
        (err: unknown) => {
          d.log.error({ err, connection }, 'inbound message failed');
          throw err;
        },
      ),
    awaitingReceipts: () => d.store.awaitingReceipts(connection),
    holdSessions: (count, max, ttlMs) => d.coordination.holdSlots(`sessions:${connection}`, d.nodeId, count, max, ttlMs),
    releaseSessions: () => d.coordination.releaseSlots(`sessions:${connection}`, d.nodeId),
    status: ({ state, reason }) => {
      d.metrics.connection(connection, state === 'up');
      d.health.report(connection, state);
      const why = reason && d.catalogue.explain(reason.provider, reason.code, reason.context);
      const detail = why && { code: reason.code, meaning: why.provider_message, canonical: why.canonical?.code, resolution: why.canonical?.resolution };
      if (state === 'up') d.log.info({ connection }, 'connection up');
      else if (state === 'standby') d.log.info({ connection }, 'connection standing by: other nodes hold its binds');
      else d.log.warn({ connection, reason: detail }, 'connection down');
    },
  };
}
