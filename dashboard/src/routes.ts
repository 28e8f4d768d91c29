import { api, can } from './api.js';
import type { Page } from './app.js';
import { field, fields, h, show } from './dom.js';
import { percent } from './figures.js';

interface Connection {
  readonly name: string;
  readonly provider: string;
  readonly up: boolean;
  readonly breaker: string;
  readonly available: boolean;
  readonly queued: number;
  readonly tps: number | null;
  readonly tps_used: number;
  readonly delivery_rate: number | null;
  readonly receipt_latency: { readonly p50: number | null; readonly p95: number | null };
}

/** How often the connections' figures are read again. */
const LIVE_MS = 5000;

const seconds = (s: number | null) => (s === null ? '—' : `${s} s`);

/** A connection's row: its state, and what it does now (TPS used of its limit, queue) and lately (delivery rate, receipt latency). */
const connectionRow = (c: Connection) =>
  h(
    'tr',
    { 'data-connection': c.name },
    h('td', {}, c.name), h('td', {}, c.provider), h('td', {}, c.up ? 'up' : 'down'), h('td', {}, c.breaker), h('td', {}, c.available ? 'yes' : 'no'), h('td', {}, c.queued),
    h('td', {}, `${c.tps_used}${c.tps === null ? '' : ` of ${c.tps}`}`), h('td', {}, percent(c.delivery_rate)), h('td', {}, `${seconds(c.receipt_latency.p50)} / ${seconds(c.receipt_latency.p95)}`),
  );

/** Connections' live state, the routing table (edited by admins, checked by PUT /v1/routes as any change is) and a route tester. */
export async function routesView(page: Page): Promise<void> {
  const { connections } = await api<{ connections: Connection[] }>('/v1/connections');
  const table = await api<{ routes: unknown[]; networks?: unknown }>('/v1/routes');
  // The figures are live: read again every few seconds while the page is open.
  const tbody = h('tbody', {}, connections.map(connectionRow));
  const live = setInterval(() => void api<{ connections: Connection[] }>('/v1/connections').then((r) => show(tbody, r.connections.map(connectionRow)), () => undefined), LIVE_MS);
  page.onLeave(() => clearInterval(live));
  const editor = h('textarea', { id: 'routes-json', rows: 14, spellcheck: 'false', readonly: !can('admin') }, JSON.stringify(table, null, 2));
  const saved = h('p', { role: 'status' });
  const save = h('button', { type: 'button', hidden: !can('admin') }, 'Save the routing table');
  save.addEventListener('click', async () => {
    saved.textContent = '';
    saved.className = '';
    try {
      const body = JSON.parse(editor.value) as unknown;
      const after = await api('/v1/routes', { method: 'PUT', body });
      editor.value = JSON.stringify(after, null, 2);
      saved.textContent = 'Saved: new messages take these routes.';
    } catch (error) {
      saved.className = 'error';
      saved.textContent = `Refused: ${error instanceof Error ? error.message : String(error)}`;
    }
  });

  const answer = h('p', { role: 'status' });
  const tester = h('form', { class: 'filters', 'aria-label': 'Which route' }, field('To', 'to', { type: 'tel', required: true, placeholder: '+33612345678' }), field('From', 'from', { placeholder: 'Switchboard' }), field('Type', 'type', {}), h('button', { type: 'submit' }, 'Which route?'));
  tester.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const d = await api<{ route: string; connection: string; chain: string[]; reason: string }>(`/v1/routes/decision?${new URLSearchParams(fields(tester))}`);
      answer.textContent = `Route "${d.route}", connection ${d.connection} (then ${d.chain.join(' → ')}): ${d.reason}`;
    } catch (error) {
      answer.textContent = error instanceof Error ? error.message : String(error);
    }
  });

  show(
    page.main,
    h('h1', {}, 'Connections and routes'),
    h('div', { class: 'scroll' }, h(
      'table',
      {},
      h('caption', {}, 'Connections on this node (TPS used: the last minute; delivery rate and receipt latency: the quality window)'),
      h('thead', {}, h('tr', {}, ['Name', 'Provider', 'Session', 'Breaker', 'Routed to', 'Queued', 'TPS used', 'Delivery rate', 'Receipt latency p50 / p95'].map((t) => h('th', { scope: 'col' }, t)))),
      tbody,
    )),
    h('h2', {}, 'Which route would take a number?'),
    tester,
    answer,
    h('h2', {}, 'Routing table'),
    h('label', { for: 'routes-json' }, 'The table, as PUT /v1/routes takes it'),
    editor,
    save,
    saved,
  );
}
