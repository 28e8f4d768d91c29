import type { MessageStatus } from '../core/lifecycle.js';
import type { Message, MessageError, MessageEvent } from '../core/message.js';
import type { Scope } from '../core/access/scopes.js';
import type { Role } from '../core/access/roles.js';
import type { Route } from '../core/routing/router.js';
import type { FaceProtocol, Protocol } from '../core/access/protocols.js';
import type { PriceList } from '../core/accounts/prices.js';
import type { LiveReading, Reachability } from '../core/lookups/live.js';
import type { Policies } from '../core/compliance/policy.js';
import type { QualityCounts } from '../core/quality/counts.js';
import type { DegradationReason } from '../core/quality/degradation.js';

/** A message to store at accept; its first event is read from it (acceptedEvent). */
export interface NewMessage extends Message {
  /** When the dispatcher should first act on it: now, or send_at for a scheduled message. */
  readonly dueAt: number;
}

/**
 * One accepted request, stored with its messages at once or not at all. With a charge, it is
 * stored only if the account can pay (its balance less the charge stays at or above
 * -credit_limit) and its daily quota, if it has one, holds the messages: checked and taken in
 * the insert's transaction, from the account's row or from the node's slice of it. With marks,
 * it is stored only if each of its compliance counters holds one more, all taken in the same
 * transaction (given back if the charge then refuses it).
 */
export interface AcceptWrite {
  readonly messages: readonly NewMessage[];
  readonly charge?: Charge;
  /** The duplicate guard's and frequency caps' counters its messages count against. */
  readonly marks?: MarkWrite;
  /** Its idempotency record; the response stored is the one `respond` renders. */
  readonly idempotency?: Omit<IdempotencyWrite, 'response'>;
  /** The answer, given the account's balance after the charge (null: not charged). */
  readonly respond: (remainingBalance: number | null) => string;
}

/** What a request takes from its account: money (its ledger charge) and messages of its daily quota. */
export interface Charge {
  readonly accountId: string;
  /** Micro-units, >= 0 (0: an account with a quota and no price list). */
  readonly amount: number;
  /** Messages, counted against the account's daily quota. */
  readonly messages: number;
  readonly entryId: string;
  readonly at: number;
}

/** Why insertMessages left a request out: `mark` is the index of the first full counter in its marks. */
export type Refusal =
  | { readonly refused: 'insufficient_credit' }
  | { readonly refused: 'quota_exceeded'; readonly limit: number }
  | { readonly refused: 'compliance'; readonly mark: number };

/** A request's compliance counters, each counted once more (a window starting at `now` where the last has ended). */
export interface MarkWrite {
  readonly accountId: string;
  readonly marks: readonly Mark[];
  readonly now: number;
}

/** The day (UTC) a daily quota counts on: days since 1970-01-01. */
export const quotaDay = (at: number): number => Math.floor(at / 86_400_000);

export type AccountStatus = 'active' | 'disabled' | 'blocked';
export const ACCOUNT_STATUSES: readonly AccountStatus[] = ['active', 'disabled', 'blocked'];

/** An account, in the tree under the operator's account. Money in micro-units. */
export interface Account {
  readonly id: string;
  readonly parentId: string | null;
  /** The ids from the root down to this account, joined by '/'. */
  readonly path: string;
  readonly name: string;
  readonly status: AccountStatus;
  readonly currency: string;
  readonly balance: number;
  readonly creditLimit: number;
  /** Null: the account is not charged. */
  readonly prices: PriceList | null;
  /** The senders (`from`) it may use; null: any. */
  readonly allowedSenders: readonly string[] | null;
  /** In trial, it sends only to its verified numbers. */
  readonly trial: boolean;
  /** The CIDRs its keys may be used from; null: any. */
  readonly ipAllowlist: readonly string[] | null;
  /** API requests per second; null: the operator's default. */
  readonly apiRate: number | null;
  /** The ways it may send (the API, compatible APIs, SMPP); null: every one. */
  readonly protocols: readonly Protocol[] | null;
  /** Messages it may send per UTC day; null: no quota. */
  readonly dailyQuota: number | null;
  /** Messages counted against the quota on quotaDay (see quotaDay()), those set aside in slices included. */
  readonly quotaUsed: number;
  readonly quotaDay: number;
  /** Under this (balance + credit limit) the account is told (account.low_balance); null: never. */
  readonly lowBalanceThreshold: number | null;
  /** Accept refuses a recipient a fresh live lookup found dead (see Lookups). */
  readonly refuseDeadNumbers: boolean;
  /** Its compliance policies per message type; null: the operator's. */
  readonly compliance: Policies | null;
  /** Set aside by nodes for the sends they accept and not charged yet (PostgreSQL; 0 on SQLite). */
  readonly reserved: number;
  /** Charged from those reservations to accepted messages, not yet entered in the ledger. */
  readonly pending: number;
  readonly createdAt: number;
}

export interface NewAccount {
  readonly id: string;
  readonly parentId: string;
  readonly name: string;
  readonly currency: string;
  readonly prices: PriceList | null;
  readonly createdAt: number;
}

export type AccountPatch = Partial<Pick<Account, 'name' | 'status' | 'creditLimit' | 'prices' | 'allowedSenders' | 'trial' | 'ipAllowlist' | 'apiRate' | 'protocols' | 'dailyQuota' | 'lowBalanceThreshold' | 'refuseDeadNumbers' | 'compliance'>>;

export const LEDGER_TYPES = ['top_up', 'transfer_in', 'transfer_out', 'charge', 'refund'] as const;
export type LedgerType = (typeof LEDGER_TYPES)[number];

/** One immutable ledger entry: the account's balance is the sum of its entries' amounts. */
export interface LedgerEntry {
  readonly seq: number;
  readonly id: string;
  readonly accountId: string;
  readonly at: number;
  readonly type: LedgerType;
  /** Signed micro-units: credits positive, debits negative. */
  readonly amount: number;
  readonly balanceAfter: number;
  /** A charge's first message (its request's), a refund's message. */
  readonly messageId: string | null;
  /** How many messages a charge paid for. */
  readonly messages: number | null;
  /** The other account of a transfer. */
  readonly counterparty: string | null;
  readonly description: string | null;
}

export interface LedgerFilter {
  readonly type?: LedgerType;
  readonly since?: number;
  readonly until?: number;
  /** Only entries older than this seq (the page cursor). */
  readonly before?: number;
}

/** A live number lookup as stored: the provider's answer for the number, as read and as received. */
export interface StoredLookup {
  readonly id: string;
  readonly accountId: string;
  /** E.164. */
  readonly number: string;
  readonly at: number;
  readonly connection: string;
  readonly provider: string;
  readonly reachability: Reachability;
  readonly network: string | null;
  readonly ported: boolean | null;
  readonly roaming: boolean | null;
  readonly error: MessageError | null;
  /** The provider's answer for this number, as received. */
  readonly raw: unknown;
  /** Micro-units charged; null: the account is not charged. */
  readonly price: number | null;
  /** Where the answer is posted once it comes, for a lookup answered later (SMSPartner's face: its notifyUrl). */
  readonly notifyUrl?: string;
}

/** The account a key belongs to, as a request needs it: read with the key, in the same query. */
export interface KeyAccount {
  /** Its own status, or that of the highest account above it that is not active: disabling an account disables those under it. */
  readonly status: AccountStatus;
  readonly path: string;
  readonly currency: string;
  readonly prices: PriceList | null;
  readonly allowedSenders: readonly string[] | null;
  /** In trial itself, or under an account that is. */
  readonly trial: boolean;
  /** The address lists of the account and of every account above it that has one: a request must be in each. */
  readonly ipAllowlists: readonly (readonly string[])[];
  readonly apiRate: number | null;
  readonly protocols: readonly Protocol[] | null;
  readonly dailyQuota: number | null;
  readonly refuseDeadNumbers: boolean;
  readonly compliance: Policies | null;
}

/** A number an account in trial may send to: verified, or waiting for the code sent to it. */
export interface VerifiedNumber {
  readonly accountId: string;
  readonly number: string;
  readonly createdAt: number;
  /** Null while its code waits to be confirmed. */
  readonly verifiedAt: number | null;
  /** The code waiting: its hash, when it was sent, until when it holds, and the tries made against it. */
  readonly code: { readonly hash: string; readonly sentAt: number; readonly expiresAt: number; readonly attempts: number } | null;
}

/**
 * A guarded status change: applied only when the message is in one of `from`, so concurrent or
 * repeated writers (a receipt racing the submit answer, two nodes) cannot move it twice.
 */
export interface Transition {
  readonly messageId: string;
  readonly from: readonly MessageStatus[];
  readonly to: MessageStatus;
  readonly event: MessageEvent;
  readonly error?: MessageError | null;
  /** Next time the dispatcher must look at the message; null when it needs nothing more. */
  readonly dueAt: number | null;
  readonly connection?: string;
  readonly providerMessageId?: string;
  /** Added to the attempt count: -1 gives back an attempt whose submit never left. */
  readonly attemptsDelta?: number;
  /** Provider ids to record with the change (the submit answer), whether or not it applies. */
  readonly providerIds?: readonly ProviderIdRecord[];
  /**
   * Applied only while this claim holds: the message is leased to `owner` on its `attempt`-th
   * attempt. A send whose lease was taken over (by another node, or this one) cannot overwrite
   * the attempt that took over. Unset: no such guard.
   */
  readonly claim?: { readonly owner: string; readonly attempt: number };
}

/** A note on a message's events that changes no status (e.g. a part's receipt). */
export interface EventNote {
  readonly messageId: string;
  readonly event: MessageEvent;
}

/**
 * The mark that an attempt's submit may leave the gateway now: written before the connector is
 * called, and only while the claim holds (false otherwise: the message is someone else's and
 * must not be sent). A claim whose lease does not run past `heldUntil` does not hold either, even
 * if no other node took it yet: one could before the lease is renewed, and read the submit as
 * never made.
 */
export interface SubmitMark {
  readonly messageId: string;
  readonly owner: string;
  readonly attempt: number;
  readonly heldUntil: number;
}

/** A status change, an event note, or a submit mark. */
export type StoreWrite = { readonly transition: Transition } | { readonly note: EventNote } | { readonly submitting: SubmitMark };

export interface MessageFilter {
  readonly status?: MessageStatus;
  readonly to?: string;
  readonly from?: string;
  readonly errorCode?: string;
  /** The connection it goes (or went) through. */
  readonly connection?: string;
  /** The name of the route chosen at accept. */
  readonly route?: string;
  /** The message type the request named. */
  readonly type?: string;
  /** The destination's country (ISO 3166 alpha-2). */
  readonly country?: string;
  /** A message id (msg_...), the start of the recipient's number (+ and digits), or else a client_ref. */
  readonly search?: string;
  readonly since?: number;
  readonly until?: number;
  /** Only messages with an id below this one (the page cursor; ids sort by creation). */
  readonly before?: string;
}

/** A message part's provider id, the key receipts are matched on. */
export interface ProviderIdRecord {
  readonly connection: string;
  readonly providerMessageId: string;
  readonly messageId: string;
  readonly part: number;
  readonly parts: number;
}

/** A receipt that arrived before its provider id was recorded; applied when the id arrives. */
export interface ParkedReceipt {
  readonly connection: string;
  readonly providerMessageId: string;
  readonly receivedAt: number;
  readonly receipt: unknown;
}

/** A deliver_sm owed to an account's SMPP receivers: a message's receipt, or a message sent in to the account. */
export type SmppOwed = { readonly seq: number; readonly attempts: number } & (
  | { readonly kind: 'receipt'; readonly message: Message }
  | { readonly kind: 'mo'; readonly inbound: InboundMessage }
);

/** A message a subscriber sent in, as stored. */
export interface InboundMessage {
  readonly id: string;
  readonly accountId: string;
  readonly connection: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly receivedAt: number;
  readonly payload: unknown;
}

/** A number (E.164 or short code) an account owns: what subscribers send to it is the account's. */
export interface OwnedNumber {
  readonly number: string;
  readonly accountId: string;
  readonly assignedAt: number;
}

/**
 * One account's traffic on one UTC day (days since 1970-01-01) to one country through one
 * connection. Counted at accept (messages, segments, charged) and at the final status (delivered,
 * failed, refunds taken off charged, and the connection's cost of what reached a provider).
 * Money in micro-units.
 */
export interface UsageRecord {
  readonly accountId: string;
  readonly day: number;
  /** ISO 3166 alpha-2; null when the destination's country is not known. */
  readonly country: string | null;
  readonly connection: string;
  readonly messages: number;
  readonly segments: number;
  readonly delivered: number;
  readonly failed: number;
  readonly charged: number;
  readonly cost: number;
}

/** One connection's measured outcomes to one destination, summed over the hours asked for. */
export interface QualityRecord {
  readonly connection: string;
  /** ISO 3166 alpha-2; null when unknown. */
  readonly country: string | null;
  /** MCC-MNC; null when the number's network is not known. */
  readonly network: string | null;
  readonly counts: QualityCounts;
}

/** A connection found degraded for a destination's country (null: for every destination). */
export interface Degradation {
  readonly connection: string;
  readonly country: string | null;
  readonly reason: DegradationReason;
  readonly detail: Readonly<Record<string, number>>;
  readonly since: number;
}

/**
 * A connection found degraded, or recovered: written once whichever node finds it first, with what
 * tells the operator's account (`notice`, and a connection.degraded or connection.recovered event
 * whose data is `event`).
 */
export interface DegradationChange {
  readonly degradation: Degradation;
  readonly degraded: boolean;
  readonly at: number;
  readonly accountId: string;
  readonly notice: Notice;
  readonly event: unknown;
}

/**
 * One account's messages accepted in one UTC hour (hours since 1970) through one connection to one
 * country, and how those that finished ended, per canonical error and provider code: the dashboard's overview and
 * failures read these, never the message table. Money in micro-units.
 */
export interface HourlyRecord {
  readonly accountId: string;
  readonly hour: number;
  readonly connection: string;
  readonly country: string | null;
  /** The canonical error of the messages that ended with one; null for the others (and for `messages`). */
  readonly errorCode: string | null;
  /** The provider's own code for that error, where it gave one (its receipt's or its refusal's); null otherwise. */
  readonly providerCode: string | null;
  readonly messages: number;
  readonly delivered: number;
  readonly failed: number;
  readonly unknown: number;
  readonly charged: number;
}

export interface StoredIdempotency {
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: string;
}

/** An API key as stored: never the key itself, only its SHA-256 hash and first characters. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly accountId: string;
  readonly name: string | null;
  /** The key's first characters, to tell keys apart in a list. */
  readonly prefix: string;
  readonly scopes: readonly Scope[];
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
  readonly revokedAt: number | null;
}

export interface NewApiKey {
  readonly id: string;
  readonly accountId: string;
  readonly hash: string;
  readonly prefix: string;
  readonly name: string | null;
  readonly scopes: readonly Scope[];
  readonly createdAt: number;
}

/** A person who signs in to the dashboard; never their password, only its hash. */
export interface UserRecord {
  readonly id: string;
  readonly accountId: string;
  /** Lower-cased: one person, one email. */
  readonly email: string;
  readonly name: string | null;
  readonly role: Role;
  readonly createdAt: number;
}

export interface StoredUser extends UserRecord {
  readonly passwordHash: string;
  /** Failed sign-ins in a row since the last success or lock. */
  readonly failedAttempts: number;
  /** Until when sign-in is refused, whatever the password; null: not locked. */
  readonly lockedUntil: number | null;
}

/** A signed-in browser: its token is kept only as a SHA-256 hash; its CSRF token is sent back on each write. */
export interface SessionRecord {
  readonly hash: string;
  readonly userId: string;
  readonly csrf: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * Everything Switchboard persists. One contract; SQLite (embedded default) and PostgreSQL
 * implement it and run the same test suite. Writes come in batches so that an implementation
 * commits many concurrent requests in one transaction.
 */
export interface Store {
  migrate(): Promise<void>;
  /** Settings of the database server that will make the gateway slow down as its tables grow, each said as a warning. */
  serverWarnings(): Promise<string[]>;
  /**
   * Analyzes the tables that changed enough since they last were, where the database server does
   * not (autovacuum off) or has not yet (tables never analyzed): a planner without statistics may
   * read a hot statement's rows through an index that holds a whole backlog. Returns the tables
   * analyzed; one node at a time does it.
   */
  refreshStatistics(): Promise<string[]>;
  ping(): Promise<void>;
  close(): Promise<void>;

  /** Creates the default account if there is none; true when it was created now. */
  ensureAccount(id: string, name: string, now: number): Promise<boolean>;
  /** Creates an account under its parent (which must exist). */
  createAccount(account: NewAccount): Promise<void>;
  getAccount(id: string): Promise<Account | undefined>;
  /** Of these accounts, those disabled or blocked (themselves or above them), with that status. */
  inactiveAccounts(ids: readonly string[]): Promise<Map<string, Exclude<AccountStatus, 'active'>>>;
  /** An account's direct children, oldest first. */
  listAccounts(parentId: string): Promise<Account[]>;
  /** False when there is no such account. */
  updateAccount(id: string, patch: AccountPatch): Promise<boolean>;
  /** Credits the account (a top-up: amount > 0) with its ledger entry, in one transaction. */
  topUp(entry: { id: string; accountId: string; amount: number; at: number; description: string | null }): Promise<LedgerEntry>;
  /**
   * Moves `amount` from one account to another, two ledger entries in one transaction; only if
   * the payer's balance covers it (credit limits are not lent on). Undefined, and nothing done, when not.
   */
  transfer(move: { from: string; to: string; amount: number; at: number; ids: readonly [string, string]; description: string | null }): Promise<LedgerEntry | undefined>;
  /**
   * Posts a ledger entry outside any send (live lookups): a debit (`amount` < 0) only if the
   * balance and credit limit cover it, else undefined and nothing done; a credit always.
   */
  postEntry(entry: { id: string; accountId: string; type: 'charge' | 'refund'; amount: number; at: number; description: string }): Promise<LedgerEntry | undefined>;
  insertLookups(lookups: readonly StoredLookup[]): Promise<void>;
  /** Gives the pending lookups of each number through `connection` their answer (a provider that posts it later); returns those that took one, answered. */
  completeLookups(connection: string, answers: readonly { number: string; reading: LiveReading; raw: unknown }[]): Promise<StoredLookup[]>;
  /** A live lookup of the account; undefined for another account's. */
  getLookup(accountId: string, id: string): Promise<StoredLookup | undefined>;
  /** The newest live lookup of each number made at or after `since`: the account's, or any account's without one. */
  latestLookups(numbers: readonly string[], since: number, accountId?: string): Promise<Map<string, StoredLookup>>;
  /** Newest first. */
  listLedger(accountId: string, filter: LedgerFilter, limit: number): Promise<LedgerEntry[]>;
  insertApiKey(key: NewApiKey): Promise<void>;
  /** The keys, not revoked, with these hashes, each with its hash and account: one query for many requests. */
  findApiKeys(hashes: readonly string[]): Promise<(ApiKeyRecord & { readonly hash: string; readonly account: KeyAccount })[]>;
  /** An account's keys, revoked ones too, oldest first. */
  listApiKeys(accountId: string): Promise<ApiKeyRecord[]>;
  /** Revokes a key of the account; false when it has none such, or it was revoked already. */
  revokeApiKey(accountId: string, id: string, at: number): Promise<boolean>;
  /** Records that these keys were used at `at` (never moves a later time back). */
  touchApiKeys(ids: readonly string[], at: number): Promise<void>;

  /** False when the email is taken already. */
  insertUser(user: StoredUser): Promise<boolean>;
  findUserByEmail(email: string): Promise<StoredUser | undefined>;
  /** An account's users, oldest first. */
  listUsers(accountId: string): Promise<UserRecord[]>;
  /** Counts a failed sign-in; the `max`-th in a row locks the user until `lockUntil` and starts the count again. */
  recordSignInFailure(userId: string, max: number, lockUntil: number): Promise<void>;
  /** Failed sign-ins counted under `key` in a window not ended at `now`, and when that window ends; undefined for none. */
  signInFailures(key: string, now: number): Promise<{ failures: number; until: number } | undefined>;
  /**
   * Counts a failed sign-in under `key`: the first starts a window ending at `until`; the one
   * that reaches `max` moves its end to `until`, so the refusal lasts a whole window from it.
   * Deletes a few rows whose window ended, so that the table holds only live windows.
   */
  countSignInFailure(key: string, max: number, now: number, until: number): Promise<void>;
  /** Forgets the failed sign-ins counted under `key`. */
  clearSignInFailures(key: string): Promise<void>;
  /** Deletes a user of the account, and so every session of theirs; false when the account has no such user. */
  deleteUser(accountId: string, id: string): Promise<boolean>;
  /** Stores a session and clears the user's failed sign-ins, in one transaction. */
  insertSession(session: SessionRecord): Promise<void>;
  /** The session with this hash, unexpired at `now`, with its user and the user's account as a key's is read. */
  findSession(hash: string, now: number): Promise<{ session: SessionRecord; user: UserRecord; account: KeyAccount } | undefined>;
  deleteSession(hash: string): Promise<void>;
  /** Ends every session of the user (sign out everywhere); how many there were. */
  deleteUserSessions(userId: string): Promise<number>;

  /** Stores a compatible API's credential (its secrets as given: the server signs and checks with them). */
  insertFaceCredential(credential: FaceCredential): Promise<void>;
  /** The active credentials of `protocol` among `keys`, each with its account as a key's is read (status from above included). */
  findFaceCredentials(protocol: FaceProtocol, keys: readonly string[]): Promise<(FaceCredential & { readonly account: KeyAccount })[]>;
  /** A credential by id, revoked or not: what signs the receipts of the messages sent with it. */
  getFaceCredential(id: string): Promise<FaceCredential | undefined>;
  /** An account's credentials, revoked ones too, oldest first. */
  listFaceCredentials(accountId: string): Promise<FaceCredential[]>;
  /** Revokes a credential of the account; false when it has none such, or it was revoked already. */
  revokeFaceCredential(accountId: string, id: string, at: number): Promise<boolean>;

  /**
   * Stores accepted requests in one transaction, each with its messages, charge and idempotency
   * answer. A request its account cannot pay for, or its quota not hold, is left out, alone: the
   * others are stored. Returns each request's stored answer, or why it was left out. When a charge
   * takes the account under its low-balance threshold, its notice and account.low_balance event
   * are stored in the same transaction, once until a credit lifts it back.
   */
  insertMessages(writes: readonly AcceptWrite[]): Promise<(string | Refusal)[]>;
  /**
   * Gives back reservations (PostgreSQL's slices; nothing to do on SQLite): `owner`'s unused
   * since `idleBefore` (all of them with Infinity: on shutdown), and any node's whose lease ended
   * before `now` (a node that died). Their charges enter the ledger, in order. Returns how many.
   */
  returnSlices(owner: string, idleBefore: number, now: number): Promise<number>;
  /**
   * A message of the account; undefined for another account's. A message that was charged and
   * never reaches a provider (refused at submit, canceled, expired before sending) is refunded by
   * applyWrites, in the transaction of its final change, once.
   */
  getMessage(accountId: string, id: string): Promise<Message | undefined>;
  listEvents(accountId: string, messageId: string): Promise<MessageEvent[]>;
  /** Any account's message: for receipts, which know a message by its provider's id only. Never reached from an account's request. */
  findMessage(id: string): Promise<Message | undefined>;
  listMessages(accountId: string, filter: MessageFilter, limit: number): Promise<Message[]>;

  /**
   * Applies, in order and in one transaction, each transition and submit mark whose guard holds
   * and each note; returns which applied (a note always does). Order matters: events keep the order they happened in.
   */
  applyWrites(writes: readonly StoreWrite[]): Promise<boolean[]>;

  /**
   * Takes up to `limit` messages of a connection that are due at `now` and leases them to
   * `owner` until `leaseUntil`: no one else claims them before. In the same transaction, those
   * ready to send (queued or scheduled, not expired) move to `sending`, with their attempt
   * counted and their `sendingEvents` (see Claim.mode). Returns them with their status
   * before the claim.
   */
  claimDue(claim: Claim): Promise<ClaimedMessage[]>;
  /**
   * Makes every claimed message due at `now`, and every leased webhook delivery lapse at `now`
   * (taken over by the next claim, still counted in flight on its target). Only for a single
   * node starting up: no claim can be alive then, and waiting for the leases to end would only
   * delay recovery. Returns how many messages and deliveries.
   */
  releaseLeases(now: number): Promise<number>;
  /**
   * Extends to `leaseUntil` the leases `owner` still holds on these messages (its sends in
   * flight), in one statement; a lease another node took over is left alone. Returns how many.
   */
  renewLeases(owner: string, messageIds: readonly string[], leaseUntil: number): Promise<number>;
  /** Messages waiting to be dispatched (queued or scheduled), per connection. */
  queueDepth(): Promise<Record<string, number>>;

  /** The records of those of the ids the connection handed over (the others are not known, or not yet). */
  findProviderIds(connection: string, providerMessageIds: readonly string[]): Promise<ProviderIdRecord[]>;
  /** The parts a connection handed over whose message still waits for its receipt (status sent). */
  awaitingReceipts(connection: string): Promise<{ providerMessageId: string; to: string }[]>;
  /** Records the final state of one part. */
  setPartState(connection: string, providerMessageId: string, state: MessageStatus): Promise<void>;
  partStates(messageId: string): Promise<{ part: number; parts: number; state: MessageStatus | null }[]>;
  parkReceipt(receipt: ParkedReceipt): Promise<void>;
  countParkedReceipts(): Promise<number>;
  /** The receipts parked for these provider ids, in arrival order (they stay parked). */
  parkedReceipts(connection: string, providerMessageIds: readonly string[]): Promise<ParkedReceipt[]>;
  /** Removes one parked receipt, under every id it was parked under; how many rows went. */
  dropParkedReceipt(connection: string, providerMessageIds: readonly string[], receipt: unknown): Promise<number>;
  /**
   * Looks at the next `limit` parked receipts after `after` (in parking order) and returns those
   * whose provider id has been recorded since: the node that parked one died before applying it.
   * `next` is where the following look starts (0: back to the first), so each look costs `limit`
   * rows however many receipts are parked.
   */
  strandedReceipts(after: number, limit: number): Promise<{ stranded: { connection: string; providerMessageId: string }[]; next: number }>;

  /** The key's first answer, if it was made at `since` or later (an older one is a new key). */
  getIdempotency(accountId: string, key: string, since: number): Promise<StoredIdempotency | undefined>;
  /** Deletes at most `limit` idempotency keys made before `before`; returns how many. */
  pruneIdempotency(before: number, limit: number): Promise<number>;

  insertEndpoint(endpoint: WebhookEndpoint): Promise<void>;
  listEndpoints(accountId: string): Promise<WebhookEndpoint[]>;
  getEndpoint(accountId: string, id: string): Promise<WebhookEndpoint | undefined>;
  /** False when the account has no such endpoint. */
  updateEndpoint(accountId: string, id: string, patch: EndpointPatch): Promise<boolean>;
  deleteEndpoint(accountId: string, id: string): Promise<boolean>;
  /**
   * Disables an endpoint that failed for too long, in one transaction with what tells the
   * account: `notice`, and an `endpoint.disabled` event (its data `event`, its subject the
   * endpoint, standing in for a message) queued for the account's other enabled endpoints that
   * take it. False, and nothing done, when the endpoint is gone or already disabled.
   */
  disableEndpoint(accountId: string, id: string, disabled: { at: number; reason: string; notice: Notice; event: unknown }): Promise<boolean>;
  /** The account's secret for callback_url events, made with `create` the first time. */
  callbackSecret(accountId: string, create: () => string): Promise<string>;
  /**
   * Takes up to `limit` deliveries due at `now` and leases them to `owner` until `leaseUntil`.
   * Only the head of each (message, target) chain is ever due: a delivery made while an earlier
   * one of the same message to the same target is pending waits, and becomes due when that one
   * is delivered or given up, so events reach each target in order. A target with `perTarget`
   * deliveries in flight (by any node) gets no more, so that one slow target cannot take every
   * slot; a failing target (its last attempt failed) gets one, a probe, once its backoff (the
   * retry time of its last failure) is over. A lease that lapsed is taken over. Deliveries to an
   * endpoint that was disabled are given up (failed, with the reason) instead of claimed. Costs
   * O(targets due + deliveries handed out), never O(backlog).
   */
  claimDeliveries(claim: DeliveryClaim): Promise<ClaimedDelivery[]>;
  /**
   * From now on, a delivery that status changes (applyWrites) make due is leased to `taker` in
   * the same transaction, and handed to it once committed (and durable), instead of waiting to be
   * claimed: when the taker has room and its target has nothing waiting before it, no failures
   * and fewer than its share of posts in flight. The rest are claimed as ever.
   */
  leaseAsMade(taker: DeliveryTaker): void;
  /**
   * Keeps the deliveries `owner` has in flight leased until `leaseUntil` (one statement): a post
   * may wait longer than the lease, and must not be claimed and posted again meanwhile. Returns
   * how many were renewed; one no longer leased to `owner` is not.
   */
  renewDeliveryLeases(owner: string, deliveryIds: readonly string[], leaseUntil: number): Promise<number>;
  /**
   * Records an attempt and its outcome; a failure marks the endpoint failing, a success clears it.
   * Only while the delivery is pending and leased to `outcome.owner`: false, and nothing written,
   * for the late answer of a delivery another node took over (its own record stands).
   */
  recordAttempt(outcome: AttemptOutcome): Promise<boolean>;
  /** recordAttempt for many, in order and in one transaction (one commit for a burst of answers). */
  recordAttempts(outcomes: readonly AttemptOutcome[]): Promise<boolean[]>;
  /**
   * recordAttempts, then claimDeliveries, in one transaction: the answers that came in free their
   * slots and let the next events of their messages go, and the claim takes them at once. The
   * deliverer's one commit per round, instead of one to record and one to claim.
   */
  settleAndClaim(outcomes: readonly AttemptOutcome[], claim: DeliveryClaim): Promise<{ held: boolean[]; claimed: ClaimedDelivery[] }>;
  /**
   * Where deliveries to endpoints stand (all endpoints, or these), from counts kept as deliveries
   * come and go: never a count over the deliveries, one index seek each for the oldest pending.
   */
  webhookTargets(endpointIds?: readonly string[]): Promise<WebhookTargetStats[]>;
  listDeliveries(accountId: string, filter: { endpointId?: string; messageId?: string }, limit: number): Promise<WebhookDelivery[]>;
  getDelivery(accountId: string, id: string): Promise<{ delivery: WebhookDelivery; attempts: DeliveryAttempt[] } | undefined>;
  /**
   * Queues a delivery's event again, as a new delivery `id` made at `at` and recorded as a resend
   * of it: to the same target (an endpoint at its URL now, or the message's callback URL), at the
   * end of its (message, target) chain, counted on the target as any new delivery. Undefined when
   * the account has no such delivery; `gone` or `disabled` (and nothing queued) when its endpoint
   * was deleted or is disabled.
   */
  resendDelivery(accountId: string, deliveryId: string, id: string, at: number): Promise<WebhookDelivery | 'gone' | 'disabled' | undefined>;
  /**
   * The webhook log's retention. Looks at up to `limit` deliveries after `after` (a position in
   * the order they were made; 0: the oldest) and deletes those finished (delivered or failed)
   * that were made before `before`, with their attempts, and each one's event once no delivery
   * of it is left. One still pending stays, whatever its age. `next`: where the following look
   * starts, or null once a delivery made at `before` or later was reached, or none is left. Each
   * look costs `limit` rows, however long the log.
   */
  pruneWebhookLog(before: number, after: number, limit: number): Promise<{ deleted: number; next: number | null }>;
  /**
   * The message log's retention, as pruneWebhookLog's: looks at up to `limit` messages sent after
   * `after` (an id: they sort by creation time; '': the oldest) and deletes those final (delivered,
   * failed, ...) that were made before `before`, with their events and the provider ids receipts
   * are matched on. A message still on its way stays, whatever its age.
   */
  pruneMessages(before: number, after: string, limit: number): Promise<{ deleted: number; next: string | null }>;
  /** The same for messages received, each final as it arrives. */
  pruneInbound(before: number, after: string, limit: number): Promise<{ deleted: number; next: string | null }>;
  listNotices(accountId: string, limit: number): Promise<Notice[]>;

  /** Which of `numbers` the account has verified (those waiting for their code are not). */
  verifiedAmong(accountId: string, numbers: readonly string[]): Promise<Set<string>>;
  getVerifiedNumber(accountId: string, number: string): Promise<VerifiedNumber | undefined>;
  /** Stores the number as given, replacing the account's entry for it (its first created_at kept). */
  putVerifiedNumber(n: VerifiedNumber): Promise<void>;
  listVerifiedNumbers(accountId: string): Promise<VerifiedNumber[]>;
  deleteVerifiedNumber(accountId: string, number: string): Promise<boolean>;
  /**
   * Counts one try against the number's waiting code, if it has one with fewer than `max` tries;
   * the entry after it, or undefined (no code waiting, or tried too often). Concurrent tries each
   * count: no more than `max` are ever compared.
   */
  takeCodeAttempt(accountId: string, number: string, max: number): Promise<VerifiedNumber | undefined>;
  /** Marks the number verified if its waiting code is still `codeHash`. */
  markVerified(accountId: string, number: string, codeHash: string, at: number): Promise<boolean>;
  /** Which of `numbers` opted out of `sender` (or of every sender of the account). */
  optedOut(accountId: string, sender: string, numbers: readonly string[]): Promise<Set<string>>;
  /** Adds (true) or lifts (false) an opt-out; false when nothing changed. */
  setOptOut(accountId: string, entry: OptOut, optedOut: boolean): Promise<boolean>;
  listOptOuts(accountId: string, filter: { sender?: string; number?: string }, limit: number): Promise<OptOut[]>;
  /** Adds many entries in one call (a do-not-contact list's import); those already there are kept. Returns how many were new. */
  importOptOuts(accountId: string, entries: readonly OptOut[]): Promise<number>;
  /** Deletes up to `limit` counters whose window ended at or before `now`; returns how many. */
  pruneMarks(now: number, limit: number): Promise<number>;
  /** The index of the first mark that is full, counting nothing (a dry run); -1 when none is. */
  peekMarks(accountId: string, marks: readonly Mark[], now: number): Promise<number>;

  /** Connections and routes as last changed through the API, with the hash of the file they replaced. */
  loadTopology(): Promise<SavedTopology | undefined>;
  saveTopology(saved: SavedTopology): Promise<void>;

  /**
   * The account's oldest deliver_sm owed to its SMPP receivers (receipts and messages sent in),
   * up to `limit`, leased until `leaseUntil` (not handed out again before, to any node); those
   * past their end are dropped instead. One index range of the account, in order: O(returned +
   * those in flight).
   */
  claimSmppOutbox(accountId: string, now: number, leaseUntil: number, limit: number): Promise<SmppOwed[]>;
  /** Delivered (or not wanted): gone from the outbox. */
  finishSmppOutbox(seqs: readonly number[]): Promise<void>;
  /** Not delivered: handed out again from `at`, counted as an attempt. */
  retrySmppOutbox(seqs: readonly number[], at: number): Promise<void>;

  /** Stores an inbound message, with its message.received event for the account's endpoints (and, when the account has an SMPP credential, its deliver_sm in the SMPP outbox). */
  insertInbound(message: InboundMessage): Promise<void>;
  /** Newest first; `before` is the page cursor (an inbound id). */
  listInbound(accountId: string, before: string | undefined, limit: number): Promise<InboundMessage[]>;

  /** The account owning a number, by its key: what inbound looks up for every message. */
  numberOwner(number: string): Promise<string | undefined>;
  getNumber(number: string): Promise<OwnedNumber | undefined>;
  /** Gives the number to the account, whoever held it: a number has one owner at most. */
  assignNumber(owned: OwnedNumber): Promise<void>;
  /** False when nobody owned it. */
  releaseNumber(number: string): Promise<boolean>;
  /** An account's numbers in order, after `after` (the page cursor). */
  listNumbers(accountId: string, after: string | undefined, limit: number): Promise<OwnedNumber[]>;
  /** The account's usage on days `fromDay` to `toDay` (inclusive), by day, country and connection. */
  usage(accountId: string, fromDay: number, toDay: number): Promise<UsageRecord[]>;
  /** The account's hourly counters for hours `fromHour` to `toHour` (inclusive). */
  hourlyCounts(accountId: string, fromHour: number, toHour: number): Promise<HourlyRecord[]>;
  /** The same for the account at `path` and every account under it, each account apart. */
  usageUnder(path: string, fromDay: number, toDay: number): Promise<UsageRecord[]>;

  /**
   * Each connection's measured quality per destination (country and network) from the hour
   * `sinceHour` (hours since 1970-01-01 UTC) on, before `untilHour` when given, from counters
   * kept as outcomes are recorded; of one connection only when `connection` is given. One index
   * range of the hours: never a scan of messages.
   */
  qualityTotals(sinceHour: number, connection?: string, untilHour?: number): Promise<QualityRecord[]>;
  /** Deletes counters of hours before `beforeHour`, at most `limit` rows of each table; returns how many went. */
  pruneQuality(beforeHour: number, limit: number): Promise<number>;
  /** The connections degraded now. */
  degradations(): Promise<Degradation[]>;
  /**
   * Marks a connection degraded for a destination, or recovered, with its notice and event, in one
   * transaction; false, and nothing done, when it already was (another node found it first).
   */
  setDegraded(change: DegradationChange): Promise<boolean>;
}

/**
 * An account's credential for a compatible API (a face): its public `key` (Vonage's api_key), its
 * `secret` (api_secret), and the face's own settings (signature secret and method, receipt URL).
 */
export interface FaceCredential {
  readonly id: string;
  readonly accountId: string;
  readonly protocol: FaceProtocol;
  readonly name: string | null;
  readonly key: string;
  readonly secret: string;
  /** The face's settings, as the face defines them. */
  readonly settings: Readonly<Record<string, string | null>>;
  readonly createdAt: number;
  readonly revokedAt: number | null;
}

/** Where an account's events go. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly accountId: string;
  readonly url: string;
  readonly description: string | null;
  /** Event types, or ['*'] for all. */
  readonly events: readonly string[];
  readonly secret: string;
  readonly createdAt: number;
  /** Since when every delivery has failed; null while it answers. */
  readonly failingSince: number | null;
  readonly disabledAt: number | null;
  readonly disabledReason: string | null;
  /** Several events in one POST, or null: one each. */
  readonly batch: WebhookBatching | null;
}

/** An endpoint's batching: up to `maxEvents` events in one POST; the first waits at most `maxWaitMs` for company. */
export interface WebhookBatching {
  readonly maxEvents: number;
  readonly maxWaitMs: number;
}

export type EndpointPatch = Partial<Pick<WebhookEndpoint, 'url' | 'description' | 'events' | 'disabledAt' | 'disabledReason' | 'failingSince' | 'batch'>>;

/** One event on its way to one target (an endpoint, or a message's callback URL). */
export interface WebhookDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly accountId: string;
  readonly messageId: string;
  readonly endpointId: string | null;
  readonly url: string;
  readonly status: 'pending' | 'delivered' | 'failed';
  readonly attempts: number;
  readonly dueAt: number | null;
  readonly createdAt: number;
  readonly lastAttemptAt: number | null;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  /** The delivery this one resends (queued again through the API); null for an event's own. */
  readonly resendOf: string | null;
}

/** Where deliveries to one endpoint stand. */
export interface WebhookTargetStats {
  readonly endpointId: string;
  /** Neither delivered nor given up. */
  readonly pending: number;
  readonly inFlight: number;
  /** Failed attempts in a row (0 while it answers). */
  readonly failures: number;
  /** Created time of the oldest pending delivery. */
  readonly oldestPendingAt: number | null;
  /** Since the endpoint was created (counters, for a rate). */
  readonly delivered: number;
  readonly failed: number;
}

/**
 * What `claimDeliveries` takes: at most `limit`, and at most `perTarget` posts in flight to one
 * target (an endpoint that batches takes `perTarget` times its batch size in deliveries).
 */
export interface DeliveryClaim {
  readonly now: number;
  readonly limit: number;
  readonly perTarget: number;
  readonly owner: string;
  readonly leaseUntil: number;
}

/** A node's deliverer, as the store offers it deliveries as they are made (see Store.leaseAsMade). */
export interface DeliveryTaker {
  readonly owner: string;
  /** How many more deliveries it takes now (0: none), its lease's end, and how many posts a target may have in flight. */
  room(): { readonly count: number; readonly leaseUntil: number; readonly perTarget: number };
  take(deliveries: readonly ClaimedDelivery[]): void;
}

/** A delivery claimed to be sent now, with its event and the secret that signs it. */
export interface ClaimedDelivery extends WebhookDelivery {
  readonly event: { readonly id: string; readonly type: string; readonly createdAt: number; readonly data: unknown };
  readonly secret: string;
  /** Failed attempts in a row of its target when claimed: a target failing as a whole backs off as a whole. */
  readonly targetFailures: number;
  /** Its endpoint's batching, or null: one event per POST. */
  readonly batch: WebhookBatching | null;
}

export interface DeliveryAttempt {
  readonly at: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly latencyMs: number;
  readonly responseExcerpt: string | null;
}

/** What one attempt came to: delivered, tried again at `retryAt`, or given up. */
export interface AttemptOutcome {
  readonly deliveryId: string;
  /** Who claimed the delivery and made the attempt. */
  readonly owner: string;
  readonly endpointId: string | null;
  readonly attempt: DeliveryAttempt;
  readonly result: 'delivered' | 'retry' | 'failed';
  readonly retryAt: number | null;
  /**
   * The target's failures in a row with this answer: one more than it had when the post was
   * claimed, so posts sent together that fail together count as one failure, not one each.
   */
  readonly failuresInARow: number;
}

export interface Notice {
  readonly at: number;
  readonly type: string;
  readonly message: string;
  readonly detail: Record<string, unknown> | null;
}

/** A counter of the duplicate guard or a frequency cap: at most `limit` messages per window of `windowMs`, from the first. */
export interface Mark {
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
}

export interface OptOut {
  readonly sender: string;
  readonly number: string;
  readonly createdAt: number;
  /** How it came: "keyword" (the subscriber texted STOP) or "api". */
  readonly source: string;
}

export interface SavedTopology {
  readonly fileHash: string;
  /** Each connection's settings, as the configuration file writes them. */
  readonly connections: readonly Record<string, unknown>[];
  readonly routes: readonly Route[];
  readonly updatedAt: number;
}

export interface IdempotencyWrite {
  readonly accountId: string;
  readonly key: string;
  readonly requestHash: string;
  readonly statusCode: number;
  readonly response: string;
  readonly createdAt: number;
}

export interface Claim {
  readonly connection: string;
  readonly now: number;
  readonly limit: number;
  readonly owner: string;
  readonly leaseUntil: number;
  /**
   * `send` (default): as described on claimDue. `expired`: only messages past their validity (a
   * connection that is down still expires its messages). `hold`: lease due messages without
   * starting them (a connection that is down hands them to another).
   */
  readonly mode?: 'send' | 'expired' | 'hold';
}

export interface ClaimedMessage extends Message {
  /** The status the message had when claimed. */
  readonly claimedFrom: MessageStatus;
  /** Whether its current attempt was marked as submitted: found mid-send, its outcome is then unknown. */
  readonly submitMarked: boolean;
}
