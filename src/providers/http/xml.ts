/** A value read from XML: an element's text, or its children by name (repeated ones as a list). */
export type XmlValue = string | boolean | XmlValue[] | { readonly [name: string]: XmlValue };

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

/**
 * Reads the XML answer of an HTTP provider (SMSPartner's `_format=xml`, for one) as the JSON
 * answer it stands for: the root element's children by name, a leaf as its text (`true` and
 * `false` as booleans), an element
 * repeated under one parent as a list. Attributes, namespaces and mixed content are not read:
 * these answers have none. Throws saying where the document is malformed.
 */
export function readXml(text: string): XmlValue {
  const source = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '');
  const stack: { name: string; children: [string, XmlValue][]; text: string }[] = [{ name: '', children: [], text: '' }];
  const tag = /<!\[CDATA\[([\s\S]*?)\]\]>|<(\/?)([\w:.-]+)[^>]*?(\/?)>|([^<]+)/g;
  for (const m of source.matchAll(tag)) {
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) top.text += m[1];
    else if (m[5] !== undefined) top.text += decode(m[5]);
    else if (m[2] === '/') {
      if (top.name !== m[3]) throw new Error(`the XML closes <${m[3]}> where <${top.name || 'nothing'}> is open`);
      stack.pop();
      stack[stack.length - 1]!.children.push([top.name, valueOf(top)]);
    } else if (m[4] === '/') top.children.push([m[3]!, '']);
    else stack.push({ name: m[3]!, children: [], text: '' });
  }
  if (stack.length !== 1) throw new Error(`the XML leaves <${stack[stack.length - 1]!.name}> open`);
  const [root] = stack[0]!.children;
  if (!root || stack[0]!.children.length > 1) throw new Error('the XML has no single root element');
  return root[1];
}

function valueOf(element: { children: [string, XmlValue][]; text: string }): XmlValue {
  const text = element.text.trim();
  // As the JSON answer has them.
  if (element.children.length === 0) return text === 'true' ? true : text === 'false' ? false : text;
  const names = new Set(element.children.map(([name]) => name));
  // One name repeated (<entry>, <item>...): a list.
  if (names.size === 1 && element.children.length > 1) return element.children.map(([, v]) => v);
  const out: Record<string, XmlValue> = {};
  for (const [name, value] of element.children) {
    const seen = out[name];
    out[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/** Whether a payload is XML rather than JSON or a form. */
export function looksLikeXml(text: string): boolean {
  return text.trimStart().startsWith('<');
}
