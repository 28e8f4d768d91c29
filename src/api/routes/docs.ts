import type { FastifyPluginAsync } from 'fastify';
import { CANONICAL_ERRORS } from '../../core/catalogue/canonical.js';
import type { Catalogue } from '../../core/catalogue/catalogue.js';
import type { CanonicalErrorDef } from '../../core/catalogue/types.js';
import { SwitchboardError } from '../../core/errors.js';
import type { Services } from '../services.js';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
/** Inline `code` spans of the catalogue's prose. */
const prose = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

const RETRY: Record<CanonicalErrorDef['retry'], string> = {
  never: 'Never: the same message to the same number will fail the same way.',
  after_delay: 'After a delay: the condition is temporary.',
  after_fix: 'After a fix by the sender: change what the resolution says, then send again.',
};

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · Switchboard</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
code{background:#f2f2f5;padding:.1em .3em;border-radius:4px}
table{border-collapse:collapse;width:100%;font-size:14px}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e3e3e8;vertical-align:top}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}
.tag{display:inline-block;padding:0 .4rem;border-radius:4px;background:#eef;font-size:13px}
</style></head><body><p><a href="/docs/errors">All errors</a></p>${body}</body></html>`;
}

function errorPage(catalogue: Catalogue, def: CanonicalErrorDef): string {
  const rows = catalogue
    .tables()
    .flatMap((t) => t.rows.filter((r) => r.canonical === def.code).map((r) => ({ t, r })))
    .map(({ t, r }) => `<tr><td>${esc(t.provider)}</td><td>${esc(t.context)}</td><td><code>${esc(r.code)}</code></td><td>${esc(r.name ? `${r.name}: ${r.message}` : r.message)}</td></tr>`)
    .join('');
  return page(
    def.title,
    `<h1>${esc(def.title)}</h1><p><code>${esc(def.code)}</code> <span class="tag">${esc(def.type)}</span></p>
<p>${prose(def.description)}</p>
<h2>What to do</h2><p>${prose(def.resolution)}</p>
<dl><dt>HTTP status</dt><dd>${def.http_status}</dd><dt>Permanent</dt><dd>${def.permanent ? 'Yes' : 'No'}</dd>
<dt>Retry</dt><dd>${esc(RETRY[def.retry])}</dd><dt>Failover</dt><dd>${def.failover ? 'Another connection may succeed.' : 'Another connection will not help.'}</dd></dl>
<h2>Provider codes that mean this</h2>${rows ? `<table><thead><tr><th>Provider</th><th>Context</th><th>Code</th><th>Provider's words</th></tr></thead><tbody>${rows}</tbody></table>` : '<p>None: Switchboard raises it itself.</p>'}`,
  );
}

function indexPage(): string {
  const rows = CANONICAL_ERRORS.map(
    (e) => `<tr><td><a href="/docs/errors/${e.code}"><code>${e.code}</code></a></td><td>${esc(e.type)}</td><td>${e.http_status}</td><td>${esc(e.title)}</td></tr>`,
  ).join('');
  return page('Errors', `<h1>Errors</h1><p>Every error Switchboard reports, whichever provider it came from.</p><table><thead><tr><th>Code</th><th>Type</th><th>HTTP</th><th>Title</th></tr></thead><tbody>${rows}</tbody></table>`);
}

function unknownPage(code: string): string {
  return page('Unknown error', `<h1>No error is named <code>${esc(code)}</code></h1><p>Switchboard has no canonical error of that name. <a href="/docs/errors">All errors</a> lists every one.</p>`);
}

/** The q of each media type an Accept header lists. */
function qualities(accept: string): Map<string, number> {
  return new Map(
    accept.split(',').map((part) => {
      const [type = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return [type, q === undefined ? 1 : Number(q.slice(2)) || 0];
    }),
  );
}

/** A browser asks for HTML by name; an API client (asking for any type, or JSON) keeps the canonical JSON error. */
function wantsHtml(accept: string | undefined): boolean {
  if (accept === undefined) return false;
  const q = qualities(accept);
  return (q.get('text/html') ?? 0) > 0 && (q.get('text/html') ?? 0) >= (q.get('application/json') ?? 0);
}

/** Readable pages for every canonical error: where each error's doc_url points. */
export const docsRoutes = ({ catalogue }: Services): FastifyPluginAsync =>
  async (app) => {
    app.get('/docs/errors', { schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(indexPage()));
    app.get<{ Params: { code: string } }>('/docs/errors/:code', { schema: { hide: true } }, async (request, reply) => {
      const def = CANONICAL_ERRORS.find((e) => e.code === request.params.code);
      if (!def && wantsHtml(request.headers.accept)) return reply.code(404).type('text/html; charset=utf-8').send(unknownPage(request.params.code));
      if (!def) throw new SwitchboardError('not_found', `No canonical error is named ${JSON.stringify(request.params.code)}.`, { param: 'code' });
      return reply.type('text/html; charset=utf-8').send(errorPage(catalogue, def));
    });
  };
