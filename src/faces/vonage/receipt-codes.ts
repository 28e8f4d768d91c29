import type { CanonicalCode } from '../../core/catalogue/canonical.js';
import type { MessageStatus } from '../../core/lifecycle.js';

/**
 * A final status as a Vonage delivery receipt's `status` ("DLR status messages"). A message
 * canceled before it left never reached a carrier: `failed`, as Vonage reports a message it
 * could not send.
 */
export const RECEIPT_STATUSES: Readonly<Partial<Record<MessageStatus, string>>> = {
  delivered: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
  rejected: 'rejected',
  expired: 'expired',
  canceled: 'failed',
  unknown: 'unknown',
  // Read by the handset: delivered, as far as an SMS receipt can say.
  read: 'delivered',
};

/**
 * The events that make a receipt: a message's final ones, one receipt each. A read is not
 * listed: read in place of a delivered it makes the receipt (it counts as delivered), read after
 * one it would be a second "delivered".
 */
export const RECEIPT_EVENTS: readonly string[] = Object.keys(RECEIPT_STATUSES)
  .filter((status) => status !== 'read')
  .map((status) => `message.${status}`);

/**
 * The receipt's `err-code` ("DLR error codes") for a failed message's canonical error, as data:
 * every canonical code is listed once. Those with no closer code are 99 (General Error), as
 * Vonage reports a failure it cannot name better; a delivered (or read) message is 0.
 */
export const RECEIPT_ERRORS = {
  '1': ['delivery_failed', 'delivery_unknown', 'unknown_error', 'outcome_unknown'],
  '2': ['absent_subscriber', 'handset_storage_full', 'handset_error', 'roaming_not_allowed'],
  '3': ['unknown_subscriber', 'subscriber_not_provisioned'],
  '4': ['destination_barred'],
  '5': ['portability_error'],
  '6': ['carrier_rejected', 'sender_blocklisted', 'traffic_fraud_blocked', 'sender_unhealthy'],
  '7': ['handset_busy'],
  '8': ['network_error', 'provider_timeout'],
  '9': ['destination_opted_out', 'destination_blocklisted', 'invalid_phone_number', 'not_mobile_number'],
  '10': ['invalid_message', 'invalid_characters', 'message_too_long', 'invalid_encoding', 'media_too_large', 'invalid_media'],
  '11': ['unroutable_destination', 'no_route', 'destination_not_supported'],
  '12': ['destination_unreachable'],
  '15': ['subscriber_billing_error'],
  '16': ['quota_exceeded', 'rate_limit_exceeded', 'flood_protection', 'too_many_connections', 'provider_queue_full'],
  '50': ['sender_registration_required'],
  '51': ['sender_not_authorized', 'invalid_sender', 'alphanumeric_sender_not_allowed'],
  '52': ['content_rejected', 'opt_out_instructions_missing'],
  '53': ['destination_do_not_disturb', 'outside_sending_hours', 'outside_sending_days', 'destination_not_allowed'],
  '54': ['regulatory_rejected'],
  '99': [
    'message_expired', 'message_deleted', 'provider_error', 'provider_unavailable', 'provider_authentication_failed', 'provider_access_denied',
    'provider_configuration_error', 'provider_protocol_error', 'internal_error', 'service_unavailable', 'insufficient_credit', 'account_suspended',
    'account_disabled', 'account_blocked', 'protocol_not_allowed', 'no_price', 'missing_api_key', 'invalid_api_key', 'invalid_credentials', 'permission_denied', 'insufficient_scope',
    'invalid_signature', 'invalid_json', 'unsupported_media_type', 'payload_too_large', 'missing_parameter', 'invalid_parameter', 'too_many_recipients',
    'invalid_schedule', 'invalid_callback_url', 'invalid_network_code', 'duplicate_message', 'not_found', 'message_not_found', 'message_not_cancelable',
    'idempotency_key_reused', 'idempotency_key_in_use', 'unsupported_operation', 'webhook_endpoint_unavailable', 'invalid_verification_code', 'ip_not_allowed', 'conversation_window_closed',
  ],
} as const satisfies Readonly<Record<string, readonly CanonicalCode[]>>;

const byCode = new Map<string, string>(Object.entries(RECEIPT_ERRORS).flatMap(([err, codes]) => codes.map((code) => [code, err] as const)));

/** The receipt's err-code: 0 when delivered, else by the message's canonical error (99 without one). */
export function receiptErrorCode(status: MessageStatus, error: string | undefined): string {
  if (status === 'delivered' || status === 'read') return '0';
  return (error && byCode.get(error)) ?? '99';
}
