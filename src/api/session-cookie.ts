import type { FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { SESSION_MS } from '../app/users.js';
import { SwitchboardError } from '../core/errors.js';

/** The dashboard's session cookie, and the header its writes carry the CSRF token in. */
export const SESSION_COOKIE = 'sb_session';
export const CSRF_HEADER = 'x-csrf-token';

/** Methods that change nothing: a session needs no CSRF token for them (the browser's same-origin rule keeps their answers from other sites). */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session token in a Cookie header, if any. */
export function sessionToken(cookieHeader: string | undefined): string | undefined {
  for (const part of cookieHeader?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/**
 * A write made with a session must carry its CSRF token: a page on another site can make the
 * browser send the cookie, never read the token. SameSite=Strict refuses such requests too; this
 * holds where a browser does not.
 */
export function checkCsrf(request: FastifyRequest, expected: string): void {
  if (SAFE_METHODS.has(request.method)) return;
  const sent = request.headers[CSRF_HEADER];
  const ok = typeof sent === 'string' && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
  if (!ok) throw new SwitchboardError('permission_denied', `A change made with a session must carry its CSRF token in the ${CSRF_HEADER} header (GET /v1/session gives it).`, { param: CSRF_HEADER });
}

/** Sets the cookie: HttpOnly (no script reads it), SameSite=Strict (no other site sends it), Secure over HTTPS. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header('set-cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_MS / 1000}${secure}`);
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`);
}
