import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/** What the sandbox answers. Its outcomes go through the catalogue like any provider's codes. */
export const sandboxCodes = [
  {
    provider: 'sandbox',
    context: 'submit',
    title: 'Sandbox submit answers',
    rows: [
      { code: 'ACCEPTED', message: 'Accepted for delivery', canonical: null, state: 'sent' },
      { code: 'THROTTLED', message: 'Throttled: too many messages per second, try again later', canonical: 'rate_limit_exceeded' },
      { code: 'BARRED', message: 'Destination barred from receiving messages', canonical: 'destination_barred', state: 'rejected' },
      { code: 'SENDER_REFUSED', message: 'Sender not authorized for this destination', canonical: 'sender_not_authorized', state: 'rejected' },
      { code: 'PLATFORM_ERROR', message: 'Internal platform error', canonical: 'provider_error' },
    ],
  },
  {
    provider: 'sandbox',
    context: 'receipt',
    title: 'Sandbox delivery receipts',
    rows: [
      { code: 'DELIVERED', message: 'Delivered to the handset', canonical: null, state: 'delivered' },
      { code: 'ENROUTE', message: 'On its way to the handset', canonical: null, state: 'sent' },
      { code: 'UNKNOWN_SUBSCRIBER', message: 'Unknown subscriber', canonical: 'unknown_subscriber', state: 'undelivered' },
      { code: 'ABSENT_SUBSCRIBER', message: 'Absent subscriber: the phone is off or out of coverage', canonical: 'absent_subscriber', state: 'undelivered' },
      { code: 'SPAM_REJECTED', message: 'Rejected by the carrier as spam', canonical: 'carrier_rejected', state: 'undelivered' },
      { code: 'MEMORY_FULL', message: 'Handset memory full', canonical: 'handset_storage_full', state: 'undelivered' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
