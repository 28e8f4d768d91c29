import type { ProviderCodeTable } from '../../core/catalogue/types.js';

/**
 * Telnyx messaging error codes, from Telnyx's public "Messaging Error Code Reference"
 * (developers.telnyx.com, docs/messaging/messages/error-codes), one table per section of it:
 * message = Error, description = Cause, resolution = Action (link markup reduced to its text).
 * `permanent` is set only where the page's "Retriable vs permanent errors" table lists the code as
 * Permanent (true) or as Auto-retriable / Temporary hold (false). Delivery statuses are the
 * `to[].status` values of message webhooks: descriptions from the "Delivery statuses" table of
 * "Receiving Webhooks for Messaging", the value list (with `expired`) from Telnyx's API reference.
 */
export const telnyxCodes = [
  {
    provider: 'telnyx',
    context: 'carrier-rejections',
    title: 'Carrier rejections',
    group: 'Delivery errors (40xxx)',
    aliases: ['carrier', 'delivery-errors'],
    rows: [
      { code: '40001', message: 'Not routable', description: 'Destination is a landline or non-routable number', resolution: 'Verify the recipient can receive SMS/MMS', permanent: true, canonical: 'unroutable_destination', state: 'undelivered' },
      { code: '40002', message: 'Blocked as spam (temporary)', description: 'Carrier spam filter triggered', resolution: 'Reduce sending rate; review message content for spam patterns', canonical: 'carrier_rejected', state: 'undelivered' },
      { code: '40003', message: 'Blocked as spam (permanent)', description: 'Sending number permanently blocked by carrier', resolution: 'Use a different sending number; contact support for appeal', permanent: true, canonical: 'sender_blocklisted', state: 'undelivered' },
      { code: '40004', message: 'Rejected by destination', description: 'Recipient carrier rejecting for unknown reason', resolution: 'Retry after delay; contact support if persistent', canonical: 'carrier_rejected', state: 'undelivered' },
      { code: '40005', message: 'Message expired', description: 'Message TTL expired before delivery', resolution: 'Increase validity period or check carrier delays', canonical: 'message_expired', state: 'expired' },
      { code: '40006', message: 'Recipient unavailable', description: "Recipient's carrier server is down", resolution: 'Retry with exponential backoff', permanent: false, canonical: 'destination_unreachable', state: 'undelivered' },
      { code: '40008', message: 'Undeliverable', description: 'Carrier did not accept the message', resolution: 'Check number validity; try alternate route', permanent: false, canonical: 'delivery_failed', state: 'undelivered' },
      { code: '40009', message: 'Invalid message body', description: 'Message content rejected', resolution: 'Check for invalid characters or encoding issues; see Message Encoding', canonical: 'invalid_message', state: 'undelivered' },
      { code: '40011', message: 'Rate limit exceeded (upstream)', description: 'Exceeded carrier throughput limit', resolution: 'Reduce sending rate; see Rate Limiting', canonical: 'rate_limit_exceeded', state: 'undelivered' },
      { code: '40012', message: 'Invalid destination number', description: 'Carrier rejected the destination number', resolution: 'Verify E.164 format and number validity', canonical: 'invalid_phone_number', state: 'undelivered' },
      { code: '40013', message: 'Invalid source number', description: 'Carrier rejected the sending number', resolution: 'Check that your number is active and messaging-enabled', canonical: 'sender_not_authorized', state: 'undelivered' },
      { code: '40014', message: 'Expired in queue', description: 'Message sat in queue past validity period', resolution: 'Check for throughput bottlenecks; increase sending capacity', canonical: 'message_expired', state: 'expired' },
      { code: '40015', message: 'Internal spam filter', description: 'Telnyx internal spam filter triggered', resolution: 'Review message content; contact support if false positive', canonical: 'content_rejected', state: 'rejected' },
    ],
  },
  {
    provider: 'telnyx',
    context: '10dlc-specific-errors',
    title: '10DLC-specific errors',
    group: 'Delivery errors (40xxx)',
    aliases: ['10dlc'],
    rows: [
      { code: '40010', message: 'Not 10DLC registered', description: 'Sending number lacks 10DLC campaign registration', resolution: 'Register for 10DLC', permanent: true, canonical: 'sender_registration_required', state: 'undelivered' },
      { code: '40016', message: 'T-Mobile sending limit', description: 'Exceeded T-Mobile throughput for this campaign', resolution: 'Reduce rate or improve brand vetting score for higher limits', canonical: 'rate_limit_exceeded', state: 'undelivered' },
      { code: '40017', message: 'AT&T spam rejection', description: 'AT&T flagged message as spam', resolution: 'Review content; avoid URL shorteners and spam-like patterns', canonical: 'carrier_rejected', state: 'undelivered' },
      { code: '40018', message: 'AT&T sending limit', description: 'Exceeded AT&T throughput for this campaign', resolution: 'Reduce rate or improve brand vetting score', canonical: 'rate_limit_exceeded', state: 'undelivered' },
      { code: '40019', message: 'AT&T invalid tag data', description: 'Incorrect 10DLC tagging information', resolution: 'Verify campaign and number assignment; troubleshoot 10DLC', canonical: 'sender_registration_required', state: 'undelivered' },
      { code: '40020', message: 'Artificial traffic inflation', description: '2FA traffic blocked for 24 hours', resolution: 'Wait 24 hours; review for fraud patterns on your numbers', permanent: false, canonical: 'flood_protection', state: 'undelivered' },
    ],
  },
  {
    provider: 'telnyx',
    context: 'toll-free-errors',
    title: 'Toll-free errors',
    group: 'Delivery errors (40xxx)',
    aliases: ['toll-free'],
    rows: [
      { code: '40329', message: 'Toll-free not verified', description: "Number hasn't passed toll-free verification", resolution: 'Complete toll-free verification', canonical: 'sender_registration_required', state: 'undelivered' },
      { code: '40330', message: 'Toll-free not provisioned', description: 'Number not fully provisioned for messaging', resolution: 'Wait for provisioning to complete; contact support', canonical: 'provider_configuration_error', state: 'undelivered' },
    ],
  },
  {
    provider: 'telnyx',
    context: 'sender-recipient-errors',
    title: 'Sender/recipient errors',
    group: 'API request errors (403xx)',
    aliases: ['sender', 'api-request-errors'],
    rows: [
      { code: '40300', message: 'Blocked (STOP)', description: 'Recipient sent STOP — opt-out in effect', resolution: 'Do not retry; wait for recipient to opt back in', permanent: true, canonical: 'destination_opted_out' },
      { code: '40301', message: 'Unsupported message type', description: 'Cannot send between these number types', resolution: 'Check source and destination number capabilities', canonical: 'unsupported_operation' },
      { code: '40305', message: "Invalid 'from' address", description: 'Sending number not associated with messaging profile', resolution: 'Assign the number to your messaging profile', canonical: 'sender_not_authorized' },
      { code: '40306', message: 'Alpha sender not configured', description: 'Alphanumeric sender ID not set on profile', resolution: 'Configure alpha sender on your messaging profile', canonical: 'sender_not_authorized' },
      { code: '40307', message: 'Alpha sender mismatch', description: "From address doesn't match configured alpha sender", resolution: 'Use the exact alpha sender configured on the profile', canonical: 'sender_not_authorized' },
      { code: '40308', message: "Invalid 'from' for MMS", description: 'MMS requires US long code or short code', resolution: 'Use an MMS-capable number', canonical: 'sender_not_authorized' },
      { code: '40309', message: 'Invalid destination region', description: 'Destination country not in profile whitelist', resolution: 'Add the destination region to your messaging profile', canonical: 'destination_not_allowed' },
      { code: '40310', message: "Invalid 'to' address", description: 'Destination number is invalid', resolution: 'Verify E.164 format: `+[country code][number]`', canonical: 'invalid_phone_number' },
      { code: '40319', message: 'Incompatible message type', description: 'Source and destination types incompatible', resolution: 'Check number type compatibility', canonical: 'unsupported_operation' },
      { code: '40320', message: 'Temporarily unusable sender', description: 'Sending number in pending/transitional state', resolution: 'Wait for number provisioning to complete', permanent: false, canonical: 'provider_configuration_error' },
      { code: '40321', message: 'No usable numbers in pool', description: 'Number pool empty or all numbers unhealthy', resolution: 'Add numbers to pool or check number health', canonical: 'provider_configuration_error' },
      { code: '40325', message: 'Invalid alpha sender ID', description: 'Alphanumeric sender ID format is invalid', resolution: 'Use 1–11 alphanumeric characters', canonical: 'invalid_sender' },
    ],
  },
  {
    provider: 'telnyx',
    context: 'content-errors',
    title: 'Content errors',
    group: 'API request errors (403xx)',
    aliases: ['content'],
    rows: [
      { code: '40302', message: 'Message too large', description: 'SMS exceeds maximum segment count', resolution: 'Shorten message or send as MMS', canonical: 'message_too_long' },
      { code: '40304', message: 'Invalid content combination', description: 'Mixed SMS/MMS content parameters', resolution: 'Use `text` for SMS; `media_urls` (with optional `text`) for MMS', canonical: 'invalid_parameter' },
      { code: '40316', message: 'No content', description: 'Message has no text or media', resolution: 'Include `text` and/or `media_urls`', canonical: 'missing_parameter' },
      { code: '40317', message: 'Invalid MMS content', description: 'Too many media items or total size > 1 MB', resolution: 'Reduce to ≤10 URLs and ≤1 MB total', canonical: 'invalid_media' },
      { code: '40322', message: 'Blocked content', description: 'Message contains prohibited content', resolution: 'Remove flagged content', permanent: true, canonical: 'content_rejected' },
      { code: '40328', message: 'SMS too large (warning)', description: 'Message splits into too many parts', resolution: 'Consider sending as MMS instead', canonical: 'message_too_long' },
    ],
  },
  {
    provider: 'telnyx',
    context: 'profile-configuration-errors',
    title: 'Profile/configuration errors',
    group: 'API request errors (403xx)',
    aliases: ['profile', 'configuration'],
    rows: [
      { code: '40311', message: 'Invalid profile secret', description: '`X-Profile-Secret` header is wrong', resolution: 'Check your messaging profile secret', canonical: 'provider_authentication_failed' },
      { code: '40312', message: 'Profile disabled', description: 'Messaging profile is disabled', resolution: 'Re-enable in Mission Control', canonical: 'provider_configuration_error' },
      { code: '40313', message: 'Missing profile secret', description: '`X-Profile-Secret` header required but not sent', resolution: 'Include the header in your request', canonical: 'provider_authentication_failed' },
      { code: '40314', message: 'Messaging disabled', description: 'Messaging disabled on your account', resolution: 'Contact Telnyx support', permanent: true, canonical: 'account_suspended' },
      { code: '40315', message: 'Unhealthy sender', description: 'Sending number has poor health metrics', resolution: 'Check number success/spam rates; consider replacing', canonical: 'sender_blocklisted' },
      { code: '40318', message: 'Queue full', description: 'Internal message queue at capacity', resolution: 'Back off and retry after a delay', canonical: 'provider_queue_full' },
      { code: '40323', message: 'Activation failed', description: 'Could not enable messaging on number', resolution: 'Contact support', canonical: 'provider_configuration_error' },
      { code: '40331', message: 'Missing whitelist', description: 'No whitelisted destinations on profile', resolution: 'Add destination regions to your messaging profile', canonical: 'destination_not_allowed' },
      { code: '40333', message: 'Spend limit reached', description: 'Messaging profile cost limit hit', resolution: 'Increase spend limit or wait for reset', canonical: 'quota_exceeded' },
    ],
  },
  {
    provider: 'telnyx',
    context: 'number-provisioning-errors-401xx',
    title: 'Number provisioning errors (401xx)',
    aliases: ['provisioning', 'number-provisioning'],
    rows: [
      { code: '40100', message: 'Not messaging enabled', description: 'Number not configured for messaging', resolution: 'Enable messaging in Mission Control', canonical: 'provider_configuration_error' },
      { code: '40150', message: 'Not in voice registry', description: 'Toll-free number missing from registry', resolution: 'Contact support', canonical: 'provider_configuration_error' },
      { code: '40151', message: 'Enablement pending elsewhere', description: 'Another provider is enabling messaging', resolution: 'Wait for transfer to complete', canonical: 'provider_configuration_error' },
      { code: '40155', message: 'LOA required', description: 'Letter of Authorization needed', resolution: 'Submit LOA through support', canonical: 'provider_configuration_error' },
    ],
  },
  {
    provider: 'telnyx',
    context: 'delivery-status',
    title: 'Delivery statuses',
    aliases: ['dlr', 'status', 'delivery-statuses'],
    rows: [
      { code: 'queued', message: "Message is queued on Telnyx's side", canonical: null, state: 'sent', note: 'Queued at Telnyx: for Switchboard the message has been handed over, so it is sent.' },
      { code: 'sending', message: 'Message is being sent to an upstream carrier', canonical: null, state: 'sent', note: 'Sending at Telnyx: for Switchboard the message has been handed over, so it is sent.' },
      { code: 'sent', message: 'Message has been sent to the upstream carrier', canonical: null, state: 'sent' },
      {
        code: 'expired',
        message: 'expired',
        canonical: 'message_expired',
        state: 'expired',
        note: 'A value of `to[].status` in the API reference that the webhook guide\'s "Delivery statuses" table does not describe: the status itself is used as the message.',
      },
      { code: 'sending_failed', message: 'Telnyx failed to send the message to the carrier', canonical: 'provider_error', state: 'failed' },
      { code: 'delivery_unconfirmed', message: 'No delivery confirmation was received from the carrier', canonical: 'delivery_unknown', state: 'undelivered', note: 'Final at Telnyx (message.finalized): no confirmation will follow, so the message is not left waiting for one.' },
      { code: 'delivered', message: 'Carrier has confirmed delivery to the recipient', canonical: null, state: 'delivered' },
      { code: 'delivery_failed', message: 'The carrier failed to deliver the message to the recipient', canonical: 'delivery_failed', state: 'undelivered' },
    ],
  },
] as const satisfies readonly ProviderCodeTable[];
