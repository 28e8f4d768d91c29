import type { CanonicalCode } from '../../core/catalogue/canonical.js';
import type { MessageStatus } from '../../core/lifecycle.js';

/**
 * Twilio's error code for each canonical error, as data: what a refused request answers
 * (`code`) and what a failed message reports (`error_code`, a status callback's `ErrorCode`).
 * Every canonical code is listed once, so a new code fails the test until it is placed. 400,
 * 20403 and 20500 are the REST API's generic errors; the others are Twilio's messaging codes.
 */
export const ERROR_CODES = {
  '400': [
    'invalid_json', 'invalid_encoding', 'unsupported_media_type', 'payload_too_large', 'missing_parameter', 'invalid_parameter', 'invalid_characters',
    'too_many_recipients', 'invalid_schedule', 'invalid_message', 'media_too_large', 'invalid_media', 'duplicate_message', 'idempotency_key_reused',
    'idempotency_key_in_use', 'invalid_verification_code', 'unsupported_operation', 'webhook_endpoint_unavailable', 'invalid_network_code', 'message_not_cancelable',
  ],
  '14107': ['flood_protection'],
  '20003': ['missing_api_key', 'invalid_api_key', 'invalid_credentials', 'invalid_signature'],
  '20005': ['account_disabled', 'account_blocked', 'account_suspended'],
  '20403': ['permission_denied', 'insufficient_scope', 'ip_not_allowed', 'protocol_not_allowed'],
  '20404': ['not_found', 'message_not_found'],
  '20429': ['rate_limit_exceeded', 'quota_exceeded', 'too_many_connections'],
  '20500': ['internal_error', 'service_unavailable'],
  '21211': ['invalid_phone_number'],
  '21212': ['invalid_sender', 'alphanumeric_sender_not_allowed'],
  '21408': ['no_route', 'no_price', 'destination_not_supported'],
  '21606': ['sender_not_authorized'],
  '21608': ['destination_not_allowed'],
  '21609': ['invalid_callback_url'],
  '21610': ['destination_opted_out', 'destination_blocklisted', 'destination_do_not_disturb', 'destination_barred'],
  '21612': ['unroutable_destination', 'destination_unreachable'],
  '21614': ['not_mobile_number'],
  '21617': ['message_too_long'],
  '21618': ['content_rejected', 'opt_out_instructions_missing'],
  '30001': ['provider_queue_full'],
  '30002': ['insufficient_credit'],
  '30003': ['absent_subscriber', 'handset_busy', 'handset_storage_full', 'handset_error', 'roaming_not_allowed'],
  '30005': ['unknown_subscriber', 'subscriber_not_provisioned'],
  '30006': ['portability_error'],
  '30007': ['carrier_rejected', 'regulatory_rejected', 'sender_unhealthy', 'outside_sending_hours', 'outside_sending_days', 'conversation_window_closed'],
  '30008': ['unknown_error', 'outcome_unknown', 'delivery_unknown', 'delivery_failed', 'message_deleted', 'subscriber_billing_error'],
  '30017': ['network_error'],
  '30034': ['sender_registration_required'],
  '30036': ['message_expired'],
  '30042': ['sender_blocklisted'],
  '30410': ['provider_timeout'],
  '30450': ['traffic_fraud_blocked'],
  '30500': ['provider_error', 'provider_unavailable', 'provider_authentication_failed', 'provider_access_denied', 'provider_configuration_error', 'provider_protocol_error'],
} as const satisfies Readonly<Record<string, readonly CanonicalCode[]>>;

/** Where one canonical error answers differently by the parameter at fault, as Twilio names each. */
export const BY_PARAMETER: Readonly<Record<string, string>> = {
  'missing_parameter:Body': '21602',
  'missing_parameter:From': '21603',
  'missing_parameter:To': '21604',
  'invalid_parameter:ValidityPeriod': '21624',
  'invalid_parameter:StatusCallback': '21609',
};

/** The HTTP status Twilio answers a code with; any other is 400. */
export const HTTP_STATUSES: Readonly<Record<string, number>> = { '20003': 401, '20005': 401, '20403': 403, '20404': 404, '20429': 429, '14107': 429, '20500': 500 };

const byCode = new Map<string, string>(Object.entries(ERROR_CODES).flatMap(([twilio, codes]) => codes.map((code) => [code, twilio] as const)));

/** Twilio's code for a canonical error (and the parameter it names). */
export function twilioCode(code: string, param?: string): string {
  return BY_PARAMETER[`${code}:${param}`] ?? byCode.get(code) ?? '20500';
}

/**
 * A message's status in Twilio's vocabulary. Twilio has no `rejected`, `expired` or `unknown`:
 * refused or expired is `failed` (its error code says why), and an outcome nobody knows stays
 * `sent`, as Twilio leaves a message whose carrier never answered.
 */
export const TWILIO_STATUSES: Readonly<Record<MessageStatus, string>> = {
  scheduled: 'scheduled',
  queued: 'queued',
  sending: 'sending',
  sent: 'sent',
  delivered: 'delivered',
  undelivered: 'undelivered',
  failed: 'failed',
  rejected: 'failed',
  expired: 'failed',
  canceled: 'canceled',
  unknown: 'sent',
  read: 'read',
};

/** The events a `StatusCallback` gets: every step after the message was taken, as Twilio calls back. */
export const CALLBACK_EVENTS: readonly string[] = (Object.keys(TWILIO_STATUSES) as MessageStatus[])
  .filter((s) => !['scheduled', 'queued', 'sending'].includes(s))
  .map((status) => `message.${status}`);
