import type { ProviderCodeRow, ProviderCodeTable } from '../../core/catalogue/types.js';

import { smspartnerCodes } from '../smspartner/codes.js';

/**
 * Infobip's general error codes (`error.id`, with `error.name`) are the very table SMSPartner
 * publishes for its HLR lookups (seed 001: OK, HANDSET_ERRORS, USER_ERRORS, OPERATOR_ERRORS, the
 * same ids and EC_ names): it is read from there rather than copied.
 */
const generalErrors: readonly ProviderCodeRow[] = (smspartnerCodes as readonly ProviderCodeTable[]).filter((t) => /-errorgrpid-[0-3]$/.test(t.context)).flatMap((t) => t.rows);

/**
 * Infobip's status and error objects in send answers and delivery reports: each `id` and `name`
 * (general status and error codes of Infobip's "Response status and error codes"), and the
 * `groupName` they belong to, for an id not listed here. Then the errors of a refused request:
 * the v2 API's `requestError.serviceException.messageId` and the v3 API's `errorCode`, the pairs
 * Infobip's official SDKs translate one into the other (infobip-api-java-client,
 * ApiExceptionDetailsResolver).
 */
export const infobipCodes = [
  {
    provider: 'infobip',
    context: 'status-ids',
    title: 'General status codes (status.id)',
    aliases: ['status-id'],
    rows: [
      { code: '3', name: 'PENDING_WAITING_DELIVERY', message: 'Sent, waiting for a delivery report', canonical: null, state: 'sent' },
      { code: '7', name: 'PENDING_ENROUTE', message: 'Sent to the next instance', canonical: null, state: 'sent' },
      { code: '26', name: 'PENDING_ACCEPTED', message: 'Accepted, ready to go to the operator', canonical: null, state: 'sent' },
      { code: '4', name: 'UNDELIVERABLE_REJECTED_OPERATOR', message: 'The operator rejected the message', canonical: 'carrier_rejected', state: 'undelivered' },
      { code: '9', name: 'UNDELIVERABLE_NOT_DELIVERED', message: 'Sent to the operator, not delivered', canonical: 'delivery_failed', state: 'undelivered' },
      { code: '2', name: 'DELIVERED_TO_OPERATOR', message: 'Delivered to the operator', canonical: null, state: 'sent', note: 'Filed under DELIVERED by Infobip, but the operator is the next hop, not the handset: sent.' },
      { code: '5', name: 'DELIVERED_TO_HANDSET', message: 'Delivered to the handset', canonical: null, state: 'delivered' },
      { code: '15', name: 'EXPIRED_EXPIRED', message: 'Not delivered within its validity period', canonical: 'message_expired', state: 'expired' },
      { code: '29', name: 'EXPIRED_DLR_UNKNOWN', message: "The operator's delivery report was not recognised", canonical: 'delivery_unknown', state: 'unknown' },
      { code: '6', name: 'REJECTED_NETWORK', message: 'The network is out of coverage', canonical: 'unroutable_destination', state: 'rejected' },
      { code: '8', name: 'REJECTED_PREFIX_MISSING', message: 'The number has no valid prefix or length', canonical: 'invalid_phone_number', state: 'rejected' },
      { code: '10', name: 'REJECTED_DND', message: 'The recipient is on a Do Not Disturb list', canonical: 'destination_do_not_disturb', state: 'rejected' },
      { code: '11', name: 'REJECTED_SOURCE', message: 'The sender id is not registered on the account', canonical: 'sender_not_authorized', state: 'rejected' },
      { code: '12', name: 'REJECTED_NOT_ENOUGH_CREDITS', message: 'Not enough credit', canonical: 'insufficient_credit', state: 'failed' },
      { code: '13', name: 'REJECTED_SENDER', message: 'The sender is blocklisted', canonical: 'sender_blocklisted', state: 'rejected' },
      { code: '14', name: 'REJECTED_DESTINATION_BLOCK', message: 'The destination is blocklisted', canonical: 'destination_blocklisted', state: 'rejected' },
      { code: '17', name: 'REJECTED_PREPAID_PACKAGE_EXPIRED', message: "The account's prepaid package expired", canonical: 'insufficient_credit', state: 'failed' },
      { code: '18', name: 'REJECTED_DESTINATION_NOT_REGISTERED', message: 'The destination is not registered for this (test) account', canonical: 'destination_not_allowed', state: 'failed' },
      { code: '19', name: 'REJECTED_ROUTE_NOT_AVAILABLE', message: 'No route is available for the destination', canonical: 'unroutable_destination', state: 'rejected' },
      { code: '20', name: 'REJECTED_FLOODING_FILTER', message: 'Refused by the flooding filter', canonical: 'flood_protection', state: 'rejected' },
      { code: '21', name: 'REJECTED_SYSTEM_ERROR', message: 'A system error; resubmit', canonical: 'provider_error', state: 'rejected' },
      { code: '23', name: 'REJECTED_DUPLICATE_MESSAGE_ID', message: 'A message with this id was already sent', canonical: 'duplicate_message', state: 'rejected' },
      { code: '24', name: 'REJECTED_INVALID_UDH', message: 'The user data header is invalid', canonical: 'invalid_message', state: 'rejected' },
      { code: '25', name: 'REJECTED_MESSAGE_TOO_LONG', message: 'The message is too long', canonical: 'message_too_long', state: 'rejected' },
      { code: '51', name: 'MISSING_TO', message: 'The destination is missing', canonical: 'missing_parameter', state: 'rejected' },
      { code: '52', name: 'REJECTED_DESTINATION', message: 'The destination is not a valid number for any operator', canonical: 'invalid_phone_number', state: 'rejected' },
    ],
  },
  {
    provider: 'infobip',
    context: 'error-ids',
    title: 'General error codes (error.id)',
    permanent_source: 'The Permanent column of Infobip\'s general error codes, as SMSPartner publishes the same table for its HLR error groups (seed 001); a report\'s own error.permanent is not read',
    aliases: ['error-id'],
    rows: generalErrors,
  },
  {
    provider: 'infobip',
    context: 'status-groups',
    title: 'Status groups (status.groupId / groupName)',
    aliases: ['status'],
    rows: [
      { code: 'ACCEPTED', name: '0', message: 'Accepted by Infobip (the v3 API)', canonical: null, state: 'sent' },
      { code: 'PENDING', name: '1', message: 'Sent or accepted, waiting for a delivery report', canonical: null, state: 'sent' },
      { code: 'UNDELIVERABLE', name: '2', message: 'The message could not be delivered', canonical: 'delivery_failed', state: 'undelivered' },
      { code: 'DELIVERED', name: '3', message: 'Delivered', canonical: null, state: 'delivered' },
      { code: 'EXPIRED', name: '4', message: 'Not delivered within its validity period', canonical: 'message_expired', state: 'expired' },
      { code: 'REJECTED', name: '5', message: 'Rejected by Infobip or the operator', canonical: 'carrier_rejected', state: 'rejected' },
    ],
  },
  {
    provider: 'infobip',
    context: 'error-groups',
    title: 'Error groups (error.groupId / groupName)',
    aliases: ['error'],
    rows: [
      { code: 'OK', name: '0', message: 'No error', canonical: null },
      { code: 'HANDSET_ERRORS', name: '1', message: 'The handset or subscriber could not take the message', canonical: 'handset_error' },
      { code: 'USER_ERRORS', name: '2', message: 'Refused for the sender or the account (blocklists, flood filters, validity)', canonical: 'carrier_rejected' },
      { code: 'OPERATOR_ERRORS', name: '3', message: 'The operator network failed or refused the message', canonical: 'network_error' },
    ],
  },
  {
    provider: 'infobip',
    context: 'api-errors',
    title: 'Request errors (serviceException.messageId, errorCode)',
    aliases: ['request-error', 'service-exception'],
    rows: [
      { code: 'E400', name: 'BAD_REQUEST', message: 'Bad request: the request cannot be processed as sent', canonical: 'invalid_parameter' },
      { code: 'E401', name: 'UNAUTHORIZED', message: 'Unauthorized: the API key is missing, wrong or revoked', canonical: 'provider_authentication_failed' },
      { code: 'E403', name: 'FORBIDDEN', message: 'Forbidden: the key may not use this API or resource', canonical: 'provider_access_denied' },
      { code: 'E404', name: 'NOT_FOUND', message: 'Not found: the endpoint or the resource does not exist', canonical: 'provider_configuration_error' },
      { code: 'E429', name: 'TOO_MANY_REQUESTS', message: 'Too many requests', canonical: 'rate_limit_exceeded' },
      { code: 'E500', name: 'GENERAL_ERROR', message: 'A general error on Infobip’s side', canonical: 'provider_error' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
