import { createHash } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { parseSendAt } from '../core/validation/schedule.js';
import { checkDestination } from '../core/validation/phone.js';
import { classifySender } from '../core/validation/sender.js';
import { checkText } from '../core/validation/text.js';
import { encodeText } from '../core/encoding/segments.js';
import { allowsProtocol, type Protocol } from '../core/access/protocols.js';
import { SwitchboardError } from '../core/errors.js';
import {
  DEFAULT_VALIDITY_SECONDS,
  MAX_RECIPIENTS,
  MAX_SEGMENTS,
  MAX_VALIDITY_SECONDS,
  MIN_VALIDITY_SECONDS,
  type Message,
} from '../core/message.js';
import type { QualityView } from '../core/quality/view.js';
import { chooseRoute, networkOf, segmentCosts, type Learning, type Route, type RouteDecision, type RoutingInput } from '../core/routing/router.js';
import { Batcher } from './batcher.js';
import type { Clock } from './clock.js';
import type { Coordination } from './coordination.js';
import type { ConnectorCapabilities } from './connector.js';
import type { DestinationReader } from './destinations.js';
import { newId, newMessageId } from './ids.js';
import { formatAmount } from '../core/accounts/money.js';
import { segmentPrice, type PriceList } from '../core/accounts/prices.js';
import type { Policies } from '../core/compliance/policy.js';
import type { ComplianceGate, NamedPolicy } from './compliance.js';
import type { Metrics } from './metrics.js';
import type { AcceptWrite, NewMessage, Refusal, Store, StoredLookup } from './store.js';
import { foundDead } from '../core/lookups/live.js';
import type { Destination } from '../core/validation/phone.js';

/** A send request as the API received it (already shape-checked). */
export interface SendRequest {
  readonly from: string;
  readonly to: string | readonly string[];
  readonly text: string;
  readonly send_at?: string;
  readonly validity?: number;
  readonly client_ref?: string;
  readonly callback_url?: string;
  readonly callback_events?: readonly string[];
  /** What kind of message it is, for routing and the account's compliance policy ("transactional", "marketing", "otp"...). */
  readonly type?: string;
  /** Sends the same text again within the policy's duplicate window, on purpose. */
  readonly allow_duplicate?: boolean;
}

export interface AcceptResult {
  readonly statusCode: number;
  /** The response body, serialized once: an idempotent replay returns exactly these bytes. */
  readonly body: string;
}

export interface AcceptOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly routes: () => readonly Route[];
  /** Whether a connection can take messages now (up, circuit not open); the route's first that can is used. */
  readonly available: (connection: string) => boolean;
  readonly random: () => number;
  /** Measured quality, for routes with the `best` strategy; without it they order by priority. */
  readonly quality?: QualityView;
  readonly capabilities: (connection: string) => ConnectorCapabilities | undefined;
  /** Renders stored messages as the API shows them, with the balance left after their charge (null: not charged). */
  readonly render: (messages: readonly Message[], remainingBalance: number | null) => string;
  /** Called after messages are stored, with the connections that have new work. */
  readonly onAccepted: (connections: ReadonlySet<string>) => void;
  readonly allowFixedLine: boolean;
  readonly metrics: Metrics;
  readonly coordination: Coordination;
  readonly destinations: DestinationReader;
  /** How long a live lookup is fresh: routing reads its network, and an account that asks refuses a number it found dead. */
  readonly lookupTtlMs: number;
  /** How long an Idempotency-Key answers with its first response (a key older than this is new again). */
  readonly idempotencyTtlMs: number;
  /** The account's compliance policies, judged before anything is charged or stored. */
  readonly compliance: ComplianceGate;
  /** A message's own callback_url: its shape checked at once, its addresses and signing secret before storing. */
  readonly callbacks: {
    checkShape(url: string, param: string): string;
    prepare(accountId: string, url: string, param: string): Promise<void>;
  };
}

/** Longer than any accept takes; frees the key if the node holding it dies. */
const IDEMPOTENCY_LOCK_MS = 60_000;

/** Who sends: the caller's account, charged when it has a price list, and the senders it may use. */
export interface Payer {
  readonly accountId: string;
  readonly prices: PriceList | null;
  /** The senders the account may use; null: any. */
  readonly allowedSenders: readonly string[] | null;
  /** In trial: it sends only to its verified numbers. */
  readonly trial: boolean;
  /** The ways the account may send; null: every one. */
  readonly protocols: readonly Protocol[] | null;
  /** Messages it may send per UTC day; null: no quota. */
  readonly dailyQuota: number | null;
  /** Refuse a recipient a fresh live lookup found dead, before it costs a message. */
  readonly refuseDeadNumbers: boolean;
  /** Its compliance policies per message type; null: the operator's. */
  readonly compliance: Policies | null;
}

/** How a request came: the native API (the default) or a compatible API, which renders its own answer. */
export interface Channel {
  readonly protocol: Protocol;
  /** Kept on each message (`vonage:cred_...`): its receipts go in that API's format. */
  readonly face?: string;
  /** The answer, in place of the native API's. */
  readonly render?: AcceptOptions['render'];
}

const NATIVE: Channel = { protocol: 'api' };

/**
 * Accepting a send request: validate everything before anything is stored (one bad recipient
 * refuses the request, naming it), route each recipient, then store the messages. Stores of
 * concurrent requests are committed together; the answer goes out only once the commit is done.
 */
export class AcceptService {
  readonly #writes: Batcher<AcceptWrite, string | Refusal>;
  readonly #learning: Learning | undefined;

  constructor(private readonly opts: AcceptOptions) {
    this.#learning = opts.quality && { view: opts.quality, random: opts.random };
    // Each request is charged (or left out, short of credit) on its own inside the batch's transaction.
    this.#writes = new Batcher<AcceptWrite, string | Refusal>((writes) => opts.store.insertMessages(writes));
  }

  /** The route, connections and reason a message to `to` would get now, as accept chooses them; nothing is sent. */
  async whichRoute(accountId: string, input: { to: string; from: string; type?: string }): Promise<RouteDecision & { connection: string }> {
    const read = await this.opts.destinations.read([input.to], false);
    const destination = read.destinations[0];
    if (!destination) throw new SwitchboardError(read.error!.code, read.error!.message, { param: 'to' });
    const routes = this.opts.routes();
    const decision = this.#route(routes, { ...input, to: destination.e164, accountId, country: destination.country, network: networkOf(routes, destination.e164), type: input.type }, 'to');
    return { ...decision, connection: decision.chain.find(this.opts.available) ?? decision.chain[0]! };
  }

  #route(routes: readonly Route[], input: RoutingInput, param: string): RouteDecision {
    const decision = chooseRoute(routes, input, this.opts.random(), this.#learning);
    if (!decision) throw new SwitchboardError('no_route', `No route is configured for ${JSON.stringify(input.to)}.`, { param });
    return decision;
  }

  async accept(payer: Payer, request: SendRequest, idempotencyKey?: string, channel: Channel = NATIVE): Promise<AcceptResult> {
    const accountId = payer.accountId;
    if (!allowsProtocol(payer.protocols, channel.protocol)) {
      throw new SwitchboardError('protocol_not_allowed', `This account may not send through ${channel.protocol === 'api' ? 'the API' : channel.protocol}; it may use: ${payer.protocols!.join(', ') || 'nothing'}.`);
    }
    if (idempotencyKey === undefined) return this.#accept(payer, request, channel);
    // Held across nodes while the request is processed: the same key twice at once is refused.
    const lock = `idempotency:${accountId}:${idempotencyKey}`;
    if (!(await this.opts.coordination.lock(lock, IDEMPOTENCY_LOCK_MS))) {
      throw new SwitchboardError('idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed; retry when it has finished.');
    }
    try {
      return await this.#acceptOnce(payer, request, idempotencyKey, channel);
    } finally {
      // Not unlocked (Redis out of reach): the lock lapses by itself, and what was accepted stands.
      await this.opts.coordination.unlock(lock).catch(() => undefined);
    }
  }

  async #acceptOnce(payer: Payer, request: SendRequest, key: string, channel: Channel): Promise<AcceptResult> {
    const accountId = payer.accountId;
    // Keys sorted: the same body with its fields in another order is the same request.
    const requestHash = createHash('sha256').update(stringify(request)).digest('hex');
    const stored = await this.opts.store.getIdempotency(accountId, key, this.opts.clock.now() - this.opts.idempotencyTtlMs);
    if (stored) {
      if (stored.requestHash !== requestHash) {
        throw new SwitchboardError('idempotency_key_reused', 'This Idempotency-Key was used with a different request body. Use a new key for a new request.');
      }
      return { statusCode: stored.statusCode, body: stored.response };
    }
    return this.#accept(payer, request, channel, { key, requestHash });
  }

  async #accept(payer: Payer, request: SendRequest, channel: Channel, idempotency?: { key: string; requestHash: string }): Promise<AcceptResult> {
    const accountId = payer.accountId;
    const now = this.opts.clock.now();
    const policy = this.opts.compliance.policy(request.type, payer.compliance);
    const messages = await this.#build(payer, request, now, channel.face, policy);
    const render = channel.render ?? this.opts.render;
    // Read only for an account in trial: no other send pays for it.
    if (payer.trial) await this.#refuseUnverified(accountId, messages);
    await this.#refuseOptedOut(accountId, messages);
    const marks = policy && this.opts.compliance.marks(policy, messages, request.allow_duplicate === true);
    if (request.callback_url !== undefined) await this.opts.callbacks.prepare(accountId, request.callback_url, 'callback_url');
    const amount = payer.prices ? messages.reduce((sum, m) => sum + m.price!, 0) : 0;
    // Taken from the account only when it pays or counts: other accounts' accepts touch no account row.
    const charged = amount > 0 || payer.dailyQuota !== null;
    const body = await this.#writes.push({
      messages,
      ...(charged && { charge: { accountId, amount, messages: messages.length, entryId: newId('led', now), at: now } }),
      ...(marks && { marks: { accountId, marks: marks.marks, now } }),
      ...(idempotency && { idempotency: { accountId, key: idempotency.key, requestHash: idempotency.requestHash, statusCode: 202, createdAt: now } }),
      respond: (remaining) => render(messages, payer.prices ? remaining : null),
    });
    if (typeof body !== 'string') {
      if (body.refused === 'compliance') throw marks!.refusal(body.mark, typeof request.to !== 'string');
      if (body.refused === 'quota_exceeded') {
        throw new SwitchboardError('quota_exceeded', `The account's daily quota of ${body.limit} messages (UTC day) does not hold these ${messages.length}: nothing was sent or charged.`);
      }
      throw new SwitchboardError('insufficient_credit', `The account's balance does not cover this request (${formatAmount(amount)}): nothing was sent or charged.`);
    }
    this.opts.metrics.accepted(messages.length, (this.opts.clock.now() - now) / 1000);
    this.opts.onAccepted(new Set(messages.map((m) => m.connection)));
    return { statusCode: 202, body };
  }

  /**
   * The fresh live lookups of the recipients, read once for the request: only where they can
   * matter (routes match on networks, or the account refuses numbers found dead).
   */
  async #freshLookups(payer: Payer, routes: readonly Route[], destinations: readonly (Destination | undefined)[], now: number): Promise<Map<string, StoredLookup> | undefined> {
    if (!payer.refuseDeadNumbers && !routes.some((r) => r.match.networks)) return undefined;
    const numbers = destinations.flatMap((d) => (d ? [d.e164] : []));
    return numbers.length === 0 ? undefined : this.opts.store.latestLookups(numbers, now - this.opts.lookupTtlMs);
  }

  /** In trial, a recipient the account has not verified refuses the request, naming it (as Vonage's demo mode and Twilio's trial do). */
  async #refuseUnverified(accountId: string, messages: readonly NewMessage[]): Promise<void> {
    const verified = await this.opts.store.verifiedAmong(accountId, messages.map((m) => m.to));
    const i = messages.findIndex((m) => !verified.has(m.to));
    if (i < 0) return;
    throw new SwitchboardError('destination_not_allowed', `This account is in trial: it sends only to its verified numbers, and ${messages[i]!.to} is not one. Add it with POST /v1/verified-numbers.`, {
      param: messages.length > 1 ? `to[${i}]` : 'to',
    });
  }

  /**
   * A recipient on the account's opt-out list for its message's sender refuses the request, naming
   * it. One sender, one query; a policy may have given some messages the account's number instead.
   */
  async #refuseOptedOut(accountId: string, messages: readonly NewMessage[]): Promise<void> {
    const out = new Set<string>();
    for (const from of new Set(messages.map((m) => m.from))) {
      const numbers = await this.opts.store.optedOut(accountId, from, messages.filter((m) => m.from === from).map((m) => m.to));
      for (const n of numbers) out.add(`${from} ${n}`);
    }
    if (out.size === 0) return;
    const i = messages.findIndex((m) => out.has(`${m.from} ${m.to}`));
    throw new SwitchboardError('destination_opted_out', `${messages[i]!.to} opted out of messages from ${messages[i]!.from} (STOP).`, { param: messages.length > 1 ? `to[${i}]` : 'to' });
  }

  async #build(payer: Payer, request: SendRequest, now: number, face: string | undefined, policy: NamedPolicy | undefined): Promise<NewMessage[]> {
    const accountId = payer.accountId;
    const recipients = typeof request.to === 'string' ? [request.to] : request.to;
    if (recipients.length === 0) throw new SwitchboardError('missing_parameter', 'Give at least one recipient in `to`.', { param: 'to' });
    if (recipients.length > MAX_RECIPIENTS) {
      throw new SwitchboardError('too_many_recipients', `A request may name at most ${MAX_RECIPIENTS} recipients; this one names ${recipients.length}.`, { param: 'to' });
    }
    const senderKind = classifySender(request.from);
    if (payer.allowedSenders && !payer.allowedSenders.includes(request.from)) {
      throw new SwitchboardError('sender_not_authorized', `This account may send from ${payer.allowedSenders.map((s) => JSON.stringify(s)).join(', ') || 'no sender'} only.`, { param: 'from' });
    }
    checkText(request.text);
    const encoded = encodeText(request.text);
    if (encoded.parts.length > MAX_SEGMENTS) {
      throw new SwitchboardError(
        'message_too_long',
        `The text needs ${encoded.parts.length} segments in ${encoded.encoding}; at most ${MAX_SEGMENTS} are allowed.`,
        { param: 'text' },
      );
    }
    const sendAt = parseSendAt(request.send_at, now);
    const validity = request.validity ?? DEFAULT_VALIDITY_SECONDS;
    if (!Number.isInteger(validity) || validity < MIN_VALIDITY_SECONDS || validity > MAX_VALIDITY_SECONDS) {
      throw new SwitchboardError(
        'invalid_parameter',
        `validity must be a whole number of seconds from ${MIN_VALIDITY_SECONDS} to ${MAX_VALIDITY_SECONDS}.`,
        { param: 'validity' },
      );
    }
    const callbackUrl = request.callback_url === undefined ? null : this.opts.callbacks.checkShape(request.callback_url, 'callback_url');
    if (request.callback_events !== undefined && callbackUrl === null) {
      throw new SwitchboardError('invalid_parameter', 'callback_events chooses the events of callback_url: send it with one.', { param: 'callback_events' });
    }
    const callbackEvents = request.callback_events === undefined ? null : [...new Set(request.callback_events)];
    const start = sendAt ?? now;
    const routes = this.opts.routes();
    const multiple = typeof request.to !== 'string';
    const read = await this.opts.destinations.read(recipients, multiple);
    const lookups = await this.#freshLookups(payer, routes, read.destinations, now);

    return recipients.map((to, i) => {
      const param = multiple ? `to[${i}]` : 'to';
      const destination = read.destinations[i];
      // Recipients before the first unreadable one are checked first, so the first bad one is named.
      if (!destination) throw new SwitchboardError(read.error!.code, read.error!.message, { param: read.error!.param ?? param });
      const live = lookups?.get(destination.e164);
      if (live && payer.refuseDeadNumbers && foundDead(live)) {
        throw new SwitchboardError('unknown_subscriber', `A live lookup (${live.id}, ${new Date(live.at).toISOString()}) found ${to} not in service: nothing was sent or charged.`, {
          param,
          ...(live.error?.provider && { provider: live.error.provider }),
        });
      }
      const network = live?.network ?? networkOf(routes, to);
      const verdict = policy && this.opts.compliance.judge(policy, { from: request.from, senderKind, text: request.text, at: start }, destination.e164, destination.country);
      if (verdict?.refusal) throw new SwitchboardError(verdict.refusal.code, verdict.refusal.message, { param, rule: verdict.refusal.rule });
      const from = verdict?.from ?? request.from;
      const text = verdict?.text ?? request.text;
      // A footer appended for the recipient's country counts in its segments and price.
      const parts = text === request.text ? encoded : encodeText(text);
      if (parts.parts.length > MAX_SEGMENTS) {
        throw new SwitchboardError('message_too_long', `With the footer the account's policy appends, the text needs ${parts.parts.length} segments; at most ${MAX_SEGMENTS} are allowed.`, { param: 'text' });
      }
      const deferral = verdict?.outcomes.find((o) => o.action === 'defer');
      const sendsAt = deferral ? verdict!.at : sendAt;
      const decision = this.#route(routes, { to, from, accountId, country: destination.country, network, networkLookedUp: Boolean(live?.network), type: request.type }, param);
      const connection = decision.chain.find(this.opts.available) ?? decision.chain[0]!;
      const reserved = this.opts.capabilities(connection)?.reservedNumbers;
      checkDestination(destination, param, { allowFixedLine: this.opts.allowFixedLine, ...(reserved && { reserved }) });
      const price = payer.prices && segmentPrice(payer.prices, destination.e164, destination.country);
      if (price === undefined) throw new SwitchboardError('no_price', `The account has no price for ${to}: nothing was sent or charged.`, { param });
      const status = sendsAt === null ? 'queued' : 'scheduled';
      return {
        id: newMessageId(now),
        accountId,
        to,
        from,
        text,
        encoding: parts.encoding,
        segments: parts.parts.length,
        status,
        error: null,
        clientRef: request.client_ref ?? null,
        callbackUrl,
        callbackEvents,
        sendAt: sendsAt,
        expiresAt: (sendsAt ?? now) + validity * 1000,
        createdAt: now,
        updatedAt: now,
        connection,
        // The spreads after a property, not before: see storage/rows.ts.
        route: {
          accepted: connection,
          ...decision,
          ...(request.type !== undefined && { type: request.type }),
          ...usageKeys(routes, decision.name, destination.country),
          ...(deferral && { held: { rule: deferral.rule, reason: deferral.code } }),
          ...(network !== undefined && { network }),
        },
        attempts: 0,
        nextAttemptAt: null,
        providerMessageId: null,
        dueAt: sendsAt ?? now,
        ...(price !== null && { price: price * parts.parts.length }),
        ...(face !== undefined && { face }),
      } satisfies NewMessage;
    });
  }
}

/** What usage counts a message by, kept with its route: its destination's country and its connections' costs. */
function usageKeys(routes: readonly Route[], name: string, country: string | undefined): { country?: string; costs?: Readonly<Record<string, number>> } {
  const costs = segmentCosts(routes, name);
  return { ...(country !== undefined && { country }), ...(costs && { costs }) };
}
