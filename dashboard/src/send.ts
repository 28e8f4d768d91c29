import { api } from './api.js';
import type { Page } from './app.js';
import { badge, field, fields, h, show } from './dom.js';
import type { MessageRow } from './log.js';

/** Sends one message through the API and follows it, live, to its final status. */
export function sendView(page: Page): void {
  const result = h('div', { 'aria-live': 'polite' });
  const form = h(
    'form',
    { class: 'card narrow', 'aria-labelledby': 'send-title' },
    h('h1', { id: 'send-title' }, 'Send a test message'),
    field('To', 'to', { type: 'tel', required: true, placeholder: '+447700900000' }),
    field('From', 'from', { required: true, value: 'Switchboard' }),
    h('label', { for: 'send-text' }, h('span', {}, 'Text'), h('textarea', { id: 'send-text', name: 'text', required: true, rows: 3 }, 'Hello from Switchboard')),
    h('button', { type: 'submit' }, 'Send'),
    result,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    show(result);
    try {
      const { messages } = await api<{ messages: MessageRow[] }>('/v1/messages', { method: 'POST', body: fields(form) });
      const m = messages[0]!;
      const status = h('span', { id: 'sent-status' }, badge(m.status));
      show(result, h('p', {}, h('a', { href: `#/messages/${encodeURIComponent(m.id)}` }, m.id), ' is ', status));
      const events = new EventSource(`/v1/messages/${encodeURIComponent(m.id)}/stream`);
      events.addEventListener('message', (e) => show(status, badge((JSON.parse((e as MessageEvent<string>).data) as MessageRow).status)));
      page.onLeave(() => events.close());
    } catch (error) {
      show(result, h('p', { role: 'alert', class: 'error' }, error instanceof Error ? error.message : String(error)));
    }
  });
  show(page.main, form);
}
