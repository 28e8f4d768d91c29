import type { MessageStatus } from '../lifecycle.js';
import type { CanonicalCode } from './canonical.js';

/**
 * The family an error belongs to, as in Chirp's error format. Clients branch on the type first
 * (fix the request? fix the account? wait? nothing to do but report?), then on the code.
 */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'account_error'
  | 'rate_limit_error'
  | 'compliance_error'
  | 'provider_error'
  | 'delivery_error'
  | 'api_error';

/**
 * Whether sending the same message again can succeed:
 * - `never`: it will fail the same way every time (the number does not exist, it opted out);
 * - `after_delay`: a transient condition (throttling, phone off, provider outage); try again later;
 * - `after_fix`: the sender must change something first (credentials, sender id, content, credit).
 */
export type RetryAdvice = 'never' | 'after_delay' | 'after_fix';

/** One canonical error: everything Switchboard knows about a failure, in one row. */
export interface CanonicalErrorDef {
  /** Stable snake_case identifier; never renamed once published. */
  readonly code: string;
  readonly type: ErrorType;
  /** The HTTP status used when the API itself answers with this error. */
  readonly http_status: number;
  readonly title: string;
  readonly description: string;
  /** What to do about it, concretely. Never empty. */
  readonly resolution: string;
  /** True when the same message to the same number will never succeed. */
  readonly permanent: boolean;
  readonly retry: RetryAdvice;
  /**
   * True when another connection (another provider or route) may succeed where this one failed:
   * the failure belongs to the connection, not to the message or the number. Failover reads it.
   */
  readonly failover: boolean;
}

/** A provider code as one provider's documentation states it, and what it means canonically. */
export interface ProviderCodeRow {
  /** The code exactly as the provider writes it ("29", "7302", "EC_ABSENT_SUBSCRIBER_SM"...). */
  readonly code: string;
  /** The provider's own short message for the code. */
  readonly message: string;
  /** The canonical error it means; null for codes that report success or progress. */
  readonly canonical: CanonicalCode | null;
  /** The provider's symbolic name, where it has one (ESME_RTHROTTLED, EC_UNKNOWN_SUBSCRIBER). */
  readonly name?: string;
  /** The provider's longer description, where the documentation gives one. */
  readonly description?: string;
  /**
   * The provider's own permanent flag, where the documentation gives one: it wins over the
   * canonical error's for this code (see `permanenceOf`). Its source is `permanent_source`, or the
   * table's.
   */
  readonly permanent?: boolean;
  /** Where this row's `permanent` flag is published, when not where the table's flags are. */
  readonly permanent_source?: string;
  /** For delivery statuses: the lifecycle status this code means. */
  readonly state?: MessageStatus;
  /** The provider's own resolution text, where the documentation gives one. */
  readonly resolution?: string;
  /** How a fault in the provider's documentation was handled for this row. */
  readonly note?: string;
}

/**
 * One table of one provider's documentation: a section or channel, named by `context`, the slug
 * of its heading (lowercase, every run of other characters as one `-`).
 */
export interface ProviderCodeTable {
  readonly provider: string;
  readonly context: string;
  /** The heading as the provider's documentation writes it. */
  readonly title: string;
  /** Shorter names a user may type for the context. */
  readonly aliases?: readonly string[];
  /** The provider's group for every row of the table (e.g. "HANDSET_ERRORS (errorGrpId: 1)"). */
  readonly group?: string;
  /**
   * How an input code is compared with the table's codes. Default `text`: exact, then
   * case-insensitive, then the row's name. `integer`: both sides read as integers, so "0x58",
   * "0x00000058" and "88" are one code (SMPP command_status).
   */
  readonly match?: 'text' | 'integer';
  /** Where the `permanent` flags of the table's rows are published (a column, a page). */
  readonly permanent_source?: string;
  readonly rows: readonly ProviderCodeRow[];
}
