import { api, query } from './api.js';
import type { Page } from './app.js';
import { h, show } from './dom.js';
import { percent, type Counts } from './figures.js';

interface Report {
  readonly from: string;
  readonly to: string;
  readonly hours: (Counts & { hour: string })[];
  readonly total: Counts;
  readonly errors: (Counts & { code: string })[];
  readonly provider_codes: (Counts & { connection: string; code: string; provider_code: string })[];
  readonly connections: (Counts & { connection: string })[];
  readonly countries: (Counts & { country: string | null })[];
}

const PERIODS: Record<string, string> = { '24': '24 hours', '48': '48 hours', '168': '7 days', '720': '30 days' };
/** What the page narrows its figures to, as GET /v1/failures and the log both name them. */
const NARROWING = ['country', 'connection', 'error_code'] as const;
type Narrowing = Partial<Record<(typeof NARROWING)[number], string>>;
const HOUR_MS = 3_600_000;

/**
 * Failures by destination country, connection, canonical error, provider code and hour, from the
 * hourly counters. A name narrows the page to it; a figure opens the messages behind it in the log.
 */
export async function failuresView(page: Page): Promise<void> {
  const hours = page.params.get('hours') ?? '24';
  const narrowed: Narrowing = Object.fromEntries(NARROWING.flatMap((k) => (page.params.get(k) ? [[k, page.params.get(k)!]] : [])));
  const r = await api<Report>(`/v1/failures${query({ hours, ...narrowed })}`);

  const here = (more: Narrowing, period = hours) => `#/failures${query({ hours: period, ...narrowed, ...more })}`;
  /** A figure, linking to the messages behind it: the log with the same filters over the period (or one hour). */
  const behind = (count: number, what: string, filter: Narrowing, since = r.from, until = r.to) =>
    count === 0 ? '0' : h('a', { href: `#/messages${query({ ...narrowed, ...filter, since, until })}`, 'aria-label': `${count} ${what}: the messages` }, String(count));
  const drill = (label: string, more: Narrowing) => h('a', { href: here(more) }, label);
  const table = (caption: string, heads: string[], rows: HTMLElement[]) =>
    h('div', { class: 'scroll' }, h('table', {}, h('caption', {}, caption), h('thead', {}, h('tr', {}, heads.map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows.length > 0 ? rows : h('tr', {}, h('td', { colspan: heads.length }, 'No failures.')))));
  const figures = (c: Counts, what: string, filter: Narrowing) => [h('td', {}, behind(c.failed, `failed ${what}`, filter)), h('td', {}, c.unknown), h('td', {}, c.messages), h('td', {}, percent(c.delivery_rate))];

  show(
    page.main,
    h('h1', {}, 'Failures'),
    h('nav', { 'aria-label': 'Period', class: 'periods' }, Object.entries(PERIODS).map(([value, label]) => h('a', { href: here({}, value), 'aria-current': value === hours ? 'page' : undefined }, label))),
    NARROWING.some((k) => narrowed[k])
      ? h(
          'p',
          { class: 'narrowed' },
          'Narrowed to ',
          NARROWING.filter((k) => narrowed[k]).map((k) => h('span', { class: 'badge' }, `${k.replace('_', ' ')}: ${narrowed[k]} `, h('a', { href: `#/failures${query({ hours, ...narrowed, [k]: undefined })}`, 'aria-label': `Remove ${k.replace('_', ' ')} ${narrowed[k]}` }, '×'))),
          ' ',
          h('a', { href: `#/failures${query({ hours })}` }, 'Clear'),
        )
      : null,
    h(
      'ul',
      { class: 'tiles' },
      h('li', {}, h('strong', {}, behind(r.total.failed, 'failed', {})), ' failed'),
      h('li', {}, h('strong', {}, r.total.unknown), ' unknown'),
      h('li', {}, h('strong', {}, r.total.messages), ' sent'),
      h('li', {}, h('strong', {}, percent(r.total.delivery_rate)), ' delivery rate'),
    ),
    table('By destination country', ['Country', 'Failed', 'Unknown', 'Messages', 'Delivery rate'], r.countries.map((c) => h('tr', {}, h('td', {}, c.country ? drill(c.country, { country: c.country }) : 'unknown'), figures(c, `to ${c.country ?? 'unknown countries'}`, c.country ? { country: c.country } : {})))),
    table('By connection', ['Connection', 'Failed', 'Unknown', 'Messages', 'Delivery rate'], r.connections.map((c) => h('tr', {}, h('td', {}, drill(c.connection, { connection: c.connection })), figures(c, `on ${c.connection}`, { connection: c.connection })))),
    table(
      'By canonical error',
      ['Error', 'Failed', 'Unknown', 'Why and what to do'],
      r.errors.map((e) =>
        h('tr', {}, h('td', {}, drill(e.code, { error_code: e.code })), h('td', {}, behind(e.failed, `failed with ${e.code}`, { error_code: e.code })), h('td', {}, e.unknown), h('td', {}, h('a', { href: `/docs/errors/${encodeURIComponent(e.code)}` }, 'resolution'))),
      ),
    ),
    table(
      'By provider code',
      ['Connection', 'Provider code', 'Read as', 'Failed'],
      r.provider_codes.map((p) => h('tr', {}, h('td', {}, p.connection), h('td', {}, h('code', {}, p.provider_code)), h('td', {}, p.code), h('td', {}, behind(p.failed, `failed with ${p.provider_code} on ${p.connection}`, { connection: p.connection, error_code: p.code })))),
    ),
    table(
      'By hour',
      ['Hour', 'Failed', 'Unknown', 'Messages', 'Delivery rate'],
      r.hours
        .filter((c) => c.failed + c.unknown > 0)
        .reverse()
        .map((c) => {
          const until = new Date(Date.parse(c.hour) + HOUR_MS).toISOString();
          return h('tr', {}, h('td', {}, new Date(c.hour).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' })), h('td', {}, behind(c.failed, `failed in that hour`, {}, c.hour, until)), h('td', {}, c.unknown), h('td', {}, c.messages), h('td', {}, percent(c.delivery_rate)));
        }),
    ),
  );
}
