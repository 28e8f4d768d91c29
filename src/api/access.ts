import type { Access } from '../core/access/scopes.js';

/**
 * Who may call each route, in one table a reviewer can read at once: `METHOD /path` as the route
 * is registered. A route that is not here needs an admin key: nothing is public, or open to an
 * ordinary key, unless it is declared so. HEAD follows its GET.
 */
export const ROUTE_ACCESS: Readonly<Record<string, Access>> = {
  'GET /healthz': 'public',
  'GET /openapi.json': 'public',
  'GET /docs/errors': 'public',
  'GET /docs/errors/:code': 'public',
  // Providers call these without our key: each request is checked against the provider's own signature.
  'GET /v1/providers/:provider/:connection/receipts': 'public',
  'POST /v1/providers/:provider/:connection/receipts': 'public',
  // Compatible APIs: each request authenticates with the account's credential for that API (its signature or secret).
  'GET /sms/json': 'public',
  'POST /sms/json': 'public',
  'GET /sms/xml': 'public',
  'POST /sms/xml': 'public',
  'POST /2010-04-01/Accounts/:AccountSid/Messages.json': 'public',
  'GET /2010-04-01/Accounts/:AccountSid/Messages.json': 'public',
  'GET /2010-04-01/Accounts/:AccountSid/Messages/:Sid': 'public',
  'POST /2010-04-01/Accounts/:AccountSid/Messages/:Sid': 'public',
  'POST /v1/send': 'public',
  'POST /v1/bulk/send': 'public',
  'POST /v1/bulk-send': 'public',
  'GET /v1/message-cancel': 'public',
  'GET /v1/message-status': 'public',
  'GET /v1/bulk-status': 'public',
  'GET /v1/multi-status': 'public',
  'POST /v1/multi-status': 'public',
  'GET /v1/me': 'public',
  'POST /v1/subaccount/create': 'public',
  'GET /v1/subaccount/list': 'public',
  'POST /v1/subaccount/credit/add': 'public',
  'GET /v1/stop-sms/list': 'public',
  'POST /v1/stop-sms/add': 'public',
  'POST /v1/stop-sms/delete': 'public',
  'POST /v1/hlr/notify': 'public',
  // Dashboard sign-in: the email and password are checked instead of a key.
  'POST /v1/session': 'public',
  // The dashboard itself (its page and assets): it holds no data; what it shows comes from the API with the user's session.
  'GET /': 'public',
  'GET /dashboard': 'public',
  'GET /dashboard/*': 'public',

  'GET /v1/errors': 'key',
  'GET /v1/errors/:code': 'key',
  'GET /v1/providers/:provider/codes/:code': 'key',
  'POST /v1/normalize': 'key',

  'POST /v1/messages': 'send',
  'POST /v1/messages/:id/cancel': 'send',
  'POST /v1/messages/check': 'send',
  'GET /v1/messages': 'read',
  'GET /v1/messages/:id': 'read',
  'GET /v1/messages/stream': 'read',
  'GET /v1/messages/export': 'read',
  'GET /v1/messages/:id/stream': 'read',
  'GET /v1/inbound': 'read',
  'POST /v1/lookups': 'lookups',
  'GET /v1/lookups/:id': 'read',
  'GET /v1/notices': 'read',

  'POST /v1/webhooks/endpoints': 'webhooks',
  'GET /v1/webhooks/endpoints': 'webhooks',
  'GET /v1/webhooks/endpoints/:id': 'webhooks',
  'PATCH /v1/webhooks/endpoints/:id': 'webhooks',
  'DELETE /v1/webhooks/endpoints/:id': 'webhooks',
  'GET /v1/webhooks/deliveries': 'webhooks',
  'GET /v1/webhooks/deliveries/:id': 'webhooks',
  'POST /v1/webhooks/deliveries/:id/resend': 'webhooks',
  'GET /v1/webhooks/callback-secret': 'webhooks',

  'GET /v1/balance': 'read',
  'GET /v1/ledger': 'read',

  // An account acts on the accounts under its own (services: Accounts.within); top-ups are the operator's (admin).
  'POST /v1/accounts': 'accounts',
  'GET /v1/accounts': 'accounts',
  'GET /v1/accounts/:id': 'accounts',
  'PATCH /v1/accounts/:id': 'accounts',
  'GET /v1/accounts/:id/keys': 'accounts',
  'POST /v1/accounts/:id/keys': 'accounts',
  'POST /v1/accounts/:id/transfers': 'accounts',
  // Credentials for the compatible APIs: an account's own, or those of an account under it.
  'GET /v1/accounts/:id/credentials': 'accounts',
  'POST /v1/accounts/:id/credentials': 'accounts',
  'DELETE /v1/accounts/:id/credentials/:credential': 'accounts',

  // Adding a number sends it a code; a sub-account's numbers also need the accounts scope (VerifiedNumbers).
  'POST /v1/verified-numbers': 'send',
  'POST /v1/verified-numbers/:number/confirm': 'send',
  'DELETE /v1/verified-numbers/:number': 'send',
  'GET /v1/verified-numbers': 'read',

  // Numbers move within the caller's subtree (services: Numbers); an account reads its own with `read`.
  'POST /v1/numbers': 'accounts',
  'GET /v1/numbers': 'read',
  'DELETE /v1/numbers/:number': 'accounts',
  'GET /v1/usage': 'read',
  'GET /v1/overview': 'read',
  'GET /v1/failures': 'read',

  // The signed-in user's own session; users are an account's own business, created within the caller's scopes.
  'GET /v1/session': 'key',
  'DELETE /v1/session': 'key',
  'DELETE /v1/sessions': 'key',
  'GET /v1/users': 'accounts',
  'POST /v1/users': 'accounts',
  'DELETE /v1/users/:id': 'accounts',

  'GET /v1/opt-outs': 'opt_outs',
  'POST /v1/opt-outs': 'opt_outs',
  'DELETE /v1/opt-outs': 'opt_outs',
  'POST /v1/opt-outs/import': 'opt_outs',
};

/** The access a route was declared with; admin for one nobody declared. */
export function routeAccess(method: string, url: string): Access {
  return ROUTE_ACCESS[`${method === 'HEAD' ? 'GET' : method} ${url}`] ?? 'admin';
}
