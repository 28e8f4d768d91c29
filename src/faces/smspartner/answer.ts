/** An answer's fields, in SMSPartner's names and order: scalars, lists and objects of them. */
export type AnswerValue = string | number | boolean | null | readonly AnswerValue[] | { readonly [name: string]: AnswerValue };
export type Answer = { readonly [name: string]: AnswerValue };

export type Format = 'json' | 'xml';

/** `_format=xml` asks for XML; anything else is SMSPartner's default, JSON. */
export function formatOf(params: Readonly<Record<string, string>>): Format {
  return params._format?.toLowerCase() === 'xml' ? 'xml' : 'json';
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function xmlOf(value: AnswerValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map((item) => `<entry>${xmlOf(item)}</entry>`).join('');
  if (typeof value === 'object') return Object.entries(value as Record<string, AnswerValue>).map(([name, v]) => `<${name}>${xmlOf(v)}</${name}>`).join('');
  return escapeXml(String(value));
}

/** The answer as its bytes: JSON, or the same fields as elements of `<result>` (lists as `<entry>`s). */
export function render(format: Format, answer: Answer): { type: string; body: string } {
  if (format === 'json') return { type: 'application/json', body: JSON.stringify(answer) };
  return { type: 'application/xml', body: `<?xml version="1.0" encoding="UTF-8"?>\n<result>${xmlOf(answer)}</result>` };
}
