import type { CanonicalCode } from './catalogue/canonical.js';

/** What a provider said, kept beside the canonical error it was mapped to. */
export interface ProviderDetails {
  /** The provider ("vonage", "smpp"...). */
  readonly source: string;
  /** The provider's code exactly as received. */
  readonly code: string;
  /** The provider's message for the code, or its documented meaning. */
  readonly message?: string;
  /** The section or channel of the provider's codes the code belongs to. */
  readonly context?: string;
}

/**
 * A failure with a canonical code. Domain and application code throw it; the API renders it in
 * the canonical error format, with the HTTP status the catalogue gives the code.
 */
export class SwitchboardError extends Error {
  readonly code: CanonicalCode;
  readonly param: string | undefined;
  readonly provider: ProviderDetails | undefined;
  /** For errors that pass with time (rate limits): when to try again. */
  readonly retryAfterSeconds: number | undefined;
  /** The account policy's rule that refused (`marketing.windows`), for a compliance refusal. */
  readonly rule: string | undefined;

  constructor(code: CanonicalCode, message: string, options: { param?: string; provider?: ProviderDetails; retryAfterSeconds?: number; rule?: string } = {}) {
    super(message);
    this.name = 'SwitchboardError';
    this.code = code;
    this.param = options.param;
    this.provider = options.provider;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.rule = options.rule;
  }
}
