import type { CanonicalCode } from '../../core/catalogue/canonical.js';
import { smppCodes } from '../../providers/smpp/codes.js';

/**
 * The command_status each canonical error answers a submit_sm (or query_sm, cancel_sm) with, as
 * data: every canonical code is listed once, so a new code fails the test until it is placed.
 * SMPP 3.4 has no status for money or policy: a refusal for credit or quota is
 * ESME_RSUBMITFAIL, one for the recipient's sake (opted out, not allowed) ESME_RINVDSTADR. Codes
 * a submit cannot meet (receipts' and other routes') are ESME_RSYSERR.
 */
export const COMMAND_STATUSES = {
  ESME_RTHROTTLED: ['rate_limit_exceeded', 'flood_protection'],
  ESME_RINVDSTADR: [
    'invalid_phone_number', 'not_mobile_number', 'no_route', 'no_price', 'destination_not_supported', 'unroutable_destination', 'destination_unreachable',
    'destination_opted_out', 'destination_do_not_disturb', 'destination_blocklisted', 'destination_barred', 'destination_not_allowed', 'unknown_subscriber',
    'subscriber_not_provisioned', 'too_many_recipients',
  ],
  ESME_RINVSRCADR: ['invalid_sender', 'sender_not_authorized', 'sender_registration_required', 'sender_blocklisted', 'alphanumeric_sender_not_allowed'],
  ESME_RINVMSGLEN: ['message_too_long'],
  ESME_RINVSCHED: ['invalid_schedule'],
  ESME_RSUBMITFAIL: [
    'insufficient_credit', 'quota_exceeded', 'content_rejected', 'invalid_parameter', 'missing_parameter', 'invalid_characters', 'invalid_encoding',
    'invalid_message', 'invalid_json', 'unsupported_media_type', 'payload_too_large', 'media_too_large', 'invalid_media', 'duplicate_message',
    'invalid_callback_url', 'invalid_network_code', 'outside_sending_hours', 'outside_sending_days', 'opt_out_instructions_missing',
  ],
  ESME_RBINDFAIL: [
    'account_disabled', 'account_blocked', 'account_suspended', 'protocol_not_allowed', 'permission_denied', 'insufficient_scope', 'invalid_api_key', 'invalid_credentials',
    'missing_api_key', 'invalid_signature', 'ip_not_allowed',
  ],
  ESME_RINVMSGID: ['not_found', 'message_not_found'],
  ESME_RCANCELFAIL: ['message_not_cancelable'],
  ESME_RMSGQFUL: ['provider_queue_full', 'too_many_connections'],
  ESME_RSYSERR: [
    'internal_error', 'service_unavailable', 'idempotency_key_reused', 'idempotency_key_in_use', 'provider_authentication_failed', 'provider_access_denied',
    'provider_error', 'provider_unavailable', 'provider_timeout', 'outcome_unknown', 'provider_configuration_error', 'provider_protocol_error',
    'unknown_error', 'unsupported_operation', 'webhook_endpoint_unavailable', 'absent_subscriber', 'handset_busy', 'handset_storage_full', 'handset_error', 'roaming_not_allowed',
    'subscriber_billing_error', 'network_error', 'message_expired', 'message_deleted', 'delivery_failed', 'delivery_unknown', 'carrier_rejected',
    'portability_error', 'invalid_verification_code', 'regulatory_rejected', 'traffic_fraud_blocked', 'sender_unhealthy', 'conversation_window_closed',
  ],
} as const satisfies Readonly<Record<string, readonly CanonicalCode[]>>;

/** Where one canonical error answers differently by the parameter at fault. */
const BY_PARAMETER: Readonly<Record<string, StatusName>> = { 'invalid_parameter:validity': 'ESME_RINVEXPIRY' };

type StatusName = keyof typeof COMMAND_STATUSES | 'ESME_RINVEXPIRY';

/** command_status values by name, read from the SMPP code table (one place for the numbers). */
const VALUES = new Map<string, number>(smppCodes[0].rows.map((r) => [r.name, Number(r.code)]));

export function statusValue(name: string): number {
  const value = VALUES.get(name);
  if (value === undefined) throw new Error(`no command_status named ${name}`);
  return value;
}

const byCode = new Map<string, number>(
  Object.entries(COMMAND_STATUSES).flatMap(([name, codes]) => codes.map((code) => [code, statusValue(name)] as const)),
);

/** The command_status for a canonical error (and the parameter it names). */
export function commandStatus(code: string, param?: string): number {
  const special = BY_PARAMETER[`${code}:${param}`];
  return special ? statusValue(special) : (byCode.get(code) ?? statusValue('ESME_RSYSERR'));
}
