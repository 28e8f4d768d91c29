import type { Catalogue } from '../core/catalogue/catalogue.js';
import type { CanonicalCode } from '../core/catalogue/canonical.js';
import { interpret, messageError } from '../core/catalogue/interpret.js';
import { SwitchboardError } from '../core/errors.js';
import { formatAmount } from '../core/accounts/money.js';
import { readLive, type LiveReport } from '../core/lookups/live.js';
import type { MessageError } from '../core/message.js';
import type { NumberFacts, NumberingPlan } from '../core/numbering/facts.js';
import { E164_PATTERN } from '../core/validation/phone.js';
import type { Payer } from './accept.js';
import type { Clock } from './clock.js';
import type { Connector, LookupOutcome } from './connector.js';
import { newId } from './ids.js';
import type { Store, StoredLookup } from './store.js';

/** The most numbers one lookup request may name, as for a send. */
export const MAX_LOOKUP_NUMBERS = 1000;
/** Provider requests in flight at once for a provider that takes one number per request. */
const CONCURRENCY = 8;
const E164 = new RegExp(E164_PATTERN);

/** One number looked up: the numbering plan's facts, and the live answer when one was asked for and made. */
export interface LookupResult {
  readonly facts: NumberFacts;
  readonly live: (StoredLookup & { readonly cached: boolean }) | null;
  /** Why the live lookup of this number failed (nothing was charged for it). */
  readonly liveError: MessageError | null;
}

/**
 * The numbering plan's facts for each number, offline; throws for a request without numbers, with
 * too many, or with one that is not E.164 (naming it).
 */
export function factsOf(plan: NumberingPlan, numbers: readonly string[]): NumberFacts[] {
  if (numbers.length === 0) throw new SwitchboardError('missing_parameter', 'Give at least one number in `numbers`.', { param: 'numbers' });
  if (numbers.length > MAX_LOOKUP_NUMBERS) {
    throw new SwitchboardError('too_many_recipients', `A lookup may name at most ${MAX_LOOKUP_NUMBERS} numbers; this one names ${numbers.length}.`, { param: 'numbers' });
  }
  return numbers.map((n, i) => {
    if (!E164.test(n)) {
      throw new SwitchboardError('invalid_phone_number', `The phone number ${JSON.stringify(n)} is not in E.164 format (a + followed by 6 to 15 digits, e.g. +14155552671).`, {
        param: numbers.length > 1 ? `numbers[${i}]` : 'numbers',
      });
    }
    return plan.facts(n);
  });
}

/** Facts as the API and the CLI show them. */
export const factsView = (f: NumberFacts) => ({
  number: f.e164,
  valid: f.valid,
  type: f.type ?? null,
  country: f.country ?? null,
  carrier: f.carrier ?? null,
  time_zones: [...f.timeZones],
});

type LookupConnector = Connector & { readonly lookups: NonNullable<Connector['lookups']> };

/** A lookup whose answer the provider posts later. */
const PENDING = { reachability: 'pending', network: null, ported: null, roaming: null, error: null } as const;

export interface LookupsDeps {
  readonly store: Pick<Store, 'postEntry' | 'insertLookups' | 'getLookup' | 'latestLookups' | 'completeLookups'>;
  readonly plan: NumberingPlan;
  readonly catalogue: Catalogue;
  readonly clock: Clock;
  /** The connections running now. */
  readonly connectors: () => Iterable<Connector>;
  /** How long a live answer is reused for the same number (the cache). */
  readonly ttlMs: number;
  /** Posts an answer that came later to the URL its lookup was made with (SMSPartner's face). */
  readonly notify: (url: string, answered: StoredLookup) => void;
}

/**
 * Number lookups: the numbering plan's facts for every number, free; then, when asked, a live
 * lookup (HLR) through a connection that offers one, charged at the account's lookup price,
 * reused for the account within the TTL, and stored with the provider's answer.
 */
export class Lookups {
  constructor(private readonly deps: LookupsDeps) {}

  /** `notifyUrl`: where the answers a provider posts later go (lookups answered at once are the caller's to tell). */
  async lookup(payer: Pick<Payer, 'accountId' | 'prices'>, numbers: readonly string[], options: { live: boolean; connection?: string; notifyUrl?: string }): Promise<LookupResult[]> {
    const facts = factsOf(this.deps.plan, numbers);
    if (!options.live) return facts.map((f) => ({ facts: f, live: null, liveError: null }));
    const connector = this.#connector(options.connection);
    // As at accept: only numbers the plan calls valid, and the sandbox's reserved ones on the sandbox.
    const reserved = connector.capabilities.reservedNumbers;
    const live = await this.#live(payer, connector, [...new Set(facts.filter((f) => f.valid || reserved?.(f.e164)).map((f) => f.e164))], options.notifyUrl);
    return facts.map((f) => ({ facts: f, live: live.answers.get(f.e164) ?? null, liveError: live.errors.get(f.e164) ?? null }));
  }

  /** A live lookup of the account's; not_found for another account's. */
  async get(accountId: string, id: string): Promise<StoredLookup> {
    const found = await this.deps.store.getLookup(accountId, id);
    if (!found) throw new SwitchboardError('not_found', `No lookup ${JSON.stringify(id)}.`, { param: 'id' });
    return found;
  }

  async #live(payer: Pick<Payer, 'accountId' | 'prices'>, connector: LookupConnector, numbers: readonly string[], notifyUrl: string | undefined) {
    const { store, clock, ttlMs } = this.deps;
    const now = clock.now();
    const cached = await store.latestLookups(numbers, now - ttlMs, payer.accountId);
    const answers = new Map<string, StoredLookup & { cached: boolean }>([...cached].map(([n, l]) => [n, { ...l, cached: true }]));
    const errors = new Map<string, MessageError>();
    const misses = numbers.filter((n) => !cached.has(n));
    if (misses.length === 0) return { answers, errors };
    const price = payer.prices ? payer.prices.lookup : null;
    if (price === undefined) throw new SwitchboardError('no_price', 'The account has no lookup price: live lookups are not open to it. Nothing was charged.', { param: 'live' });
    const describe = (count: number) => `${count} live lookup${count === 1 ? '' : 's'} through ${connector.name}`;
    const refund = async (count: number) => {
      if (price && count > 0) await store.postEntry({ id: newId('led', clock.now()), accountId: payer.accountId, type: 'refund', amount: price * count, at: clock.now(), description: `${describe(count)} not answered` });
    };
    // Charged before the provider is asked: no credit, no lookup.
    if (price) {
      const charged = await store.postEntry({ id: newId('led', now), accountId: payer.accountId, type: 'charge', amount: -price * misses.length, at: now, description: describe(misses.length) });
      if (!charged) throw new SwitchboardError('insufficient_credit', `The account's balance does not cover ${describe(misses.length)} (${formatAmount(price * misses.length)}): nothing was looked up or charged.`);
    }
    let stored: StoredLookup[];
    try {
      stored = this.#read(payer.accountId, connector, price, await this.#ask(connector, misses), errors, now, notifyUrl);
      await store.insertLookups(stored);
    } catch (error) {
      await refund(misses.length);
      throw error;
    }
    for (const l of stored) answers.set(l.number, { ...l, cached: false });
    await refund(errors.size);
    if (stored.length === 0 && cached.size === 0) {
      const [first] = errors.values();
      throw new SwitchboardError(first!.code as CanonicalCode, `The live lookup failed: ${first!.message}. Nothing is charged for it.`, { ...(first!.provider && { provider: first!.provider }) });
    }
    return { answers, errors };
  }

  /** The provider's answers as lookups to store; each number it did not answer gets its reason in `errors`. */
  #read(accountId: string, connector: LookupConnector, price: number | null, outcomes: { numbers: readonly string[]; outcome: LookupOutcome }[], errors: Map<string, MessageError>, now: number, notifyUrl: string | undefined): StoredLookup[] {
    const stored: StoredLookup[] = [];
    for (const { numbers: asked, outcome } of outcomes) {
      const reports = outcome.kind === 'answered' ? new Map(outcome.reports.map((r) => [r.number, r])) : new Map();
      for (const number of asked) {
        if (outcome.kind === 'pending') {
          stored.push({ id: newId('lkp', now), accountId, number, at: now, connection: connector.name, provider: connector.provider, ...PENDING, raw: outcome.raw, price, ...(notifyUrl !== undefined && { notifyUrl }) });
          continue;
        }
        const report = reports.get(number);
        if (!report) {
          errors.set(number, this.#failure(outcome));
          continue;
        }
        const reading = readLive(this.deps.catalogue, report);
        stored.push({ id: newId('lkp', now), accountId, number, at: now, connection: connector.name, provider: connector.provider, ...reading, raw: report.raw, price });
      }
    }
    return stored;
  }

  /**
   * Answers a provider posted later (SMSPartner's HLR notifications): the pending lookups of each
   * number through `connection` take them, and those made with a notify URL are posted there.
   */
  async complete(connection: string, reports: readonly LiveReport[]): Promise<void> {
    const answers = reports.map((r) => ({ number: r.number, reading: readLive(this.deps.catalogue, r), raw: r.raw }));
    if (answers.length === 0) return;
    for (const l of await this.deps.store.completeLookups(connection, answers)) if (l.notifyUrl !== undefined) this.deps.notify(l.notifyUrl, l);
  }

  /** The connection named, or the first running one that offers live lookups. */
  #connector(name: string | undefined): LookupConnector {
    const all = [...this.deps.connectors()];
    const offering = all.filter((c): c is LookupConnector => c.lookups !== null);
    if (name === undefined) {
      const first = offering[0];
      if (!first) throw new SwitchboardError('unsupported_operation', 'No connection offers live lookups: configure one whose provider has them (the sandbox, Infobip, SMSPartner, or Vonage with api_secret).', { param: 'live' });
      return first;
    }
    const named = offering.find((c) => c.name === name);
    if (named) return named;
    const why = all.some((c) => c.name === name) ? 'offers no live lookups' : 'does not exist';
    throw new SwitchboardError('invalid_parameter', `The connection ${JSON.stringify(name)} ${why}.`, { param: 'connection' });
  }

  /** The provider's answers, in requests of its batch size, a few at a time. */
  async #ask(connector: LookupConnector, numbers: readonly string[]): Promise<{ numbers: readonly string[]; outcome: LookupOutcome }[]> {
    const batches: string[][] = [];
    for (let i = 0; i < numbers.length; i += connector.lookups.batch) batches.push(numbers.slice(i, i + connector.lookups.batch));
    const results: { numbers: readonly string[]; outcome: LookupOutcome }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        results.push({ numbers: batch, outcome: await connector.lookups.lookup(batch) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
    return results;
  }

  #failure(outcome: LookupOutcome): MessageError {
    const { catalogue } = this.deps;
    if (outcome.kind === 'refused') return interpret(catalogue, outcome.code).error ?? messageError(catalogue, 'provider_error', 'The provider refused the lookup.', outcome.code);
    if (outcome.kind === 'unknown') return messageError(catalogue, 'provider_timeout', `The provider did not answer: ${outcome.reason}.`);
    return messageError(catalogue, 'provider_error', 'The provider answered without this number.');
  }
}
