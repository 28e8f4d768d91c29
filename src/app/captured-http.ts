/** The payload a captured HTTP message carries, as a provider's reader takes it. */
export interface CapturedPayload {
  readonly body: string;
  readonly contentType?: string;
}

const REQUEST_LINE = /^([A-Z]+) (\S+) HTTP\/\d(?:\.\d)?$/;
const STATUS_LINE = /^HTTP\/\d(?:\.\d)? \d{3}\b/;

/** A chunked body (Transfer-Encoding: chunked) put back together; undefined when it is not well formed. */
function unchunk(body: string): string | undefined {
  let out = '';
  let rest = body;
  for (;;) {
    const m = /^([0-9a-f]+)[^\r\n]*\r?\n/i.exec(rest);
    if (!m) return undefined;
    const size = Number.parseInt(m[1]!, 16);
    if (size === 0) return out;
    rest = rest.slice(m[0].length);
    out += rest.slice(0, size);
    rest = rest.slice(size).replace(/^\r?\n/, '');
  }
}

/**
 * Reads a whole HTTP request or response as a proxy log or ngrok's inspector shows it (start
 * line, headers, a blank line, the body) and gives the payload a provider's reader takes: the
 * body with its Content-Type, or, for a request without a body (a GET callback), the query string
 * of its target. Undefined when the text is not such a message, so that it is read as it is.
 */
export function capturedPayload(raw: string): CapturedPayload | undefined {
  const text = raw.replace(/^\s+/, '');
  const head = /\r?\n\r?\n/.exec(text);
  const lines = (head ? text.slice(0, head.index) : text.trimEnd()).split(/\r?\n/);
  const start = lines[0] ?? '';
  const request = REQUEST_LINE.exec(start);
  if (!request && !STATUS_LINE.test(start)) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = head ? text.slice(head.index + head[0].length) : '';
  if (/chunked/i.test(headers.get('transfer-encoding') ?? '')) body = unchunk(body) ?? body;
  const contentType = headers.get('content-type');
  if (body.trim() === '' && request) {
    const target = request[2]!;
    const query = target.includes('?') ? target.slice(target.indexOf('?') + 1) : '';
    return { body: query, contentType: 'application/x-www-form-urlencoded' };
  }
  return { body, ...(contentType !== undefined && { contentType }) };
}
