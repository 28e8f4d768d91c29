import type { Message } from '../../core/message.js';
import { parisStamp } from '../../providers/smspartner/wire.js';
import type { GuardedSend } from '../../webhooks/post.js';
import { STATUTS } from './codes.js';

/**
 * A message's final status as SMSPartner reports it to `urlDlr`: the fields of its status API
 * (messageId, phoneNumber, statut, its date in Paris time), as a form. SMSPartner
 * signs nothing: the URL is the application's own, as it gave it.
 */
export function deliveryReport(m: Message): Record<string, string> {
  return { messageId: m.id, phoneNumber: m.to, statut: STATUTS[m.status], date: parisStamp(m.updatedAt) };
}

/** SMSPartner's call to an application's URL (a delivery report, an HLR notification): its fields as a form. */
export function postForm(send: GuardedSend, url: string, fields: Record<string, string>): ReturnType<GuardedSend> {
  const body = new URLSearchParams(fields).toString();
  return send({
    url,
    method: 'POST',
    headers: { 'user-agent': 'Switchboard-SMSPartner-Reports/1', 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
}
