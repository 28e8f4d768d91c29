import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * Twilio Messaging: the MessageStatus values of status callbacks, and the error codes of the
 * Messages resource and of delivery (Twilio's public error and warning dictionary).
 */
export const twilioCodes = [
  {
    provider: 'twilio',
    context: 'message-status',
    title: 'Message status values (MessageStatus)',
    aliases: ['status', 'MessageStatus'],
    rows: [
      { code: 'accepted', message: 'A Messaging Service accepted the message and is choosing a sender', canonical: null, state: 'sent' },
      { code: 'scheduled', message: 'Scheduled by a Messaging Service', canonical: null, state: 'sent' },
      { code: 'queued', message: 'Queued at Twilio, waiting to be sent', canonical: null, state: 'sent' },
      { code: 'sending', message: 'Being sent to the carrier', canonical: null, state: 'sent' },
      { code: 'sent', message: 'Accepted by the carrier', canonical: null, state: 'sent' },
      { code: 'delivered', message: 'The carrier confirmed delivery to the handset', canonical: null, state: 'delivered' },
      { code: 'read', message: 'Read by the recipient (channels with read receipts)', canonical: null, state: 'delivered' },
      { code: 'undelivered', message: 'The carrier could not deliver the message', canonical: 'delivery_failed', state: 'undelivered' },
      { code: 'failed', message: 'The message could not be sent', canonical: 'provider_error', state: 'failed' },
      { code: 'partially_delivered', message: 'Some parts of the message were delivered, others not', canonical: 'delivery_failed', state: 'undelivered' },
      { code: 'canceled', message: 'Canceled at Twilio before it was sent', canonical: 'message_deleted', state: 'undelivered' },
    ],
  },
  {
    provider: 'twilio',
    context: 'error-codes',
    title: 'Error codes (Messages resource and delivery)',
    aliases: ['errors', 'ErrorCode'],
    rows: [
      { code: '20003', message: 'Authentication Error: the Account SID and auth token do not match', canonical: 'provider_authentication_failed' },
      { code: '20404', message: 'The requested resource was not found', canonical: 'provider_configuration_error' },
      { code: '20429', message: 'Too Many Requests', canonical: 'rate_limit_exceeded' },
      { code: '21211', message: "Invalid 'To' Phone Number", canonical: 'invalid_phone_number' },
      { code: '21212', message: "Invalid 'From' Phone Number", canonical: 'invalid_sender' },
      { code: '21408', message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number", canonical: 'destination_not_supported' },
      { code: '21602', message: 'Message body is required', canonical: 'missing_parameter' },
      { code: '21606', message: "The 'From' phone number is not a valid, message-capable Twilio phone number for this destination", canonical: 'sender_not_authorized' },
      { code: '21608', message: "The 'To' phone number is not verified for this trial account", canonical: 'destination_not_allowed' },
      { code: '21610', message: 'Attempt to send to unsubscribed recipient', canonical: 'destination_opted_out' },
      { code: '21611', message: "This 'From' number has exceeded the maximum number of queued messages", canonical: 'provider_queue_full' },
      { code: '21612', message: "The 'To' phone number is not currently reachable via SMS", canonical: 'unroutable_destination' },
      { code: '21614', message: "'To' number is not a valid mobile number", canonical: 'not_mobile_number' },
      { code: '21617', message: 'The concatenated message body exceeds the 1600 character limit', canonical: 'message_too_long' },
      { code: '30001', message: 'Queue overflow', canonical: 'provider_queue_full' },
      { code: '30002', message: 'Account suspended', canonical: 'account_suspended' },
      { code: '30003', message: 'Unreachable destination handset', canonical: 'absent_subscriber' },
      { code: '30004', message: 'Message blocked', canonical: 'destination_barred' },
      { code: '30005', message: 'Unknown destination handset', canonical: 'unknown_subscriber' },
      { code: '30006', message: 'Landline or unreachable carrier', canonical: 'unroutable_destination' },
      { code: '30007', message: 'Message filtered by the carrier', canonical: 'carrier_rejected' },
      { code: '30008', message: 'Unknown error', canonical: 'unknown_error' },
      { code: '30009', message: 'Missing segment', canonical: 'delivery_failed' },
      { code: '30010', message: 'Message price exceeds max price', canonical: 'invalid_parameter' },
      { code: '30022', message: 'US A2P 10DLC: rate limits exceeded', canonical: 'rate_limit_exceeded' },
      { code: '30032', message: 'Toll-free number has not been verified', canonical: 'sender_registration_required' },
      { code: '30034', message: 'Message from an unregistered number (US A2P 10DLC)', canonical: 'sender_registration_required' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
