import type { Catalogue } from '../core/catalogue/catalogue.js';
import { interpret } from '../core/catalogue/interpret.js';
import { isFinal, type MessageStatus } from '../core/lifecycle.js';
import type { MessageEvent } from '../core/message.js';
import { Batcher } from './batcher.js';
import type { Clock } from './clock.js';
import type { ReceiptReport } from './connector.js';
import type { Recovery } from './recovery.js';
import type { ProviderIdRecord, Store, Transition } from './store.js';
import type { TransitionWriter } from './transitions.js';

/**
 * How long a receipt for an id that no write of this node is recording waits, on a store shared
 * with other nodes, before it is parked: the node that sent its message commits the id within a
 * few ms, and parking costs a commit and a later delete.
 */
const OTHER_NODE_WAIT_MS = 50;

/**
 * Turns delivery receipts into lifecycle transitions. A receipt for a provider id not recorded yet
 * (it overtook the provider's submit answer) is parked and applied when the id is recorded. A
 * message sent in parts is delivered when every part is, and fails as soon as one part fails.
 * A failure the catalogue calls transient sends the message again, as at submit.
 */
export class ReceiptIngest {
  /** Where the sweep of parked receipts goes on from: it looks at a page of them each time. */
  #sweptTo = 0;
  /** Receipts parked and not yet applied; while none are, recording an id costs no look-up. */
  #parked: number | undefined;
  /** Provider ids this node is recording right now: a receipt for one waits for the write, not the database. */
  readonly #recording = new Map<string, Promise<unknown>>();
  /** Provider ids looked up in the same turn share one query per connection. */
  readonly #lookups: Batcher<{ readonly connection: string; readonly id: string }, ProviderIdRecord | undefined>;

  constructor(
    private readonly store: Store,
    private readonly catalogue: Catalogue,
    private readonly writer: TransitionWriter,
    private readonly clock: Clock,
    private readonly recovery: Recovery,
    /** Called when a failed receipt put a message back in a connection's queue. */
    private readonly requeued: (connection: string) => void,
    /** Whether other nodes share the store: they park receipts this node cannot count. */
    private readonly shared = false,
  ) {
    this.#lookups = new Batcher(async (keys) => {
      const found = new Map<string, ProviderIdRecord>();
      for (const connection of new Set(keys.map((k) => k.connection))) {
        const ids = keys.filter((k) => k.connection === connection).map((k) => k.id);
        for (const r of await store.findProviderIds(connection, ids)) found.set(`${connection}\u0000${r.providerMessageId}`, r);
      }
      return keys.map((k) => found.get(`${k.connection}\u0000${k.id}`));
    });
  }

  #find(connection: string, id: string): Promise<ProviderIdRecord | undefined> {
    return this.#lookups.push({ connection, id });
  }

  /** The record of the first of these keys that has one. */
  async #findAny(connection: string, keys: readonly string[]): Promise<ProviderIdRecord | undefined> {
    for (const id of keys) {
      const found = await this.#find(connection, id);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Tells the ingest that these provider ids are being recorded by `write`. A receipt that
   * overtakes the write (the carrier answered faster than the commit) waits for it instead of
   * being parked in the database.
   */
  recording(connection: string, keys: readonly string[], write: Promise<unknown>): void {
    const settled = write.catch(() => undefined);
    for (const key of keys) this.#recording.set(`${connection}\u0000${key}`, settled);
    void settled.then(() => {
      for (const key of keys) this.#recording.delete(`${connection}\u0000${key}`);
    });
  }

  /** Receipts on their way in: a node stopping lets them reach the writer before it drains. */
  readonly #ingesting = new Set<Promise<void>>();

  /** Applies a receipt; `variants` gives the keys its id may have been recorded under. */
  ingest(connection: string, report: ReceiptReport, variants: (id: string) => string[] = (id) => [id]): Promise<void> {
    const ingesting = this.#ingest(connection, report, variants);
    this.#ingesting.add(ingesting);
    void ingesting.catch(() => undefined).finally(() => this.#ingesting.delete(ingesting));
    return ingesting;
  }

  /** Resolves once every receipt received so far went through (applied, parked or failed). */
  async drain(): Promise<void> {
    while (this.#ingesting.size > 0) await Promise.allSettled([...this.#ingesting]);
  }

  async #ingest(connection: string, report: ReceiptReport, variants: (id: string) => string[]): Promise<void> {
    // Let the submit answers already read from the same connection be processed first: a receipt
    // often arrives in the same packet as its submit answer.
    await new Promise((resolve) => setImmediate(resolve));
    const keys = variants(report.providerMessageId);
    for (const key of keys) await this.#recording.get(`${connection}\u0000${key}`);
    let found = await this.#findAny(connection, keys);
    // A carrier may send it to any node's bind: on a shared store, the sender may be recording it.
    if (!found && this.shared) {
      await new Promise((resolve) => setTimeout(resolve, OTHER_NODE_WAIT_MS));
      found = await this.#findAny(connection, keys);
    }
    if (found) return this.#apply(found, report);
    // Parked under every key it may match, so that whichever form is recorded releases it.
    for (const key of keys) await this.store.parkReceipt({ connection, providerMessageId: key, receivedAt: this.clock.now(), receipt: report });
    this.#parked = (this.#parked ?? 0) + keys.length;
    // The id may have been recorded while we parked: look again, so the receipt is never stranded.
    for (const key of keys) if (await this.#find(connection, key)) return this.release(connection, [key], variants);
  }

  /** Applies receipts parked for provider ids that have just been recorded. */
  async release(connection: string, keys: readonly string[], variants: (id: string) => string[] = (id) => [id]): Promise<void> {
    if (!this.shared) {
      this.#parked ??= await this.store.countParkedReceipts();
      if (this.#parked === 0) return;
    }
    for (const p of await this.store.parkedReceipts(connection, keys)) {
      const report = p.receipt as ReceiptReport;
      const found = await this.#find(connection, p.providerMessageId);
      if (found) await this.#apply(found, report);
      // Unparked (with its copies under the other keys) only once applied: a node that dies in
      // between leaves it to the sweep. Two nodes releasing it at once apply it once (the status
      // change is guarded) and note the repeat.
      const spent = await this.store.dropParkedReceipt(connection, [...new Set([p.providerMessageId, ...variants(report.providerMessageId)])], p.receipt);
      if (this.#parked !== undefined) this.#parked = Math.max(0, this.#parked - spent);
    }
  }

  /**
   * Applies the receipts a node parked and then died before applying, though their provider id
   * is recorded by now (on start, and now and then: any node may do it for any other).
   */
  async sweep(variantsOf: (connection: string) => ((id: string) => string[]) | undefined): Promise<void> {
    const { stranded, next } = await this.store.strandedReceipts(this.#sweptTo, 500);
    this.#sweptTo = next;
    for (const { connection, providerMessageId } of stranded) await this.release(connection, [providerMessageId], variantsOf(connection));
  }

  async #apply(record: ProviderIdRecord, report: ReceiptReport): Promise<void> {
    const { state, error } = interpret(this.catalogue, report.status, report.error);
    // The event is when Switchboard learned it, so a message's times never go backwards (a
    // receipt's done date often has only minute resolution); the provider's own time is kept beside.
    const at = this.clock.now();
    const detail = {
      connection: record.connection,
      provider_message_id: record.providerMessageId,
      ...(report.occurredAt !== null && { provider_time: new Date(report.occurredAt).toISOString() }),
      ...(record.parts > 1 && { part: record.part, parts: record.parts }),
    };
    const target = state && isFinal(state) ? await this.#messageState(record, state) : undefined;
    const event = { at, type: 'receipt', status: target ?? null, error, detail, payload: report.raw };
    if (target) {
      const transition: Transition = (error?.retry === 'after_delay' && (await this.#retry(record, target, event))) || {
        messageId: record.messageId,
        // Its provider id is recorded with the move to sent: a message not sent (any more) is
        // being sent again, and this receipt is of an earlier attempt.
        from: ['sent'],
        to: target,
        event,
        error,
        dueAt: null,
      };
      // A read receipt reads a delivered message, or a sent one whose delivery receipt it overtook.
      const applied = (target === 'read' && (await this.writer.apply({ ...transition, from: ['delivered'] }))) || (await this.writer.apply(transition));
      if (applied && transition.to === 'queued') this.requeued(transition.connection ?? record.connection);
      if (applied) return;
    }
    // A progress report, a part of a message not finished yet, or a late or repeated receipt:
    // kept on the message's events, changing nothing.
    // A part's receipt is news even when another part already decided the message; a whole
    // message's receipt that changes nothing is a repeat.
    const repeat = target !== undefined && record.parts <= 1;
    await this.writer.note({ messageId: record.messageId, event: { ...event, type: repeat ? 'receipt_ignored' : 'receipt', status: null } });
  }

  /** A transient failure in a receipt: the message goes again, unless its retries are spent or it would expire. */
  async #retry(record: ProviderIdRecord, target: MessageStatus, event: MessageEvent): Promise<Transition | undefined> {
    const message = await this.store.findMessage(record.messageId);
    if (!message || message.status !== 'sent' || message.connection !== record.connection) return undefined;
    return this.recovery.plan({
      message,
      error: event.error!,
      finalState: target,
      from: ['sent'],
      now: event.at,
      finalType: 'receipt',
      detail: event.detail ?? {},
      payload: event.payload,
    });
  }

  /** The message's state once this part's final state is known; undefined while parts are pending. */
  async #messageState(record: ProviderIdRecord, state: MessageStatus): Promise<MessageStatus | undefined> {
    if (record.parts <= 1) return state;
    await this.store.setPartState(record.connection, record.providerMessageId, state);
    if (state !== 'delivered') return state;
    const parts = await this.store.partStates(record.messageId);
    const delivered = parts.filter((p) => p.state === 'delivered').length;
    return delivered >= record.parts ? 'delivered' : undefined;
  }
}
