/** The signed-in user, as GET /v1/session answers. */
export interface Session {
  readonly user: { readonly id: string; readonly email: string; readonly name: string | null; readonly role: string; readonly account_id: string };
  readonly scopes: readonly string[];
  readonly csrf_token: string;
}

/** An answer in the API's canonical error format. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

let session: Session | null = null;

export function current(): Session | null {
  return session;
}

export function setSession(s: Session | null): void {
  session = s;
}

export function can(scope: string): boolean {
  return session !== null && (session.scopes.includes(scope) || session.scopes.includes('admin'));
}

/**
 * Calls the public API with the session cookie; every change carries the CSRF token. The
 * dashboard has no other way to the data than this.
 */
export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session) headers['x-csrf-token'] = session.csrf_token;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(options.body !== undefined && { body: JSON.stringify(options.body) }) });
  if (res.status === 204) return undefined as T;
  const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; param?: string | null } };
  if (!res.ok) {
    const e = body.error ?? { code: 'internal_error', message: `HTTP ${res.status}` };
    throw new ApiError(res.status, e.code, e.message, e.param ?? null);
  }
  return body as T;
}

/** A query string of the non-empty values. */
export function query(values: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') q.set(k, v);
  const text = q.toString();
  return text === '' ? '' : `?${text}`;
}
