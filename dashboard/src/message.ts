import { api, can } from './api.js';
import type { Page } from './app.js';
import { badge, h, show, when } from './dom.js';
import type { MessageRow } from './log.js';

interface Event {
  readonly at: string;
  readonly type: string;
  readonly status: string | null;
  readonly error: { readonly code: string } | null;
  readonly detail: unknown;
  readonly payload: unknown;
}

interface CanonicalError {
  readonly code: string;
  readonly title: string;
  readonly resolution: string;
  readonly doc_url: string;
}

interface Delivery {
  readonly id: string;
  readonly url: string;
  readonly status: string;
  readonly attempt_count: number;
  readonly last_status_code: number | null;
  readonly last_error: string | null;
  readonly resend_of: string | null;
}

const pretty = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value, null, 2));

function explained(code: string): Promise<HTMLElement> {
  return api<CanonicalError>(`/v1/errors/${encodeURIComponent(code)}`).then((e) =>
    h('section', { class: 'card failure', 'aria-labelledby': 'why' }, h('h2', { id: 'why' }, `Why: ${e.title}`), h('p', {}, h('code', {}, e.code)), h('p', { class: 'resolution' }, e.resolution), h('a', { href: e.doc_url }, `Read more about ${e.code}`)),
  );
}

/**
 * A webhook delivery of the message, and (for those who manage webhooks) a button that sends its
 * event again: a new delivery, which the page shows once the API has queued it.
 */
function deliveryItem(d: Delivery, redraw: () => Promise<void>): HTMLElement {
  const said = h('span', { role: 'status' });
  const resend = h('button', { type: 'button', class: 'quiet', 'aria-label': `Resend to ${d.url}`, hidden: !can('webhooks') }, 'Resend');
  resend.addEventListener('click', async () => {
    resend.disabled = true;
    try {
      await api(`/v1/webhooks/deliveries/${encodeURIComponent(d.id)}/resend`, { method: 'POST' });
      await redraw();
    } catch (error) {
      resend.disabled = false;
      said.className = 'error';
      said.textContent = error instanceof Error ? error.message : String(error);
    }
  });
  return h(
    'li',
    { 'data-delivery': d.id },
    `${d.url}: `, badge(d.status), `, ${d.attempt_count} ${d.attempt_count === 1 ? 'attempt' : 'attempts'}`,
    d.last_status_code ? `, last HTTP ${d.last_status_code}` : '', d.last_error ? `, ${d.last_error}` : '', d.resend_of ? ' (a resend)' : '',
    ' ', resend, ' ', said,
  );
}

/** A message's page: its status, why it failed and what to do, its timeline with raw payloads, and its webhooks. */
export async function messageView(page: Page, id: string): Promise<void> {
  const draw = async () => {
    const m = await api<MessageRow & { events: Event[]; segments: number; encoding: string }>(`/v1/messages/${encodeURIComponent(id)}`);
    const deliveries = await api<{ deliveries: Delivery[] }>(`/v1/webhooks/deliveries?message_id=${encodeURIComponent(id)}`).catch(() => ({ deliveries: [] }));
    show(
      page.main,
      h('p', {}, h('a', { href: '#/messages' }, '← Messages')),
      h('h1', {}, 'Message ', h('code', {}, m.id)),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, 'Status'), h('dd', { id: 'message-status' }, badge(m.status)),
        h('dt', {}, 'To'), h('dd', {}, m.to),
        h('dt', {}, 'From'), h('dd', {}, m.from),
        h('dt', {}, 'Connection'), h('dd', {}, m.connection),
        h('dt', {}, 'Segments'), h('dd', {}, `${m.segments} (${m.encoding})`),
        h('dt', {}, 'Price'), h('dd', {}, m.price ?? 'not charged'),
        h('dt', {}, 'Text'), h('dd', {}, m.text),
      ),
      m.error ? await explained(m.error.code) : null,
      h('h2', {}, 'Timeline'),
      h(
        'ol',
        { class: 'timeline' },
        m.events.map((e) =>
          h(
            'li',
            {},
            h('p', {}, h('time', { datetime: e.at }, when(e.at)), ' ', h('strong', {}, e.type), e.status ? [' → ', badge(e.status)] : null, e.error ? ` (${e.error.code})` : ''),
            e.detail ? h('details', {}, h('summary', {}, 'Detail'), h('pre', {}, pretty(e.detail))) : null,
            e.payload !== null && e.payload !== undefined ? h('details', {}, h('summary', {}, 'Raw provider payload'), h('pre', {}, pretty(e.payload))) : null,
          ),
        ),
      ),
      h('h2', {}, 'Webhook deliveries'),
      deliveries.deliveries.length === 0
        ? h('p', {}, 'None.')
        : h('ul', { class: 'deliveries' }, deliveries.deliveries.map((d) => deliveryItem(d, draw))),
    );
  };
  await draw();
  const events = new EventSource(`/v1/messages/${encodeURIComponent(id)}/stream`);
  events.addEventListener('message', () => void draw());
  page.onLeave(() => events.close());
}
