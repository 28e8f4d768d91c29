import { api } from './api.js';
import type { Page } from './app.js';
import { h, show } from './dom.js';

/** A read-only page: one API list, some of its fields as columns (never a secret). */
interface ListPage {
  readonly title: string;
  readonly path: string;
  /** The answer's field holding the list. */
  readonly field: string;
  readonly columns: readonly (readonly [label: string, field: string])[];
}

export const LISTS: Record<string, ListPage & { scope: string }> = {
  inbound: { title: 'Inbound', scope: 'read', path: '/v1/inbound', field: 'messages', columns: [['Received', 'received_at'], ['From', 'from'], ['To', 'to'], ['Text', 'text'], ['Keyword', 'keyword'], ['Connection', 'connection']] },
  webhooks: { title: 'Webhooks', scope: 'webhooks', path: '/v1/webhooks/endpoints', field: 'endpoints', columns: [['URL', 'url'], ['Events', 'events'], ['Enabled', 'enabled'], ['Failing since', 'failing_since'], ['Disabled because', 'disabled_reason']] },
  'opt-outs': { title: 'Opt-outs', scope: 'opt_outs', path: '/v1/opt-outs', field: 'opt_outs', columns: [['Number', 'number'], ['Sender', 'sender'], ['Since', 'created_at'], ['Source', 'source']] },
  keys: { title: 'Keys', scope: 'admin', path: '/v1/keys', field: 'keys', columns: [['Name', 'name'], ['Prefix', 'prefix'], ['Scopes', 'scopes'], ['Created', 'created_at'], ['Last used', 'last_used_at'], ['Revoked', 'revoked_at']] },
  accounts: { title: 'Accounts', scope: 'accounts', path: '/v1/accounts', field: 'accounts', columns: [['Name', 'name'], ['Id', 'id'], ['Status', 'status'], ['Balance', 'balance'], ['Currency', 'currency']] },
  ledger: { title: 'Ledger', scope: 'read', path: '/v1/ledger', field: 'entries', columns: [['At', 'at'], ['Type', 'type'], ['Amount', 'amount'], ['Balance after', 'balance_after'], ['Message', 'message_id'], ['Description', 'description']] },
  usage: { title: 'Usage', scope: 'read', path: '/v1/usage?group=country', field: 'usage', columns: [['Country', 'country'], ['Messages', 'messages'], ['Delivered', 'delivered'], ['Failed', 'failed'], ['Delivery rate', 'delivery_rate'], ['Charged', 'charged']] },
};

const text = (value: unknown) => (value === null || value === undefined ? '—' : Array.isArray(value) ? value.join(', ') : String(value));

export async function listView(page: Page, key: string): Promise<void> {
  const list = LISTS[key]!;
  const answer = await api<Record<string, Record<string, unknown>[]>>(list.path);
  const rows = answer[list.field] ?? [];
  show(
    page.main,
    h('h1', {}, list.title),
    rows.length === 0
      ? h('p', {}, 'Nothing yet.')
      : h('div', { class: 'scroll' }, h('table', {}, h('caption', { class: 'sr-only' }, list.title), h('thead', {}, h('tr', {}, list.columns.map(([label]) => h('th', { scope: 'col' }, label)))), h('tbody', {}, rows.map((r) => h('tr', {}, list.columns.map(([, f]) => h('td', {}, text(r[f])))))))),
  );
}
