import type { OutboundMessage } from '../../app/connector.js';

/** The values a request template may name, each as `{{name}}`, `{{name|url}}` or `{{name|json}}`. */
export function templateValues(message: OutboundMessage, callbackUrl: string): Record<string, string> {
  return {
    id: message.id,
    to: message.to,
    to_digits: message.to.slice(1),
    from: message.from,
    text: message.text,
    encoding: message.encoding,
    data_coding: message.encoding === 'GSM-7' ? '0' : '8',
    parts: String(message.parts.length),
    callback_url: callbackUrl,
  };
}

const PLACEHOLDER = /\{\{\s*([a-z_]+)\s*(?:\|\s*(url|json))?\s*\}\}/g;

/** Names a template uses that are not values: a configuration mistake, reported at start. */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set(Object.keys(templateValues({ id: '', to: '+1', from: '', text: '', encoding: 'GSM-7', parts: [''], expiresAt: 0, attempt: 1 }, '')));
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !known.has(name));
}

export function render(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(PLACEHOLDER, (_all, name: string, filter: string | undefined) => {
    const value = values[name] ?? '';
    if (filter === 'url') return encodeURIComponent(value);
    if (filter === 'json') return JSON.stringify(value);
    return value;
  });
}

/** A value at a dotted path of parsed JSON ("data.id", "messages.0.id"). */
export function pick(json: unknown, path: string): string | undefined {
  let at: unknown = json;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at === undefined || at === null || typeof at === 'object' ? undefined : String(at);
}
