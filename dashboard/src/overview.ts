import { api, query } from './api.js';
import type { Page } from './app.js';
import { h, show } from './dom.js';
import { percent, type Counts as Figures } from './figures.js';

interface Counts extends Figures {
  readonly charged: string;
}

interface Report {
  readonly from: string;
  readonly hours: (Counts & { hour: string })[];
  readonly total: Counts;
  readonly errors: { code: string; failed: number; unknown: number }[];
  readonly connections: (Counts & { connection: string })[];
  readonly countries: (Counts & { country: string | null })[];
}

const PERIODS: Record<string, string> = { '1': '1 hour', '24': '24 hours', '168': '7 days', '720': '30 days', '2160': '90 days' };
const PARTS = ['delivered', 'failed', 'unknown', 'pending'] as const;

/** Bars of messages per hour, how they ended stacked; each part has its own title for screen readers. */
function chart(hours: Report['hours']): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const step = 10;
  svg.setAttribute('viewBox', `0 0 ${Math.max(hours.length * step, 100)} 100`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'Messages per hour: delivered, failed, unknown and still pending');
  svg.classList.add('chart');
  const top = Math.max(1, ...hours.map((c) => c.messages));
  hours.forEach((c, i) => {
    let y = 100;
    const values = { delivered: c.delivered, failed: c.failed, unknown: c.unknown, pending: c.messages - c.delivered - c.failed - c.unknown };
    for (const part of PARTS) {
      const height = (Math.max(0, values[part]) / top) * 100;
      if (height === 0) continue;
      const rect = document.createElementNS(ns, 'rect');
      for (const [k, v] of Object.entries({ x: i * step + 1, width: step - 2, y: y - height, height })) rect.setAttribute(k, String(v));
      rect.setAttribute('class', `bar-${part}`);
      const title = document.createElementNS(ns, 'title');
      title.textContent = `${new Date(c.hour).toLocaleString()}: ${values[part]} ${part}`;
      rect.append(title);
      svg.append(rect);
      y -= height;
    }
  });
  return svg;
}

/** A link to the messages behind a figure: the log, filtered, from the start of the period. */
const behind = (from: string, filter: Record<string, string>, label: string | number) => h('a', { href: `#/messages${query({ ...filter, since: from })}` }, String(label));

function groupTable<T extends Counts>(caption: string, heading: string, rows: readonly T[], label: (row: T) => string | null): HTMLElement {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, [heading, 'Messages', 'Delivered', 'Failed', 'Unknown', 'Delivery rate'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, h('td', {}, label(r) ?? 'unknown'), h('td', {}, r.messages), h('td', {}, r.delivered), h('td', {}, r.failed), h('td', {}, r.unknown), h('td', {}, percent(r.delivery_rate))))),
    ),
  );
}

export async function overviewView(page: Page): Promise<void> {
  const hours = page.params.get('hours') ?? '24';
  const r = await api<Report>(`/v1/overview${query({ hours })}`);
  const t = r.total;
  show(
    page.main,
    h('h1', {}, 'Overview'),
    h('nav', { 'aria-label': 'Period', class: 'periods' }, Object.entries(PERIODS).map(([value, label]) => h('a', { href: `#/overview?hours=${value}`, 'aria-current': value === hours ? 'page' : undefined }, label))),
    h(
      'ul',
      { class: 'tiles' },
      h('li', {}, h('strong', {}, behind(r.from, {}, t.messages)), ' sent'),
      h('li', {}, h('strong', {}, behind(r.from, { status: 'delivered' }, t.delivered)), ' delivered'),
      // Failed counts every way a message ends without delivery: the failures page breaks it down.
      h('li', {}, h('strong', {}, h('a', { href: `#/failures?hours=${hours}` }, String(t.failed))), ' failed'),
      h('li', {}, h('strong', {}, behind(r.from, { status: 'unknown' }, t.unknown)), ' unknown'),
      h('li', {}, h('strong', {}, percent(t.delivery_rate)), ' delivery rate'),
      h('li', {}, h('strong', {}, t.charged), ' spent'),
    ),
    chart(r.hours),
    h('p', { class: 'legend' }, PARTS.map((p) => h('span', { class: `key-${p}` }, p))),
    h('h2', {}, 'Top errors'),
    r.errors.length === 0
      ? h('p', {}, 'No message ended with an error in this period.')
      : h('ol', { class: 'errors' }, r.errors.slice(0, 10).map((e) => h('li', {}, behind(r.from, { error_code: e.code }, e.code), ` — ${e.failed} failed${e.unknown ? `, ${e.unknown} unknown` : ''}`))),
    groupTable('By connection', 'Connection', r.connections, (c) => c.connection),
    groupTable('By destination country', 'Country', r.countries, (c) => c.country),
  );
}
