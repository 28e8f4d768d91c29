import type { Clock } from './clock.js';
import type { InboundReport } from './connector.js';
import { newId } from './ids.js';
import { DEFAULT_ACCOUNT } from './keys.js';
import type { InboundMessage, Store } from './store.js';

/**
 * Messages subscribers send in (MO), whatever the connection: each belongs to the account that
 * owns the number it was sent to (its inbound list, its webhooks, its opt-outs), and to the
 * operator's account when nobody owns it.
 */
export class InboundService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Runs once the message is stored (opt-out keywords). */
    private readonly received: (message: InboundMessage) => Promise<void>,
    /** The account owning the number a message was sent to; undefined: nobody's. */
    private readonly ownerOf: (to: string) => Promise<string | undefined>,
  ) {}

  async receive(connection: string, report: InboundReport): Promise<InboundMessage> {
    const now = this.clock.now();
    const message: InboundMessage = {
      id: newId('in', now),
      accountId: (await this.ownerOf(report.to)) ?? DEFAULT_ACCOUNT,
      connection,
      from: report.from,
      to: report.to,
      text: report.text,
      receivedAt: now,
      payload: report.raw,
    };
    await this.store.insertInbound(message);
    await this.received(message);
    return message;
  }

  /** One page, newest first, and the cursor of the next page (null on the last). */
  async list(accountId: string, before: string | undefined, limit: number): Promise<{ messages: InboundMessage[]; next: string | null }> {
    const rows = await this.store.listInbound(accountId, before, limit + 1);
    const page = rows.slice(0, limit);
    return { messages: page, next: rows.length > limit ? page[page.length - 1]!.id : null };
  }
}
