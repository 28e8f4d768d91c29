import { api, can, query } from './api.js';
import type { Page } from './app.js';
import { badge, field, fields, h, select, show, when } from './dom.js';

export interface MessageRow {
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly status: string;
  readonly error: { readonly code: string; readonly title?: string; readonly message?: string } | null;
  readonly connection: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly price?: string;
}

export const STATUSES = ['', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'read', 'undelivered', 'failed', 'rejected', 'expired', 'canceled', 'unknown'];
const FILTERS = ['q', 'status', 'to', 'from', 'error_code', 'connection', 'route', 'type', 'country', 'account', 'since', 'until'] as const;

function row(m: MessageRow): HTMLTableRowElement {
  return h(
    'tr',
    { 'data-id': m.id },
    h('td', {}, h('a', { href: `#/messages/${encodeURIComponent(m.id)}` }, when(m.created_at))),
    h('td', {}, m.to),
    h('td', {}, m.from),
    h('td', { class: 'status' }, badge(m.status)),
    h('td', {}, m.error ? h('a', { href: `#/messages?error_code=${encodeURIComponent(m.error.code)}` }, m.error.code) : ''),
    h('td', {}, m.connection),
    h('td', { class: 'text' }, m.text.length > 60 ? `${m.text.slice(0, 60)}…` : m.text),
  );
}

const moment = (value: string | undefined) => (value?.includes('T') ? 'text' : 'date');

/** The message log: filters in the address (so a filtered view can be shared), cursor paging, live changes. */
export async function logView(page: Page): Promise<void> {
  const filter = Object.fromEntries(FILTERS.map((f) => [f, page.params.get(f) ?? undefined]));
  // An account with sub-accounts reads their logs too, one at a time.
  const subAccounts = can('accounts') ? (await api<{ accounts: { id: string; name: string }[] }>('/v1/accounts')).accounts : [];
  if (filter.account && !subAccounts.some((a) => a.id === filter.account)) subAccounts.push({ id: filter.account, name: filter.account });
  const form = h(
    'form',
    { class: 'filters', role: 'search', 'aria-label': 'Filter messages' },
    field('Search', 'q', { type: 'search', value: filter.q ?? '', placeholder: 'msg_…, client_ref, +33…' }),
    select('Status', 'status', STATUSES, filter.status ?? ''),
    field('To', 'to', { value: filter.to ?? '', placeholder: '+447700900000' }),
    field('From', 'from', { value: filter.from ?? '' }),
    field('Error', 'error_code', { value: filter.error_code ?? '', placeholder: 'unknown_subscriber' }),
    field('Connection', 'connection', { value: filter.connection ?? '' }),
    field('Route', 'route', { value: filter.route ?? '' }),
    field('Type', 'type', { value: filter.type ?? '', placeholder: 'otp' }),
    field('Country', 'country', { value: filter.country ?? '', placeholder: 'FR', size: 4 }),
    subAccounts.length > 0 ? select('Sub-account', 'account', [['', 'this account'], ...subAccounts.map((a): [string, string] => [a.id, a.name])], filter.account ?? '') : null,
    // A date, or the exact time a link from the failures page carries.
    field('Since', 'since', { type: moment(filter.since), value: filter.since ?? '' }),
    field('Until', 'until', { type: moment(filter.until), value: filter.until ?? '' }),
    h('button', { type: 'submit' }, 'Filter'),
    h('a', { href: '#/messages', class: 'button quiet' }, 'Clear'),
    // What the filters show, every page of it, as CSV.
    h('a', { href: `/v1/messages/export${query(filter)}`, class: 'button quiet', download: '' }, 'Export CSV'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/messages${query(fields(form))}`;
  });
  const body = h('tbody', {});
  const live = h('p', { class: 'live', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', hidden: true }, 'Older messages');
  const table = h(
    'table',
    { class: 'log' },
    h('caption', { class: 'sr-only' }, 'Messages, newest first'),
    h('thead', {}, h('tr', {}, ['Created', 'To', 'From', 'Status', 'Error', 'Connection', 'Text'].map((t) => h('th', { scope: 'col' }, t)))),
    body,
  );
  show(page.main, h('h1', {}, 'Messages'), form, live, h('div', { class: 'scroll' }, table), more);

  let cursor: string | undefined;
  // The newest change the page shows: the stream sends what changed from then on (a page with none: everything it finds).
  let changedSince = new Date(0).toISOString();
  const load = async () => {
    const res = await api<{ messages: MessageRow[]; next_cursor: string | null }>(`/v1/messages${query({ ...filter, limit: '50', cursor })}`);
    body.append(...res.messages.map(row));
    for (const m of res.messages) if (m.updated_at > changedSince) changedSince = m.updated_at;
    if (body.children.length === 0) body.append(h('tr', {}, h('td', { colspan: 7 }, 'No messages match.')));
    cursor = res.next_cursor ?? undefined;
    more.hidden = cursor === undefined;
  };
  more.addEventListener('click', () => void load());
  await load();

  // New messages and status changes arrive as server-sent events, with the same filters.
  const events = new EventSource(`/v1/messages/stream${query({ ...filter, changed_since: changedSince })}`);
  events.addEventListener('message', (event) => {
    const m = JSON.parse((event as MessageEvent<string>).data) as MessageRow;
    const old = body.querySelector(`tr[data-id="${CSS.escape(m.id)}"]`);
    if (old) old.replaceWith(row(m));
    else body.prepend(row(m));
    live.textContent = `${m.id} is ${m.status}`;
  });
  page.onLeave(() => events.close());
}
