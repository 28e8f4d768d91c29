import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SwitchboardError } from '../../core/errors.js';

/** The package's root, from this file's place in dist/src/api/routes. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** The page and its styles as written, and the scripts as `npm run build` compiled them. */
const FOLDERS = [join(ROOT, 'dashboard', 'public'), join(ROOT, 'dist', 'dashboard')];

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.svg': 'image/svg+xml' };

/** Everything the dashboard may serve, read once: a name outside this table is never looked up on disk. */
function loadAssets(): Map<string, { type: string; body: Buffer }> {
  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const folder of FOLDERS) {
    for (const name of readdirSync(folder)) {
      const type = TYPES[extname(name)];
      if (type) assets.set(name, { type, body: readFileSync(join(folder, name)) });
    }
  }
  return assets;
}

/** The page may load only its own scripts and styles, talk only to this server, and never sit in a frame. */
const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The dashboard, served by the node itself: `/` and `/dashboard` answer its page, `/dashboard/<asset>` its files. */
export const dashboardRoutes = (): FastifyPluginAsync =>
  async (app) => {
    const assets = loadAssets();
    const send = (reply: FastifyReply, name: string) => {
      const asset = assets.get(name);
      if (!asset) throw new SwitchboardError('not_found', `The dashboard has no file ${JSON.stringify(name)}.`);
      return reply.headers(SECURITY_HEADERS).header('cache-control', 'no-cache').type(asset.type).send(asset.body);
    };
    const page = { schema: { summary: 'The dashboard', hide: true } };
    app.get('/', page, async (_request, reply) => send(reply, 'index.html'));
    app.get('/dashboard', page, async (_request, reply) => send(reply, 'index.html'));
    app.get<{ Params: { '*': string } }>('/dashboard/*', page, async (request, reply) => send(reply, request.params['*']));
  };
