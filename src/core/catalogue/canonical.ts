import { accessErrors } from './errors/access.js';
import { accountErrors } from './errors/account.js';
import { apiErrors } from './errors/api.js';
import { complianceErrors } from './errors/compliance.js';
import { deliveryErrors } from './errors/delivery.js';
import { providerErrors } from './errors/provider.js';
import { rateLimitErrors } from './errors/rate-limit.js';
import { requestErrors } from './errors/request.js';
import type { CanonicalErrorDef } from './types.js';

/** Every canonical error, grouped by family in the files beside this one. */
export const CANONICAL_ERRORS = [
  ...requestErrors,
  ...accessErrors,
  ...accountErrors,
  ...rateLimitErrors,
  ...complianceErrors,
  ...providerErrors,
  ...deliveryErrors,
  ...apiErrors,
] as const;

/** A canonical error code, derived from the table so that a typo fails to compile. */
export type CanonicalCode = (typeof CANONICAL_ERRORS)[number]['code'];

const byCode: ReadonlyMap<string, CanonicalErrorDef> = new Map(CANONICAL_ERRORS.map((e) => [e.code, e]));

export function canonicalError(code: CanonicalCode): CanonicalErrorDef {
  return byCode.get(code)!;
}

/** The path of the page that documents a canonical error; the server serves it. */
export function docPath(code: string): string {
  return `/docs/errors/${code}`;
}
