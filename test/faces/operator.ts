import assert from 'node:assert/strict';
import type { TestNode } from '../helpers.js';
import { bearer } from '../helpers.js';
import type { Json } from '../webhook-receiver.js';

/** A face credential as its creation answers: the public key (api_key, Account SID) and the secret shown once. */
export interface Credential {
  readonly id: string;
  readonly key: string;
  readonly secret: string;
  readonly settings: Record<string, string | null>;
}

/**
 * What a face's tests do through the native API as the operator of `node()` (read when called,
 * as the node starts in a `before`): any request, a sub-account with a key, a credential of `protocol`.
 */
export function operatorOf(node: () => TestNode, protocol: 'vonage' | 'twilio' | 'smspartner') {
  const admin = (method: string, url: string, payload?: unknown, key = node().key) =>
    node().api.inject({ method: method as 'GET', url, headers: bearer(key), ...(payload !== undefined && { payload: payload as Json }) });

  async function account(body: Json): Promise<{ id: string; key: string }> {
    const made = await admin('POST', '/v1/accounts', body);
    assert.equal(made.statusCode, 201, made.body);
    const key = await admin('POST', `/v1/accounts/${made.json().id}/keys`, { scopes: ['send', 'read', 'opt_outs', 'accounts'] });
    return { id: made.json().id, key: key.json().key };
  }

  async function credential(accountId: string, body: Json = {}, key = node().key): Promise<Credential> {
    const res = await admin('POST', `/v1/accounts/${accountId}/credentials`, { protocol, ...body }, key);
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as Credential;
  }

  return { admin, account, credential };
}
