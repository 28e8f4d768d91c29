/** The kinds of line the numbering plan allocates a range to, as libphonenumber names them. */
export type LineType =
  | 'mobile'
  | 'fixed_line'
  | 'fixed_line_or_mobile'
  | 'voip'
  | 'toll_free'
  | 'premium_rate'
  | 'shared_cost'
  | 'personal_number'
  | 'pager'
  | 'uan'
  | 'voicemail';

/**
 * What the numbering plan says of a number, offline and free: facts about the range it belongs to,
 * not about the subscriber (a ported number keeps its range's carrier here; only a live lookup
 * tells where it went).
 */
export interface NumberFacts {
  readonly e164: string;
  readonly valid: boolean;
  /** Undefined when the plan cannot tell (an invalid number, or a range without type data). */
  readonly type: LineType | undefined;
  /** ISO 3166-1 alpha-2. */
  readonly country: string | undefined;
  /** The carrier the range was allocated to, in English. */
  readonly carrier: string | undefined;
  /**
   * The IANA time zones the number's prefix may be in, most often one. Several when the plan
   * cannot tell from the number alone (a mobile range valid in a whole multi-zone country); empty
   * when it knows nothing.
   */
  readonly timeZones: readonly string[];
}

/** The port to the numbering plan's data. Synchronous: its data is loaded once and kept. */
export interface NumberingPlan {
  facts(e164: string): NumberFacts;
  /**
   * The time zones of `facts`, alone: read from the number's digits without parsing it, for the
   * callers that need only them on every message (sending windows). Empty when unknown.
   */
  timeZones(e164: string): readonly string[];
}
