// Building the page from data without ever parsing data as HTML: every text is a text node.
import { fieldLabel, formatDate, formatInstant, formatNumber, humanise, statusLabel, t, valueLabel } from './i18n.js';

export { formatInstant, humanise };

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
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A value as short readable text: dates and instants through Intl (instants in local time), lists joined. */
export function text(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(text).join(t('common.listSeparator'));
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => t('common.labelled', { label: fieldLabel(k), value: text(v) }))
      .join(t('common.groupSeparator'));
  }
  if (typeof value === 'string' && DATE_TIME.test(value)) return formatInstant(value);
  if (typeof value === 'string' && DATE_ONLY.test(value)) return formatDate(value);
  if (typeof value === 'number') return formatNumber(value);
  return String(value);
}

/** Keys whose values are names from a list (enum values), shown in words rather than as sent. */
const ENUM_KEYS = new Set([
  'procedure',
  'mode',
  'relationship',
  'sex',
  'kind',
  'type',
  'severity',
  'source',
  'reason',
  'conclusion',
  'outcome',
  'role',
  'class',
  'dayKind',
]);

/** A data value under `key`, as text: statuses and enum values in words, the rest as `text`. */
export function cellText(key, value) {
  if (typeof value === 'string' && key === 'status') return statusLabel(value);
  if (typeof value === 'string' && ENUM_KEYS.has(key)) return valueLabel(value);
  if (Array.isArray(value) && ENUM_KEYS.has(key)) return value.map(valueLabel).join(t('common.listSeparator')) || '—';
  return text(value);
}

/**
 * A table of objects: `columns` as `[key, label, render?]`; without columns, every key
 * found. `render(value, item)` may answer a Node.
 */
export function table(items, columns, { caption } = {}) {
  const cols = columns ?? [...new Set(items.flatMap((item) => Object.keys(item)))].map((key) => [key, fieldLabel(key)]);
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
              const out = render ? render(item[key], item) : cellText(key, item[key]);
              return h('td', {}, out);
            }),
          ),
        ),
      ),
    ),
  );
}

/** Any value as nested description lists and tables: the "everything recorded" view. */
export function describe(value, key = '') {
  if (value === null || value === undefined || typeof value !== 'object') return h('span', {}, cellText(key, value));
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', {}, '—');
    if (value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) {
      return table(value, undefined);
    }
    return h('span', {}, cellText(key, value));
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return h('span', {}, '—');
  return h(
    'dl',
    { class: 'record' },
    entries.map(([k, v]) => [h('dt', {}, fieldLabel(k)), h('dd', {}, describe(v, k))]),
  );
}

/** A notice box; `kind` is info, ok, warn or error. */
export function notice(kind, ...children) {
  return h('div', { class: `notice notice-${kind}` }, ...children);
}
