// Building the page from data without ever parsing data as HTML: every text is a text node.

/**
 * `h('p', { class: 'x', onclick: fn }, 'text', child, [more])`: an element. Attributes that
 * are `null`, `undefined` or `false` are left out; `true` sets an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    parent.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return parent;
}

const SVG = 'http://www.w3.org/2000/svg';
/** An SVG element; attributes as in `h`. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

let counter = 0;
/** A page-unique id, for label `for` and `aria-describedby`. */
export const uid = (prefix = 'id') => `${prefix}-${++counter}`;

/** `decisionFinalOn` / `verify-protection-status` → "Decision final on" / "Verify protection status". */
export function humanise(name) {
  const words = String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Goes to a route; the same route again re-renders it (a filter sent twice refreshes the list). */
export function navigate(hash) {
  if (location.hash === hash) window.dispatchEvent(new Event('hashchange'));
  else location.hash = hash;
}

/** Says something to screen-reader users without moving focus. */
export function announce(text) {
  const region = document.getElementById('announce');
  if (!region) return;
  region.textContent = '';
  // A new text node after a tick is announced even when it repeats the last message.
  setTimeout(() => (region.textContent = text), 50);
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** A value as short readable text: dates as they are, instants in local time, lists joined. */
export function text(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(text).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${humanise(k)}: ${text(v)}`)
      .join('; ');
  }
  if (typeof value === 'string' && DATE_TIME.test(value)) return formatInstant(value);
  return String(value);
}

export function formatInstant(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A table of objects: `columns` as `[key, label, render?]`; without columns, every key
 * found. `render(value, item)` may answer a Node.
 */
export function table(items, columns, { caption } = {}) {
  const cols = columns ?? [...new Set(items.flatMap((item) => Object.keys(item)))].map((key) => [key, humanise(key)]);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      caption ? h('caption', {}, caption) : null,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          cols.map(([, label]) => h('th', { scope: 'col' }, label)),
        ),
      ),
      h(
        'tbody',
        {},
        items.map((item) =>
          h(
            'tr',
            {},
            cols.map(([key, , render]) => {
              const out = render ? render(item[key], item) : text(item[key]);
              return h('td', {}, out);
            }),
          ),
        ),
      ),
    ),
  );
}

/** Any value as nested description lists and tables: the "everything recorded" view. */
export function describe(value) {
  if (value === null || value === undefined || typeof value !== 'object') return h('span', {}, text(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', {}, '—');
    if (value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      return table(value, undefined);
    }
    return h('span', {}, text(value));
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return h('span', {}, '—');
  return h(
    'dl',
    { class: 'record' },
    entries.map(([k, v]) => [h('dt', {}, humanise(k)), h('dd', {}, describe(v))]),
  );
}

/** A notice box; `kind` is info, ok, warn or error. */
export function notice(kind, ...children) {
  return h('div', { class: `notice notice-${kind}` }, ...children);
}
