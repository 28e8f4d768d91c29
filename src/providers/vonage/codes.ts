import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * Vonage (Nexmo) SMS API codes. Submit statuses from the seed's "SMS API error codes" table
 * (000_71e4b67b878f7566.txt); delivery receipt `status` values and `err-code` values from Vonage's
 * SMS "Delivery receipts" guide, sections "DLR status messages" and "DLR error codes" (Vonage
 * developer docs, _documentation/en/messaging/sms/guides/delivery-receipts.md). err-code 16 is
 * listed by name only in the current developer.vonage.com version of that guide; its description
 * was not in the copy consulted, so the row has none.
 */
export const vonageCodes = [
  {
    provider: 'vonage',
    context: 'sms-api-error-codes',
    title: 'SMS API error codes',
    aliases: ['submit', 'sms'],
    rows: [
      { code: '0', message: 'Success', description: 'The message was successfully accepted for delivery.', canonical: null, state: 'sent' },
      { code: '1', message: 'Throttled', description: 'You are sending SMS faster than the account limit (see [What is the Throughput Limit for Outbound SMS?](https://help.nexmo.com/hc/en-us/articles/203993598)).', canonical: 'rate_limit_exceeded' },
      { code: '2', message: 'Missing Parameters', description: 'Your request is missing one of the required parameters: `from`, `to`, `api_key`, `api_secret` or `text`.', canonical: 'missing_parameter', state: 'rejected' },
      { code: '3', message: 'Invalid Parameters', description: 'The value of one or more parameters is invalid.', canonical: 'invalid_parameter', state: 'rejected' },
      { code: '4', message: 'Invalid Credentials', description: 'Your API key and/or secret are incorrect, invalid or disabled.', canonical: 'provider_authentication_failed', state: 'failed' },
      { code: '5', message: 'Internal Error', description: 'An error has occurred in the platform whilst processing this message.', canonical: 'provider_error' },
      {
        code: '6',
        message: 'Invalid Message',
        description: 'The platform was unable to process this message, for example, an un-recognized number prefix.',
        canonical: 'invalid_message',
        state: 'rejected',
        note: 'The only example given is an unrecognised number prefix, but the status names the message and a prefix unknown to Vonage may be valid elsewhere: mapped to invalid_message (another connection may take it), not invalid_phone_number.',
      },
      { code: '7', message: 'Number Barred', description: 'The number you are trying to send messages to is blacklisted and may not receive them.', canonical: 'destination_blocklisted', state: 'rejected' },
      { code: '8', message: 'Partner Account Barred', description: 'Your Nexmo account has been suspended. Contact <support@nexmo.com>.', canonical: 'account_suspended', state: 'failed' },
      { code: '9', message: 'Partner Quota Violation', description: 'You do not have sufficient credit to send the message. Top-up and retry.', canonical: 'insufficient_credit', state: 'failed' },
      { code: '10', message: 'Too Many Existing Binds', description: 'The number of simultaneous connections to the platform exceeds your account allocation.', canonical: 'too_many_connections' },
      { code: '11', message: 'Account Not Enabled For HTTP', description: 'This account is not provisioned for the SMS API, you should use SMPP instead.', canonical: 'provider_access_denied', state: 'failed' },
      { code: '12', message: 'Message Too Long', description: 'The message length exceeds the maximum allowed.', canonical: 'message_too_long', state: 'rejected' },
      { code: '14', message: 'Invalid Signature', description: 'The signature supplied could not be verified.', canonical: 'provider_authentication_failed', state: 'failed' },
      { code: '15', message: 'Invalid Sender Address', description: 'You are using a non-authorized sender ID in the `from` field. This is most commonly in North America, where a Nexmo long virtual number or short code is required.', canonical: 'sender_not_authorized', state: 'rejected' },
      { code: '22', message: 'Invalid Network Code', description: 'The network code supplied was either not recognized, or does not match the country of the destination address.', canonical: 'invalid_parameter', state: 'rejected' },
      { code: '23', message: 'Invalid Callback Url', description: 'The callback URL supplied was either too long or contained illegal characters.', canonical: 'invalid_callback_url', state: 'rejected' },
      { code: '29', message: 'Non-Whitelisted Destination', description: 'Your Nexmo account is still in demo mode. While in demo mode you must add target numbers to your whitelisted destination list. Top-up your account to remove this limitation.', canonical: 'destination_not_allowed', state: 'failed' },
      { code: '32', message: 'Signature And API Secret Disallowed', description: 'A signed request may not also present an `api_secret`.', canonical: 'provider_authentication_failed', state: 'failed' },
      { code: '33', message: 'Number De-activated', description: 'The number you are trying to send messages to is de-activated and may not receive them.', canonical: 'unknown_subscriber', state: 'rejected' },
    ],
  },
  {
    provider: 'vonage',
    context: 'delivery-receipt-status',
    title: 'DLR status messages',
    aliases: ['dlr', 'dlr-status-messages'],
    rows: [
      { code: 'accepted', message: 'Message has been accepted for delivery, but has not yet been delivered', canonical: null, state: 'sent' },
      { code: 'delivered', message: 'Message has been delivered', canonical: null, state: 'delivered' },
      { code: 'buffered', message: 'Message has been buffered for later delivery', canonical: null, state: 'sent' },
      { code: 'expired', message: "Message was held at downstream carrier's retry scheme and could not be delivered within the expiry time", canonical: 'message_expired', state: 'expired' },
      { code: 'failed', message: 'Message not delivered', canonical: 'delivery_failed', state: 'undelivered' },
      { code: 'rejected', message: 'Downstream carrier refuses to deliver message', canonical: 'carrier_rejected', state: 'rejected' },
      { code: 'unknown', message: 'No useful information available', canonical: 'delivery_unknown', state: 'unknown', note: 'Nothing is known of delivery: the outcome is unknown, neither delivered nor failed, and the message is not sent again.' },
    ],
  },
  {
    provider: 'vonage',
    context: 'delivery-receipt-errors',
    title: 'DLR error codes',
    aliases: ['err-code', 'dlr-error-codes'],
    rows: [
      { code: '0', message: 'Delivered', description: 'Message was delivered successfully', canonical: null, state: 'delivered' },
      { code: '1', message: 'Unknown', description: 'Message was not delivered, and no reason could be determined', canonical: 'delivery_failed', state: 'undelivered' },
      { code: '2', message: 'Absent Subscriber - Temporary', description: 'Message was not delivered because handset was temporarily unavailable - retry', canonical: 'absent_subscriber', state: 'undelivered', permanent: false, permanent_source: 'The code\'s own title, "Absent Subscriber - Temporary"' },
      { code: '3', message: 'Absent Subscriber - Permanent', description: 'The number is no longer active and should be removed from your database', canonical: 'unknown_subscriber', state: 'undelivered', permanent: true, permanent_source: 'The code\'s own title, "Absent Subscriber - Permanent"' },
      { code: '4', message: 'Call Barred by User', description: 'This is a permanent error:the number should be removed from your database and the user must contact their network operator to remove the bar', canonical: 'destination_barred', state: 'undelivered', permanent: true, permanent_source: 'The code\'s own description, "This is a permanent error"' },
      { code: '5', message: 'Portability Error', description: 'There is an issue relating to portability of the number and you should contact the network operator to resolve it', canonical: 'portability_error', state: 'undelivered' },
      { code: '6', message: 'Anti-Spam Rejection', description: "The message has been blocked by a carrier's anti-spam filter", canonical: 'carrier_rejected', state: 'undelivered' },
      { code: '7', message: 'Handset Busy', description: 'The handset was not available at the time the message was sent - retry', canonical: 'handset_busy', state: 'undelivered' },
      { code: '8', message: 'Network Error', description: 'The message failed due to a network error - retry', canonical: 'network_error', state: 'undelivered' },
      { code: '9', message: 'Illegal Number', description: 'The user has specifically requested not to receive messages from a specific service', canonical: 'destination_opted_out', state: 'undelivered' },
      { code: '10', message: 'Illegal Message', description: 'There is an error in a message parameter, e.g. wrong encoding flag', canonical: 'invalid_message', state: 'undelivered' },
      { code: '11', message: 'Unroutable', description: 'Vonage cannot find a suitable route to deliver the message - contact <mailto:support@nexmo.com>', canonical: 'unroutable_destination', state: 'undelivered' },
      { code: '12', message: 'Destination Unreachable', description: "A route to the number cannot be found - confirm the recipient's number", canonical: 'destination_unreachable', state: 'undelivered' },
      { code: '13', message: 'Subscriber Age Restriction', description: 'The target cannot receive your message due to their age', canonical: 'destination_barred', state: 'undelivered' },
      { code: '14', message: 'Number Blocked by Carrier', description: 'The recipient should ask their carrier to enable SMS on their plan', canonical: 'destination_barred', state: 'undelivered' },
      { code: '15', message: 'Prepaid Insufficient Funds', description: 'The recipient is on a prepaid plan and does not have enough credit to receive your message', canonical: 'subscriber_billing_error', state: 'undelivered' },
      { code: '16', message: 'Gateway Quota Exceeded', canonical: 'quota_exceeded', state: 'undelivered' },
      { code: '50', message: 'Entity Filter', description: 'The message failed due to `entity-id` being incorrect or not provided. [More information on country specific regulations](https://help.nexmo.com/hc/en-us/articles/115011781468)', canonical: 'sender_registration_required', state: 'undelivered' },
      { code: '51', message: 'Header Filter', description: 'The message failed because the header ID (`from` phone number) was incorrect or missing. [More information on country specific regulations](https://help.nexmo.com/hc/en-us/articles/115011781468)', canonical: 'sender_not_authorized', state: 'undelivered' },
      { code: '52', message: 'Content Filter', description: 'The message failed due to `content-id` being incorrect or not provided. [More information on country specific regulations](https://help.nexmo.com/hc/en-us/articles/115011781468)', canonical: 'regulatory_rejected', state: 'undelivered' },
      { code: '53', message: 'Consent Filter', description: 'The message failed due to consent not being authorized. [More information on country specific regulations](https://help.nexmo.com/hc/en-us/articles/115011781468)', canonical: 'regulatory_rejected', state: 'undelivered' },
      { code: '54', message: 'Regulation Error', description: 'Unexpected regulation error - contact <mailto:support@nexmo.com>', canonical: 'regulatory_rejected', state: 'undelivered' },
      { code: '99', message: 'General Error', description: 'Typically refers to an error in the route - contact <mailto:support@nexmo.com>', canonical: 'delivery_failed', state: 'undelivered' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
