import type { CanonicalCode } from '../../core/catalogue/canonical.js';

/**
 * The SMS API status each canonical error answers with (seed 000, "SMS API error codes"), as
 * data: every canonical code is listed once, so a new code fails the test until it is placed.
 * Codes a send through this API cannot meet (they come from receipts or other routes) are under
 * 5, as Vonage answers what it did not expect.
 */
export const SUBMIT_STATUSES = {
  '1': ['rate_limit_exceeded', 'flood_protection'],
  '2': ['missing_parameter', 'missing_api_key'],
  '3': [
    'invalid_parameter', 'invalid_json', 'invalid_encoding', 'unsupported_media_type', 'payload_too_large', 'invalid_phone_number', 'not_mobile_number',
    'invalid_sender', 'invalid_characters', 'too_many_recipients', 'invalid_schedule', 'invalid_message', 'media_too_large', 'invalid_media', 'duplicate_message',
    'idempotency_key_reused', 'idempotency_key_in_use',
  ],
  '4': ['invalid_api_key', 'invalid_credentials', 'permission_denied', 'insufficient_scope', 'ip_not_allowed'],
  '5': [
    'internal_error', 'service_unavailable', 'provider_authentication_failed', 'provider_access_denied', 'provider_error', 'provider_unavailable',
    'provider_timeout', 'outcome_unknown', 'provider_queue_full', 'provider_configuration_error', 'provider_protocol_error', 'unknown_error', 'not_found',
    'message_not_found', 'message_not_cancelable', 'unsupported_operation', 'webhook_endpoint_unavailable', 'too_many_connections', 'outside_sending_hours', 'outside_sending_days',
    'absent_subscriber', 'handset_busy', 'handset_storage_full', 'handset_error', 'roaming_not_allowed', 'subscriber_billing_error', 'network_error',
    'message_expired', 'message_deleted', 'delivery_failed', 'delivery_unknown', 'carrier_rejected', 'portability_error', 'invalid_verification_code',
    'regulatory_rejected', 'traffic_fraud_blocked', 'sender_unhealthy', 'conversation_window_closed',
  ],
  '6': ['no_route', 'no_price', 'destination_not_supported', 'unroutable_destination', 'destination_unreachable'],
  '7': ['destination_opted_out', 'destination_do_not_disturb', 'destination_blocklisted', 'destination_barred', 'content_rejected', 'sender_blocklisted', 'opt_out_instructions_missing'],
  '8': ['account_disabled', 'account_blocked', 'account_suspended'],
  '9': ['insufficient_credit', 'quota_exceeded'],
  '11': ['protocol_not_allowed'],
  '12': ['message_too_long'],
  '14': ['invalid_signature'],
  '15': ['sender_not_authorized', 'sender_registration_required', 'alphanumeric_sender_not_allowed'],
  '22': ['invalid_network_code'],
  '23': ['invalid_callback_url'],
  '29': ['destination_not_allowed'],
  '33': ['unknown_subscriber', 'subscriber_not_provisioned'],
} as const satisfies Readonly<Record<string, readonly CanonicalCode[]>>;

/**
 * Where one canonical error answers differently by the parameter at fault: a signed request that
 * also carries `api_secret` is 32, not 3.
 */
export const BY_PARAMETER: Readonly<Record<string, string>> = { 'invalid_parameter:api_secret': '32' };

const byCode = new Map<string, string>(Object.entries(SUBMIT_STATUSES).flatMap(([status, codes]) => codes.map((code) => [code, status] as const)));

/** The SMS API status for a canonical error (and the parameter it names). */
export function submitStatus(code: string, param: string | undefined): string {
  return BY_PARAMETER[`${code}:${param}`] ?? byCode.get(code) ?? '5';
}
