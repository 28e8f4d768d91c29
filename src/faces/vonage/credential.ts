import { randomBytes, randomInt } from 'node:crypto';
import type { CredentialKind } from '../../app/credentials.js';
import { SwitchboardError } from '../../core/errors.js';
import type { VonageSignatureMethod } from '../../providers/vonage/signature.js';

export const SIGNATURE_METHODS: readonly VonageSignatureMethod[] = ['md5hash', 'md5', 'sha1', 'sha256', 'sha512'];
/** How receipts reach the receipt URL, as Vonage's dashboard offers it: a query string, a form, or JSON. */
export const RECEIPT_METHODS = ['GET', 'POST', 'POST-JSON'] as const;
export type ReceiptMethod = (typeof RECEIPT_METHODS)[number];

/** A Vonage credential's settings, as stored. */
export interface VonageSettings {
  readonly signatureSecret: string;
  readonly signatureMethod: VonageSignatureMethod;
  /** Where receipts go when the request names no `callback`; null: only to a request's own. */
  readonly receiptUrl: string | null;
  readonly receiptMethod: ReceiptMethod;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alphanumeric(length: number): string {
  return Array.from({ length }, () => ALPHANUMERIC[randomInt(ALPHANUMERIC.length)]).join('');
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], byDefault: T, param: string): T {
  if (value === undefined) return byDefault;
  if (!allowed.includes(value as T)) throw new SwitchboardError('invalid_parameter', `${param} must be one of ${allowed.join(', ')}.`, { param });
  return value as T;
}

/**
 * Vonage's credentials as its SDKs expect them: an api_key of 8 hex digits, an api_secret of 16
 * letters and digits, and a signature secret (for `sig`, and for signing receipts) with its method.
 */
export const vonageCredential: CredentialKind = {
  generate: () => ({ key: randomBytes(4).toString('hex'), secret: alphanumeric(16) }),
  settings: (input) => ({
    signature_secret: alphanumeric(48),
    signature_method: oneOf(input.signature_method, SIGNATURE_METHODS, 'md5hash', 'signature_method'),
    receipt_url: input.receipt_url ?? null,
    receipt_method: oneOf(input.receipt_method, RECEIPT_METHODS, 'POST-JSON', 'receipt_method'),
  }),
};

export function vonageSettings(settings: Readonly<Record<string, string | null>>): VonageSettings {
  return {
    signatureSecret: settings.signature_secret!,
    signatureMethod: settings.signature_method as VonageSignatureMethod,
    receiptUrl: settings.receipt_url ?? null,
    receiptMethod: settings.receipt_method as ReceiptMethod,
  };
}
