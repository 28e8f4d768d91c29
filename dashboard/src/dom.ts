/** A child of an element: text, an element, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`on*` functions become listeners) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value as EventListener);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(typeof child === 'number' ? String(child) : child);
  return el;
}

/** Replaces what `el` holds. */
export function show(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) el.append(typeof child === 'number' ? String(child) : child);
}

export function when(iso: string | null): string {
  return iso === null ? '—' : new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
}

/** A status as a badge: its word, never only its colour. */
export function badge(status: string): HTMLElement {
  return h('span', { class: `badge s-${status}` }, status);
}

/** Form fields by name, as strings (empty ones left out). */
export function fields(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) if (typeof value === 'string' && value.trim() !== '') out[name] = value.trim();
  return out;
}

/** A labelled input: every field has a visible label tied to it. */
export function field(label: string, name: string, attrs: Record<string, unknown> = {}): HTMLElement {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  return h('label', { for: id }, h('span', {}, label), h('input', { id, name, ...attrs }));
}

/** A labelled choice of options, each a value shown as itself or a [value, text] pair; '' reads "any". */
export function select(label: string, name: string, options: readonly (string | readonly [string, string])[], value = ''): HTMLElement {
  const id = `f-${name}-${Math.random().toString(36).slice(2, 7)}`;
  const pairs = options.map((o) => (typeof o === 'string' ? [o, o === '' ? 'any' : o] : o));
  return h('label', { for: id }, h('span', {}, label), h('select', { id, name }, pairs.map(([v, text]) => h('option', { value: v, selected: v === value }, text))));
}
