import type { FaceCredentials } from '../app/credentials.js';
import type { ClaimedDelivery } from '../app/store.js';
import type { FaceCallback } from '../app/webhook-delivery.js';
import type { Message } from '../core/message.js';
import { networkOf, type Route } from '../core/routing/router.js';
import type { GuardedSend } from '../webhooks/post.js';
import { deliveryReport, postForm } from './smspartner/reports.js';
import { postStatusCallback, statusCallbackFields } from './twilio/status-callback.js';
import { postVonageReceipt, vonageReceipt } from './vonage/receipts.js';

const FACES = ['vonage', 'twilio', 'smspartner'];

/**
 * The receipts of messages sent through a compatible API: an event for a message's own callback
 * URL goes in that API's format (a Vonage delivery receipt, a Twilio status callback, an
 * SMSPartner delivery report), through the same deliveries, retries and leases as every
 * webhook. Undefined for any other delivery: it goes as Switchboard's event.
 */
export function faceCallbacks(credentials: FaceCredentials, send: GuardedSend, routes: () => readonly Route[]): FaceCallback {
  return (delivery: ClaimedDelivery, at: number) => {
    const message = delivery.event.data as Message;
    const [face, credentialId] = message.face?.split(':') ?? [];
    if (delivery.endpointId !== null || !FACES.includes(face ?? '') || credentialId === undefined) return undefined;
    return (async () => {
      const credential = await credentials.get(credentialId);
      if (!credential) return { error: 'the credential the message was sent with no longer exists' };
      if (face === 'smspartner') return postForm(send, delivery.url, deliveryReport(message));
      if (face === 'twilio') return postStatusCallback(send, delivery.url, credential, statusCallbackFields(message, credential.key));
      return postVonageReceipt(send, delivery.url, credential, vonageReceipt(message, credential, networkOf(routes(), message.to), at));
    })();
  };
}
