import type { FastifyRequest } from 'fastify';
import type { Caller } from '../app/keys.js';
import { SwitchboardError } from '../core/errors.js';
import type { Services } from './services.js';
import { checkCsrf, sessionToken } from './session-cookie.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * Who calls: a bearer key, or else a dashboard session (its cookie, and on a write its CSRF
 * token), the session's role read as a key's scopes. A key wins when both are sent.
 */
export async function authenticate(services: Services, request: FastifyRequest): Promise<Caller> {
  const header = request.headers.authorization;
  const token = header === undefined ? sessionToken(request.headers.cookie) : undefined;
  if (token !== undefined) {
    const session = await services.users.authenticate(token);
    checkCsrf(request, session.csrf);
    request.session = session;
    return session.caller;
  }
  if (!header) throw new SwitchboardError('missing_api_key', 'Send your API key in the `Authorization: Bearer <key>` header.');
  const key = BEARER.exec(header)?.[1];
  if (!key) throw new SwitchboardError('invalid_api_key', 'The Authorization header must be `Bearer <key>`.');
  return services.keys.authenticate(key);
}
