import { randomBytes } from 'node:crypto';
import type { FaceCredential } from '../../app/store.js';
import type { Message } from '../../core/message.js';
import { vonageSignature } from '../../providers/vonage/signature.js';
import type { GuardedSend } from '../../webhooks/post.js';
import { vonageAmount } from './answer.js';
import { vonageSettings } from './credential.js';
import { RECEIPT_STATUSES, receiptErrorCode } from './receipt-codes.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYMMDDHHMM`, UTC. */
function scts(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}`;
}

/** `YYYY-MM-DD HH:MM:SS`, UTC. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * A message's final status as Vonage's delivery receipt (its fields in the order of Vonage's
 * guide), signed with the credential's signature secret as Vonage signs webhooks: `timestamp`,
 * a `nonce`, and `sig` over every other field.
 */
export function vonageReceipt(m: Message, credential: FaceCredential, network: string | undefined, sentAt: number): Record<string, string> {
  const fields: Record<string, string> = {
    msisdn: m.to.slice(1),
    to: m.from.replace(/^\+/, ''),
    ...(network !== undefined && { 'network-code': network }),
    messageId: m.id,
    price: vonageAmount(m.price ?? 0),
    status: RECEIPT_STATUSES[m.status] ?? 'unknown',
    scts: scts(m.updatedAt),
    'err-code': receiptErrorCode(m.status, m.error?.code),
    'api-key': credential.key,
    ...(m.clientRef !== null && { 'client-ref': m.clientRef }),
    'message-timestamp': stamp(sentAt),
    timestamp: String(Math.floor(sentAt / 1000)),
    nonce: randomBytes(16).toString('hex'),
  };
  const { signatureSecret, signatureMethod } = vonageSettings(credential.settings);
  return { ...fields, sig: vonageSignature(fields, signatureSecret, signatureMethod) };
}

/** Sends a receipt the way the credential asks: a query string (GET), a form (POST) or JSON (POST-JSON). */
export function postVonageReceipt(send: GuardedSend, url: string, credential: FaceCredential, fields: Record<string, string>): ReturnType<GuardedSend> {
  const headers = { 'user-agent': 'Switchboard-Vonage-Receipts/1' };
  const method = vonageSettings(credential.settings).receiptMethod;
  if (method === 'GET') return send({ url: `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(fields)}`, method: 'GET', headers });
  const body = method === 'POST' ? new URLSearchParams(fields).toString() : JSON.stringify(fields);
  const type = method === 'POST' ? 'application/x-www-form-urlencoded' : 'application/json';
  return send({ url, method: 'POST', headers: { ...headers, 'content-type': type, 'content-length': String(Buffer.byteLength(body)) }, body });
}
