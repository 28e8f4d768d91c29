import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * A provider's SMS log: its four delivery statuses and the failure reasons given with a Failed
 * status, transcribed from the page "Understanding SMS delivery statuses" (seed
 * 002_9dd902ddb9666425.txt). The page has no headings: `status` and `failure-reason` name its two
 * lists. Reasons whose Meaning is "N/A" keep the error message as their message.
 */
export const smsLogCodes = [
  {
    provider: 'sms-log',
    context: 'status',
    title: 'Understanding SMS delivery statuses',
    aliases: ['statuses'],
    rows: [
      { code: 'Delivered', message: 'The SMS was sent and arrival was confirmed via delivery receipt.', canonical: null, state: 'delivered' },
      { code: 'Sent', message: 'SMS was sent but a delivery receipt has not been received yet.', canonical: null, state: 'sent' },
      { code: 'Rejected', message: 'The phone number was found to be invalid prior to sending.', canonical: 'invalid_phone_number', state: 'rejected' },
      { code: 'Failed', message: 'The SMS failed to be delivered.', canonical: 'delivery_failed', state: 'undelivered' },
    ],
  },
  {
    provider: 'sms-log',
    context: 'failure-reason',
    title: 'Most common reasons for SMS delivery failures',
    aliases: ['reason', 'reasons'],
    rows: [
      { code: 'Illegal Number', message: 'Invalid number', resolution: "Confirm the receiver's number", canonical: 'invalid_phone_number', state: 'undelivered' },
      {
        code: 'Absent Subscriber',
        message: 'Number has been disconnected / number not in use',
        resolution: "Contact the receiver's carrier / confirm receiver's number",
        canonical: 'unknown_subscriber',
        state: 'undelivered',
        note: 'Elsewhere "absent subscriber" means a phone that is off or out of coverage (retry later); this page says the number is disconnected or not in use, so it is mapped to unknown_subscriber.',
      },
      { code: 'Call barred by user', message: 'Subscriber requested not to receive SMS', resolution: 'The receiver should contact their carrier and ask for SMS to be enabled', canonical: 'destination_barred', state: 'undelivered' },
      { code: 'Portability Error', message: 'The number was recently ported from one carrier to another and the database has not been updated yet', resolution: 'Contact us for more information', canonical: 'portability_error', state: 'undelivered' },
      { code: 'Anti-Spam Rejection', message: 'Carrier rejected the message because of the message content / sender ID', resolution: 'Contact us for more information', canonical: 'carrier_rejected', state: 'undelivered' },
      { code: 'Handset Busy', message: 'Handset is busy and not able to receive SMS', resolution: 'Try again later', canonical: 'handset_busy', state: 'undelivered' },
      { code: 'Network Error', message: 'Network is busy or there are Network problems', resolution: 'Try again later', canonical: 'network_error', state: 'undelivered' },
      { code: 'Invalid Message', message: 'Message not supported / rejected by the carrier', resolution: 'Contact us for more information', canonical: 'carrier_rejected', state: 'undelivered' },
      { code: 'Unroutable', message: 'The carrier is not able to route the SMS to the number', resolution: 'Contact us for more information', canonical: 'unroutable_destination', state: 'undelivered' },
      { code: 'Destination Unreachable', message: 'Destination Unreachable', resolution: "Confirm receiver's number / Try again later", canonical: 'destination_unreachable', state: 'undelivered', note: 'The Meaning column is "N/A": the error message is used as the message.' },
      { code: 'Subscriber Age Restriction', message: 'Subscriber Age Restriction', canonical: 'destination_barred', state: 'undelivered', note: 'The Meaning and Resolution columns are both "N/A": the error message is used as the message.' },
      { code: 'Number Blocked by Carrier', message: 'Number Blocked by Carrier', resolution: 'The receiver should contact their carrier and ask for SMS to be enabled', canonical: 'destination_barred', state: 'undelivered', note: 'The Meaning column is "N/A": the error message is used as the message.' },
      { code: 'Prepaid - Insufficient funds', message: 'Receiver does not have sufficient funds / cannot receive SMS notifications on their plan', resolution: 'Try again later', canonical: 'subscriber_billing_error', state: 'undelivered' },
      { code: 'General Error', message: 'General Error', resolution: 'Contact us for more information', canonical: 'delivery_failed', state: 'undelivered', note: 'The Meaning column is "N/A": the error message is used as the message.' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
