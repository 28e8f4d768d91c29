import type { Catalogue } from '../core/catalogue/catalogue.js';
import { interpret, messageError } from '../core/catalogue/interpret.js';
import { encodeText } from '../core/encoding/segments.js';
import type { Message, MessageError, MessageEvent } from '../core/message.js';
import type { CanonicalCode } from '../core/catalogue/canonical.js';
import { SwitchboardError } from '../core/errors.js';
import { isConnectionFault } from '../core/policies/breaker.js';
import { refusedStatus, resendUnknownTo } from '../core/policies/retry.js';
import { nextConnection } from '../core/routing/router.js';
import type { Clock } from './clock.js';
import type { Connector, SubmitResult } from './connector.js';
import type { ConnectionHealth } from './health.js';
import type { Metrics } from './metrics.js';
import type { ReceiptIngest } from './receipts.js';
import type { Recovery } from './recovery.js';
import type { ClaimedMessage, Store } from './store.js';
import type { Coordination } from './coordination.js';
import { Sleeper } from './sleeper.js';
import { Window } from './throughput.js';
import type { TransitionWriter } from './transitions.js';

export interface DispatcherOptions {
  readonly store: Store;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  readonly writer: TransitionWriter;
  readonly receipts: ReceiptIngest;
  readonly metrics: Metrics;
  readonly health: ConnectionHealth;
  /** Where connections' submit pace is kept: shared by every node of a deployment. */
  readonly coordination: Coordination;
  readonly recovery: Recovery;
  /** This node's name: the owner of its claims. */
  readonly owner: string;
  /** How long a claim holds before another node (or this one, after a restart) may take it over. */
  readonly leaseMs: number;
  /** How often to look for due work without being woken (scheduled messages, expiries). */
  readonly pollMs: number;
  readonly onError: (error: unknown, connection: string) => void;
}

/** Sent without a trustworthy answer: a submit timed out, or a node stopped mid-send. */
function outcomeUnknown(message: Message): boolean {
  return message.error?.code === 'provider_timeout' || message.error?.code === 'outcome_unknown';
}

/** How late a pace timer may fire before its submit takes a new slot (see #pace). */
const LATE_MS = 20;

/** The pace asked again after it had no answer: from 50 ms, doubling, at most every second. */
const PACE_RETRY_MIN_MS = 50;
const PACE_RETRY_MAX_MS = 1000;

/** A write of a send the store could not take, made again: from 100 ms, doubling, at most every second. */
const PERSIST_RETRY_MIN_MS = 100;
const PERSIST_RETRY_MAX_MS = 1000;

/** How long a connection that is down holds messages no other connection can take before looking again. */
const HOLD_MS = 1000;
/** How often the leases of messages in flight are renewed: a third of the lease, so one failed renewal does not lose them. */
const renewalPeriod = (leaseMs: number) => Math.max(1, Math.floor(leaseMs / 3));

function event(at: number, type: string, status: Message['status'] | null, detail: Record<string, unknown> | null, error: MessageError | null = null, payload: unknown = null): MessageEvent {
  return { at, type, status, error, detail, payload };
}

/**
 * Takes due messages from the store and hands them to their connection, one lane per connection
 * so that a slow one never holds up the others. A lane claims no more than it can send soon (its
 * window and its TPS bound it), so memory stays flat whatever the backlog.
 */
export class Dispatcher {
  readonly #lanes = new Map<string, Lane>();
  /** Lanes of connections removed at run time: they send nothing, and expire what is left on them. */
  readonly #retired = new Map<string, Lane>();

  constructor(private readonly opts: DispatcherOptions) {}

  #started = false;
  #renewal: NodeJS.Timeout | undefined;

  start(): void {
    this.#started = true;
    for (const lane of this.#lanes.values()) lane.start();
    // A send may take longer than the lease (a throttle pause, a slow answer): its claim is kept
    // while it is in flight, or it would be claimed again and sent twice.
    this.#renewal = setInterval(() => void this.#renewLeases(), renewalPeriod(this.opts.leaseMs));
  }

  async #renewLeases(): Promise<void> {
    const ids = [...this.#lanes.values(), ...this.#retired.values()].flatMap((lane) => [...lane.inFlight]);
    if (ids.length === 0) return;
    const { store, clock, owner, leaseMs } = this.opts;
    try {
      await store.renewLeases(owner, ids, clock.now() + leaseMs);
    } catch (error) {
      this.opts.onError(error, 'lease renewal');
    }
  }

  /** A connection added at run time gets its lane (taking over from a retired one of that name). */
  add(connector: Connector): void {
    const retired = this.#retired.get(connector.name);
    this.#retired.delete(connector.name);
    // It only expires messages, as the new lane also does: claims keep them from meeting.
    void retired?.stop();
    const lane = new Lane(connector, this.opts, (c) => this.wake([c]));
    this.#lanes.set(connector.name, lane);
    if (this.#started) lane.start();
  }

  /**
   * A connection removed at run time: its lane finishes what it sends, then sends nothing more
   * but still expires the messages left on it (sent ones that wait for a receipt) at their validity.
   */
  async remove(name: string): Promise<void> {
    const lane = this.#lanes.get(name);
    if (!lane) return;
    this.#lanes.delete(name);
    this.#retired.set(name, lane);
    await lane.retire();
  }

  wake(connections: Iterable<string>): void {
    for (const c of connections) this.#lanes.get(c)?.wake();
  }

  /** Stops claiming, waits for the submits in flight, and writes their outcomes. */
  async stop(): Promise<void> {
    await Promise.all([...this.#lanes.values(), ...this.#retired.values()].map((l) => l.stop()));
    clearInterval(this.#renewal);
    await this.opts.writer.drain();
  }
}

class Lane {
  readonly #window: Window;
  #running = false;
  #retired = false;
  #loop: Promise<void> = Promise.resolve();
  #current: Promise<number> = Promise.resolve(0);
  readonly #sleeper = new Sleeper();
  readonly #sends = new Set<Promise<void>>();
  /** Ids of the messages this lane has claimed to send: their leases are renewed until the outcome is written. */
  readonly inFlight = new Set<string>();

  constructor(
    private readonly connector: Connector,
    private readonly opts: DispatcherOptions,
    private readonly wakeLane: (connection: string) => void,
  ) {
    this.#window = new Window(connector.window);
  }

  start(): void {
    this.#running = true;
    this.#loop = this.#run();
  }

  wake(): void {
    this.#sleeper.wake();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#sleeper.wake();
    await this.#loop;
    await Promise.all(this.#sends);
  }

  /** From now on only expires; resolves once the round under way and its submits are done. */
  async retire(): Promise<void> {
    this.#retired = true;
    this.#sleeper.wake();
    await this.#current.catch(() => undefined);
    await Promise.all(this.#sends);
  }

  async #run(): Promise<void> {
    while (this.#running) {
      let claimed = 0;
      try {
        this.#current = this.#round();
        claimed = await this.#current;
      } catch (error) {
        this.opts.onError(error, this.connector.name);
      }
      if (claimed === 0 && this.#running) await this.#sleeper.sleep(this.opts.pollMs);
    }
  }

  async #round(): Promise<number> {
    const { store, clock, owner, leaseMs, health } = this.opts;
    const name = this.connector.name;
    // A connection that cannot send leaves its messages queued, hands them to another connection
    // of their route once it is truly down, and in any case still expires them.
    const mode = this.#retired ? 'wait' : health.mode(name);
    const sending = mode === 'send' || mode === 'probe';
    // Claim in sizeable batches: one transaction for many messages, not one each.
    if (sending) await this.#window.whenFree(Math.ceil(this.connector.window / 2));
    if (!this.#running) return 0;
    const now = clock.now();
    const claimed = await store.claimDue({
      connection: name,
      now,
      mode: sending ? 'send' : mode === 'divert' ? 'hold' : 'expired',
      limit: mode === 'probe' ? 1 : sending ? Math.max(1, Math.min(this.#window.free, Math.ceil(this.connector.tps))) : 500,
      owner,
      leaseUntil: now + (mode === 'divert' ? HOLD_MS : leaseMs),
    });
    const starting = claimed.filter((m) => m.status === 'sending' && m.claimedFrom !== 'sending');
    const settled: Promise<unknown>[] = claimed.filter((m) => !starting.includes(m)).map((m) => this.#settle(m, now));
    // An account disabled or blocked since its messages were accepted sends none of them.
    const inactive = starting.length > 0 ? await store.inactiveAccounts([...new Set(starting.map((m) => m.accountId))]) : new Map();
    const toSend: ClaimedMessage[] = [];
    for (const message of starting) {
      const status = inactive.get(message.accountId);
      if (status) settled.push(this.#withhold(message, status, now));
      else toSend.push(message);
    }
    if (mode === 'probe' && toSend.length > 0) health.started(name);
    // Leases are renewed from the claim on, not from the send: a message waiting for its window
    // or its pace longer than the lease would be taken over and, once marked, read as a crash.
    for (const message of toSend) this.inFlight.add(message.id);
    for (const [i, message] of toSend.entries()) {
      await this.#window.acquire();
      let due: number | undefined;
      try {
        due = await this.#pace(message.segments);
      } catch (error) {
        // Stopped while the pace had no answer: the rest is not sent, and its leases lapse (to
        // be claimed again, as never sent), rather than being renewed for ever.
        this.#window.release();
        for (const left of toSend.slice(i)) this.inFlight.delete(left.id);
        throw error;
      }
      let placed = true;
      const free = () => {
        if (placed) this.#window.release();
        placed = false;
      };
      const send = this.#send(message, message.attempts, due, free).finally(() => {
        free();
        this.inFlight.delete(message.id);
        this.#sends.delete(send);
      });
      this.#sends.add(send);
    }
    await Promise.all(settled);
    // Held messages stay leased until the hold ends: they are not work done now.
    return mode === 'divert' ? 0 : claimed.length;
  }

  /**
   * Waits for the connection's next free slots, one per segment (carriers count throughput in
   * segments), and resolves with when they were due (undefined without a TPS). The pace is strict
   * and, with several nodes, global: an idle spell earns no burst, so no second ever holds more
   * than the connection's TPS.
   */
  async #pace(segments: number, again = false): Promise<number | undefined> {
    if (!Number.isFinite(this.connector.tps)) return undefined;
    const wait = await this.#reserve(segments);
    const due = this.opts.clock.now() + wait;
    // A timer cannot wait less than a millisecond: a slot due sooner is taken now (the pace still
    // holds over any second), rather than slowing a fast connection to one submit per tick.
    if (wait < 1) return due;
    await new Promise((r) => setTimeout(r, wait));
    // Woken well after its slot (a stalled event loop, a collection): sent now, this submit would
    // follow the last one closer than the pace allows, and the next one would follow at once. It
    // takes one new slot instead, from now (once: on a busy node every timer is a little late).
    return !again && this.#late(due, segments) ? this.#pace(segments, true) : due;
  }

  /**
   * The wait for the next free slots of the pace. While the coordination has no answer (Redis out
   * of reach), asked again, backing off: nothing goes without its slot, and the messages waiting
   * keep their leases, as they do for a slot. Only a lane that stops gives up.
   */
  async #reserve(segments: number): Promise<number> {
    for (let failures = 0; ; failures++) {
      try {
        return await this.opts.coordination.pace(`tps:${this.connector.name}`, this.#span(segments));
      } catch (error) {
        if (!this.#running) throw error;
        if (failures === 0) this.opts.onError(error, this.connector.name);
        await new Promise((r) => setTimeout(r, Math.min(PACE_RETRY_MAX_MS, PACE_RETRY_MIN_MS * 2 ** failures)));
      }
    }
  }

  #span(segments: number): number {
    return (segments * 1000) / this.connector.tps;
  }

  #late(due: number, segments: number): boolean {
    return this.opts.clock.now() - due > Math.max(this.#span(segments) / 2, LATE_MS);
  }

  /** A claimed message that is not to be sent: expired, held by a connection that is down, or left mid-send. */
  async #settle(message: ClaimedMessage, now: number): Promise<void> {
    const { writer, catalogue, health } = this.opts;
    const name = this.connector.name;
    if (message.claimedFrom === 'sending') return this.#recover(message, now);
    if (message.expiresAt > now) {
      const next = nextConnection(message.route?.chain ?? [], name, health.available, true);
      if (!next) return; // nowhere else to go: it waits out the hold and is looked at again
      const state = health.state(name);
      const reason = state?.up ? `the circuit breaker of ${name} is open` : `${name} is down`;
      const moved = await writer.apply({
        messageId: message.id,
        from: [message.claimedFrom],
        to: 'queued',
        event: event(now, 'failover', 'queued', { connection: name, to_connection: next, reason }),
        connection: next,
        dueAt: now,
      });
      if (moved) this.wakeLane(next);
      return;
    }
    if (message.claimedFrom === 'sent' && outcomeUnknown(message)) {
      // No receipt told what became of a submit that may have gone out: saying expired, delivered
      // or failed would be a guess.
      await writer.apply({
        messageId: message.id,
        from: ['sent'],
        to: 'unknown',
        event: event(now, 'unknown', 'unknown', { expires_at: new Date(message.expiresAt).toISOString() }, message.error),
        error: message.error,
        dueAt: null,
      });
      return;
    }
    const error = messageError(
      catalogue,
      'message_expired',
      message.claimedFrom === 'sent' ? 'No final delivery receipt arrived within the validity period.' : 'The message could not be sent within its validity period.',
    );
    await writer.apply({
      messageId: message.id,
      from: [message.claimedFrom],
      to: 'expired',
      event: event(now, 'expired', 'expired', { expires_at: new Date(message.expiresAt).toISOString() }, error),
      error,
      dueAt: null,
    });
  }

  /** A message of an account that may not send: failed with the account's code, its attempt given back (refunded: it never left). */
  async #withhold(message: ClaimedMessage, status: 'disabled' | 'blocked', now: number): Promise<void> {
    const { writer, catalogue, owner } = this.opts;
    const error = messageError(catalogue, status === 'blocked' ? 'account_blocked' : 'account_disabled', `Not sent: its account (or one above it) is ${status}.`);
    await writer.apply({
      messageId: message.id,
      from: ['sending'],
      claim: { owner, attempt: message.attempts },
      to: 'failed',
      event: event(now, 'failed', 'failed', { reason: `account ${status}` }, error),
      error,
      dueAt: null,
      attemptsDelta: -1,
    });
  }

  /**
   * A message found mid-send: its node stopped, or its lease ran out. Without a submit mark its
   * attempt certainly never left, and it goes again as if nothing happened (the attempt is given
   * back). With one, the provider may have it: its outcome is unknown, as for a submit that got
   * no answer.
   */
  async #recover(message: ClaimedMessage, now: number): Promise<void> {
    const { writer, catalogue, health } = this.opts;
    const connection = this.connector.name;
    const attempt = message.attempts;
    if (!message.submitMarked) {
      await writer.apply({
        messageId: message.id,
        from: ['sending'],
        to: 'queued',
        event: event(now, 'recovered', 'queued', { reason: 'the previous send attempt was interrupted before its submit left', connection, attempt }),
        dueAt: now,
        attemptsDelta: -1,
      });
      return;
    }
    const error = messageError(catalogue, 'outcome_unknown', 'The gateway stopped after the submit was handed to the provider and before its answer was recorded.');
    const next = message.expiresAt > now ? resendUnknownTo(message.route, connection, health.available) : undefined;
    const moved = await writer.apply({
      messageId: message.id,
      from: ['sending'],
      error,
      ...(next
        ? { to: 'queued', connection: next, dueAt: now, event: event(now, 'failover', 'queued', { connection, attempt, to_connection: next, reason: 'resend_unknown' }, error) }
        : message.expiresAt > now
          ? { to: 'sent', dueAt: message.expiresAt, event: event(now, 'submit_unknown', 'sent', { connection, attempt }, error) }
          : { to: 'unknown', dueAt: null, event: event(now, 'unknown', 'unknown', { connection, attempt, expires_at: new Date(message.expiresAt).toISOString() }, error) }),
    });
    if (moved && next) this.wakeLane(next);
  }

  /**
   * `due`: when its pace slot was due. `answered` frees the message's place in the window once the
   * provider answered: writing the outcome needs none.
   */
  async #send(message: Message, attempt: number, due: number | undefined, answered: () => void): Promise<void> {
    const { writer, owner, clock, leaseMs } = this.opts;
    // Committed before the submit may leave: a crash from here on leaves an unknown outcome, not
    // a message sent again. Marks of concurrent sends share one commit. A claim taken over in
    // the meantime is not ours to send.
    try {
      // The lease must last until the next renewal: renewals that failed (the store out of reach,
      // the loop stalled) leave it too short, and another node may take the message any moment.
      const mark = () => writer.mark({ messageId: message.id, owner, attempt, heldUntil: clock.now() + renewalPeriod(leaseMs) });
      if (!(await this.#persist(mark))) return;
    } catch {
      // Logged. Not sent: its lease lapses and it is claimed again.
      return;
    }
    // A mark held up by a slow commit would send this submit late, in one burst with the others
    // held with it: it takes a new slot instead, as a late timer does.
    if (due !== undefined && this.#late(due, message.segments)) await this.#pace(message.segments, true);
    const started = this.opts.clock.now();
    let result: SubmitResult;
    try {
      result = await this.connector.send({
        id: message.id,
        to: message.to,
        from: message.from,
        text: message.text,
        encoding: message.encoding,
        parts: encodeText(message.text, message.encoding).parts,
        expiresAt: message.expiresAt,
        attempt,
      });
    } catch (error) {
      result = { kind: 'unknown', reason: error instanceof Error ? error.message : String(error) };
    }
    answered();
    const now = this.opts.clock.now();
    this.opts.metrics.dispatched(this.connector.name, (now - started) / 1000);
    // Known, the outcome is not left to lapse into an unknown one (with a receipt that has no
    // provider id to meet) while the store cannot take it for a moment. Logged if it fails.
    await this.#persist(() => this.#outcome(message, attempt, result, now)).catch(() => undefined);
  }

  /**
   * Runs a write of a send until the store takes it: one it cannot take for now (its disk full,
   * out of reach) is asked again while the lane runs, the claim renewed meanwhile. The first
   * failure is logged; the last is thrown when it gives up.
   */
  async #persist<T>(write: () => Promise<T>): Promise<T> {
    for (let failures = 0; ; failures++) {
      try {
        return await write();
      } catch (error) {
        if (failures === 0) this.opts.onError(error, this.connector.name);
        if (!(error instanceof SwitchboardError && error.code === 'service_unavailable') || !this.#running) throw error;
        await new Promise((r) => setTimeout(r, Math.min(PERSIST_RETRY_MAX_MS, PERSIST_RETRY_MIN_MS * 2 ** failures)));
      }
    }
  }

  async #outcome(message: Message, attempt: number, result: SubmitResult, now: number): Promise<void> {
    const { writer, catalogue, receipts, health, recovery, owner } = this.opts;
    const connection = this.connector.name;
    // Written only while the claim is still ours: one taken over has its outcome from the taker.
    const claim = { owner, attempt };
    if (result.kind === 'accepted') {
      health.succeeded(connection);
      const ids = result.providerMessageIds;
      const idKey = this.connector.capabilities.idKey;
      const keys = idKey ? ids.map(idKey) : ids;
      const recorded = writer.apply({
        messageId: message.id,
        from: ['sending'],
        claim,
        to: 'sent',
        event: event(now, 'sent', 'sent', { connection, attempt, provider_message_ids: ids }, null, result.raw ?? null),
        dueAt: this.connector.capabilities.receipts ? message.expiresAt : null,
        ...(ids[0] !== undefined && { providerMessageId: ids[0] }),
        providerIds: keys.map((key, i) => ({ connection, providerMessageId: key, messageId: message.id, part: i + 1, parts: ids.length })),
      });
      receipts.recording(connection, keys, recorded);
      await recorded;
      await receipts.release(connection, keys, this.connector.capabilities.idVariants);
      return;
    }
    if (result.kind === 'unknown') {
      health.failed(connection);
      const error = messageError(catalogue, 'provider_timeout', `No trustworthy answer from the provider: ${result.reason}`);
      // Resending could put the message twice on the handset: unless its route allows it, it
      // waits for a receipt instead.
      const next = resendUnknownTo(message.route, connection, health.available);
      const moved = await writer.apply({
        messageId: message.id,
        from: ['sending'],
        claim,
        error,
        ...(next
          ? { to: 'queued', connection: next, dueAt: now, event: event(now, 'failover', 'queued', { connection, attempt, to_connection: next, reason: 'resend_unknown' }, error, result.raw ?? null) }
          : { to: 'sent', dueAt: message.expiresAt, event: event(now, 'submit_unknown', 'sent', { connection, attempt }, error, result.raw ?? null) }),
      });
      if (moved && next) this.wakeLane(next);
      return;
    }
    const { state, error } = interpret(catalogue, result.code);
    const failure = error ?? messageError(catalogue, 'unknown_error', 'The provider refused the message without an error code.', result.code);
    const def = catalogue.canonical(failure.code as CanonicalCode);
    if (isConnectionFault(def)) health.failed(connection);
    else if (def.type === 'rate_limit_error') health.inconclusive(connection);
    else health.succeeded(connection);
    let transition = recovery.plan({
      message: { ...message, attempts: attempt },
      error: failure,
      finalState: refusedStatus(failure, state),
      from: ['sending'],
      now,
      finalType: 'submit_failed',
      detail: { connection, attempt, provider_code: result.code.code },
      payload: result.raw ?? null,
      ...(result.retryAfterMs !== undefined && { retryAfterMs: result.retryAfterMs }),
    });
    const parts = result.partIds ?? [];
    if (parts.length > 0) {
      const idKey = this.connector.capabilities.idKey;
      const n = parts.length;
      await writer.note({
        messageId: message.id,
        event: event(now, 'parts_submitted', null, { connection, attempt, parts: `${n === 1 ? 'part 1' : `parts 1-${n}`} of ${message.segments} reached the carrier`, provider_message_ids: parts }),
      });
      transition = {
        ...transition,
        providerIds: parts.map((id, i) => ({ connection, providerMessageId: idKey ? idKey(id) : id, messageId: message.id, part: i + 1, parts: message.segments })),
      };
    }
    const applied = await writer.apply({ claim, ...transition });
    if (applied && transition.connection) this.wakeLane(transition.connection);
  }
}
