import { api } from './api.js';
import type { Page } from './app.js';
import { field, fields, h, show } from './dom.js';

interface CanonicalError {
  readonly code: string;
  readonly title: string;
  readonly http_status: number;
  readonly permanent: boolean;
  readonly resolution: string;
  readonly doc_url: string;
}

/** Every canonical error, searchable, and a payload pasted and read as Switchboard reads it. */
export async function catalogueView(page: Page): Promise<void> {
  const { errors } = await api<{ errors: CanonicalError[] }>('/v1/errors');
  const list = h('tbody', {});
  const draw = (needle: string) => {
    const n = needle.toLowerCase();
    show(list, errors.filter((e) => `${e.code} ${e.title} ${e.resolution}`.toLowerCase().includes(n)).map((e) =>
      h('tr', {}, h('td', {}, h('a', { href: e.doc_url }, e.code)), h('td', {}, e.title), h('td', {}, e.http_status), h('td', {}, e.permanent ? 'permanent' : 'temporary'), h('td', {}, e.resolution), h('td', {}, h('a', { href: `#/messages?error_code=${encodeURIComponent(e.code)}` }, 'messages'))),
    ));
  };
  const search = h('input', { id: 'catalogue-search', type: 'search', placeholder: 'absent, blocked, 4001…' });
  search.addEventListener('input', () => draw(search.value));
  draw('');

  const reading = h('pre', { id: 'normalized', 'aria-live': 'polite' });
  const paste = h(
    'form',
    { class: 'card', 'aria-labelledby': 'paste-title' },
    h('h2', { id: 'paste-title' }, 'Explain a pasted payload'),
    field('Provider', 'provider', { required: true, placeholder: 'vonage, twilio, smpp…' }),
    field('Kind (optional)', 'kind', {}),
    h('label', { for: 'paste-raw' }, h('span', {}, 'Raw payload: a body, a query string, a captured request or a PDU in hex'), h('textarea', { id: 'paste-raw', name: 'raw', rows: 6, required: true, spellcheck: 'false' })),
    h('button', { type: 'submit' }, 'Explain'),
    reading,
  );
  paste.addEventListener('submit', async (event) => {
    event.preventDefault();
    const values = fields(paste);
    const raw = (paste.querySelector('textarea') as HTMLTextAreaElement).value;
    try {
      reading.textContent = JSON.stringify(await api('/v1/normalize', { method: 'POST', body: { ...values, raw } }), null, 2);
    } catch (error) {
      reading.textContent = error instanceof Error ? error.message : String(error);
    }
  });

  show(
    page.main,
    h('h1', {}, 'Error catalogue'),
    paste,
    h('label', { for: 'catalogue-search' }, 'Search the canonical errors'),
    search,
    h('div', { class: 'scroll' }, h('table', {}, h('caption', { class: 'sr-only' }, 'Canonical errors'), h('thead', {}, h('tr', {}, ['Code', 'Title', 'HTTP', 'Kind', 'What to do', ''].map((t) => h('th', { scope: 'col' }, t)))), list)),
  );
}
