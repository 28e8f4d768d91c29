import type { CanonicalCode } from '../../core/catalogue/canonical.js';
import type { MessageStatus } from '../../core/lifecycle.js';

/**
 * SMSPartner's control code for each canonical error (seed 001 and SMSPartner's API reference),
 * as data: every canonical code is listed once, so a new code fails the test until it is placed.
 * 9 ("at least one constraint was not respected") takes the invalid requests that have no code
 * of their own; 500 ("problem adding the SMS to the queue") what a request cannot cause.
 */
export const CONTROL_CODES = {
  '1': ['missing_api_key'],
  '4': ['not_found', 'message_not_found'],
  // SMSPartner's cancellation page: the SMS was already sent.
  '7': ['message_not_cancelable'],
  '9': [
    'missing_parameter', 'invalid_parameter', 'invalid_phone_number', 'not_mobile_number', 'invalid_characters', 'invalid_message', 'invalid_encoding',
    'unsupported_media_type', 'payload_too_large', 'media_too_large', 'invalid_media', 'duplicate_message', 'idempotency_key_reused', 'idempotency_key_in_use',
    'invalid_verification_code', 'unsupported_operation', 'webhook_endpoint_unavailable', 'invalid_network_code', 'invalid_callback_url', 'destination_not_allowed', 'content_rejected',
    'opt_out_instructions_missing',
  ],
  '10': ['invalid_api_key', 'invalid_credentials', 'invalid_signature'],
  '11': ['insufficient_credit', 'quota_exceeded'],
  '13': ['no_price', 'no_route', 'destination_not_supported', 'unroutable_destination', 'destination_unreachable'],
  '14': ['destination_opted_out', 'destination_blocklisted', 'destination_do_not_disturb', 'destination_barred'],
  '20': ['account_disabled', 'account_suspended'],
  // Marketing outside 8:00-22:00 (22), and on Sundays and public holidays (23).
  '22': ['outside_sending_hours'],
  '23': ['outside_sending_days'],
  '30': ['account_blocked'],
  '40': ['protocol_not_allowed', 'permission_denied', 'insufficient_scope'],
  '44': ['invalid_sender', 'alphanumeric_sender_not_allowed'],
  '49': ['invalid_schedule'],
  '50': ['too_many_recipients'],
  '52': ['message_too_long'],
  '90': ['invalid_json'],
  '96': ['ip_not_allowed'],
  // SMSPartner's request limit (the code its mail API answers; the SMS API shares the limit).
  '429': ['rate_limit_exceeded', 'flood_protection', 'too_many_connections'],
  '500': [
    'internal_error', 'service_unavailable', 'provider_authentication_failed', 'provider_access_denied', 'provider_error', 'provider_unavailable',
    'provider_timeout', 'outcome_unknown', 'provider_queue_full', 'provider_configuration_error', 'provider_protocol_error', 'unknown_error',
    'absent_subscriber', 'handset_busy', 'handset_storage_full', 'handset_error', 'roaming_not_allowed', 'subscriber_billing_error', 'network_error',
    'message_expired', 'message_deleted', 'delivery_failed', 'delivery_unknown', 'carrier_rejected', 'portability_error', 'regulatory_rejected',
    'traffic_fraud_blocked', 'sender_unhealthy', 'conversation_window_closed', 'unknown_subscriber', 'subscriber_not_provisioned',
  ],
  // The loose "992 Unauthorized sender" line of the seed's Sending SMS section.
  '992': ['sender_not_authorized', 'sender_registration_required', 'sender_blocklisted'],
} as const satisfies Readonly<Record<string, readonly CanonicalCode[]>>;

/** Where one canonical error answers differently by the parameter at fault, as SMSPartner numbers each field's refusal. */
export const BY_PARAMETER: Readonly<Record<string, string>> = {
  'missing_parameter:phoneNumbers': '2',
  'missing_parameter:phoneNumber': '2',
  'missing_parameter:messageId': '3',
  'missing_parameter:id': '3',
  'missing_parameter:SMSStatut_List': '5',
  'missing_parameter:message': '43',
  'missing_parameter:sender': '44',
  'missing_parameter:scheduledDeliveryDate': '45',
  'missing_parameter:time': '46',
  'missing_parameter:minute': '47',
  'invalid_parameter:minute': '47',
  'invalid_schedule:minute': '48',
  'message_too_long:gamme': '42',
  'missing_parameter:SMSList': '55',
  // Number verification: numbers run together by another separator than the comma.
  'invalid_parameter:phoneNumbers': '19',
  // Sub-accounts: their credit, and the token naming one.
  'missing_parameter:credit': '3',
  'missing_parameter:tokenSubaccount': '4',
  'invalid_parameter:credit': '5',
  'not_found:tokenSubaccount': '6',
};

/** The HTTP status SMSPartner answers a code with: 200 for a control code, as its clients read `success`. */
export const HTTP_STATUSES: Readonly<Record<string, number>> = { '9': 400, '90': 400, '429': 429, '500': 500 };

/** The native API's names of a send's fields, as SMSPartner names them (a recipient `to[3]` is one of `phoneNumbers`). */
const FIELDS: Readonly<Record<string, string>> = {
  to: 'phoneNumbers',
  from: 'sender',
  text: 'message',
  callback_url: 'urlDlr',
  send_at: 'scheduledDeliveryDate',
  client_ref: 'tag',
  number: 'phoneNumber',
  numbers: 'phoneNumbers',
};

const byCode = new Map<string, string>(Object.entries(CONTROL_CODES).flatMap(([code, canonicals]) => canonicals.map((c) => [c, code] as const)));

/** A refusal as SMSPartner tells it: its control code, and the field at fault in SMSPartner's name. */
export function refusalOf(error: { readonly code: string; readonly param?: string | undefined }): { code: string; field: string | undefined } {
  const param = error.param?.replace(/\[\d+\]$/, '');
  const field = param === undefined ? undefined : (FIELDS[param] ?? param);
  return { code: BY_PARAMETER[`${error.code}:${field}`] ?? byCode.get(error.code) ?? '500', field };
}

/**
 * A message's status as SMSPartner's status API and delivery reports write it ("Status List"):
 * Delivered, Not delivered, Waiting (taken, no final answer yet), or KO (never reached an
 * operator). An outcome nobody knows stays Waiting, as SMSPartner leaves a report that never came.
 */
export const STATUTS: Readonly<Record<MessageStatus, string>> = {
  scheduled: 'Waiting',
  queued: 'Waiting',
  sending: 'Waiting',
  sent: 'Waiting',
  unknown: 'Waiting',
  delivered: 'Delivered',
  read: 'Delivered',
  undelivered: 'Not delivered',
  expired: 'Not delivered',
  failed: 'KO',
  rejected: 'KO',
  canceled: 'KO',
};

/**
 * The events that make a delivery report to `urlDlr`: a message's final ones, one report each. A
 * read is not listed: in place of a delivered it makes the report, after one it is no news.
 */
export const REPORT_EVENTS: readonly string[] = (Object.keys(STATUTS) as MessageStatus[])
  .filter((s) => STATUTS[s] !== 'Waiting' && s !== 'read')
  .map((status) => `message.${status}`);
