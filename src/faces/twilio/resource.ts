import { formatAmount } from '../../core/accounts/money.js';
import type { Message } from '../../core/message.js';
import { TWILIO_STATUSES, twilioCode } from './codes.js';
import { messageSid } from './sid.js';

export const API_VERSION = '2010-04-01';

/** A date as Twilio writes it (RFC 2822): `Thu, 24 Aug 2023 05:01:45 +0000`. */
export function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

export function messagesUri(accountSid: string): string {
  return `/${API_VERSION}/Accounts/${accountSid}/Messages`;
}

/**
 * A message as Twilio's Message resource, its fields in the order of Twilio's reference: counts
 * as strings, the price negative (what was charged) or null when the account is not charged,
 * `error_code` an integer. Switchboard keeps no send time apart from the message's last change:
 * `date_sent` is null.
 */
export function messageResource(m: Message, accountSid: string) {
  const sid = messageSid(m.id);
  return {
    body: m.text,
    num_segments: String(m.segments),
    direction: 'outbound-api',
    from: m.from,
    date_updated: rfc2822(m.updatedAt),
    price: m.price === undefined ? null : `-${formatAmount(m.price)}`,
    error_message: m.error?.message ?? null,
    uri: `${messagesUri(accountSid)}/${sid}.json`,
    account_sid: accountSid,
    num_media: '0',
    to: m.to,
    date_created: rfc2822(m.createdAt),
    status: TWILIO_STATUSES[m.status],
    sid,
    date_sent: null,
    messaging_service_sid: null,
    error_code: m.error ? Number(twilioCode(m.error.code)) : null,
    price_unit: null,
    api_version: API_VERSION,
    subresource_uris: { media: `${messagesUri(accountSid)}/${sid}/Media.json` },
  };
}
