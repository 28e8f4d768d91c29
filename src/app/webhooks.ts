import { SwitchboardError } from '../core/errors.js';
import { unstorableIn } from '../core/validation/text.js';
import type { Connector, WebhookRequest } from './connector.js';
import type { InboundService } from './inbound.js';
import type { Lookups } from './lookups.js';
import { readPayload } from './normalize.js';
import type { ReceiptIngest } from './receipts.js';

/** Webhook calls from providers: read by the connection's own reader, then ingested. */
export class WebhookService {
  constructor(
    private readonly connectors: ReadonlyMap<string, Connector>,
    private readonly receipts: ReceiptIngest,
    private readonly inbound: InboundService,
    private readonly lookups: Pick<Lookups, 'complete'>,
  ) {}

  async receive(provider: string, connection: string, request: WebhookRequest): Promise<{ receipts: number; inbound: number }> {
    const connector = this.connectors.get(connection);
    if (!connector || connector.provider !== provider || !connector.webhooks) {
      throw new SwitchboardError('not_found', `No ${provider} connection named ${JSON.stringify(connection)} takes webhooks here.`, { param: 'connection' });
    }
    const reading = readPayload(provider, () => connector.webhooks!(request));
    const flaw = unstorableIn(reading);
    if (flaw) throw new SwitchboardError(flaw.code, `The ${provider} payload cannot be stored: ${flaw.param} ${flaw.why}.`);
    for (const report of reading.receipts) await this.receipts.ingest(connection, report, connector.capabilities.idVariants);
    for (const message of reading.inbound) await this.inbound.receive(connection, message);
    await this.lookups.complete(connection, reading.lookups ?? []);
    return { receipts: reading.receipts.length, inbound: reading.inbound.length };
  }
}
