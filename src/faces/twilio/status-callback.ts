import type { FaceCredential } from '../../app/store.js';
import type { Message } from '../../core/message.js';
import { twilioSignature } from '../../providers/twilio/signature.js';
import type { GuardedSend } from '../../webhooks/post.js';
import { TWILIO_STATUSES, twilioCode } from './codes.js';
import { API_VERSION } from './resource.js';
import { messageSid } from './sid.js';

/** A message's status as Twilio posts it to `StatusCallback`: a form, `ErrorCode` only for a failed message. */
export function statusCallbackFields(m: Message, accountSid: string): Record<string, string> {
  const sid = messageSid(m.id);
  const status = TWILIO_STATUSES[m.status];
  return {
    SmsSid: sid,
    SmsStatus: status,
    MessageStatus: status,
    To: m.to,
    MessageSid: sid,
    AccountSid: accountSid,
    From: m.from,
    ApiVersion: API_VERSION,
    ...(m.error && { ErrorCode: twilioCode(m.error.code) }),
  };
}

/** Posts the callback signed as Twilio signs it: `X-Twilio-Signature` over the URL and the sorted fields, keyed with the Auth Token. */
export function postStatusCallback(send: GuardedSend, url: string, credential: FaceCredential, fields: Record<string, string>): ReturnType<GuardedSend> {
  const body = new URLSearchParams(fields).toString();
  const signature = twilioSignature(credential.secret, url, new Map(Object.entries(fields).map(([name, value]) => [name, [value]])));
  return send({
    url,
    method: 'POST',
    headers: {
      'user-agent': 'Switchboard-Twilio-Callbacks/1',
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': String(Buffer.byteLength(body)),
      'x-twilio-signature': signature,
    },
    body,
  });
}
