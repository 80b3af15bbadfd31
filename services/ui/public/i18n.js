// The UI's language: message catalogues in ICU MessageFormat (intl-messageformat, served from
// node_modules by plugin.ts), dates, numbers and durations through Intl. The language follows
// the browser until the user picks one, which is remembered (localStorage: it is a preference,
// not part of the sign-in session that sessionStorage holds). Arabic lays out right to left.
import { IntlMessageFormat } from './vendor/intl-messageformat.js';

/** The languages offered, each named in itself (never translated: a reader looks for their own). */
export const LANGUAGES = [
  ['en', 'English'],
  ['fr', 'Français'],
  ['ar', 'العربية'],
];
const RTL = new Set(['ar']);
/**
 * A pseudo-locale for tests: English with accents and brackets, made from the English
 * catalogue here, so any text that did not go through the catalogue stands out as plain ASCII.
 * Not offered in the language menu; chosen with `localStorage['rrc.lang'] = 'en-XA'`.
 */
export const PSEUDO = 'en-XA';
const STORE_KEY = 'rrc.lang';

let current = 'en';
let catalogue = {};
const compiled = new Map();

/** The stored choice, else the browser's first language we speak, else English. */
export function chooseLanguage() {
  const stored = safeStorage()?.getItem(STORE_KEY);
  if (stored === PSEUDO || LANGUAGES.some(([code]) => code === stored)) return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES.some(([code]) => code === primary)) return primary;
  }
  return 'en';
}

function safeStorage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: the choice lasts for this page only
  }
}

/** Loads the chosen language's catalogue and sets `lang` and `dir` on the document. */
export async function initI18n(language = chooseLanguage()) {
  current = language;
  const base = language === PSEUDO ? 'en' : language;
  const res = await fetch(`/ui/locales/${base}.json`, { headers: { Accept: 'application/json' } });
  const messages = res.ok ? await res.json() : {};
  catalogue = language === PSEUDO ? pseudoCatalogue(messages) : messages;
  compiled.clear();
  document.documentElement.lang = language;
  document.documentElement.dir = RTL.has(language) ? 'rtl' : 'ltr';
}

/** The language in use (`en`, `fr`, `ar`, or the pseudo-locale in tests). */
export const language = () => current;
/** The language the API should answer in: the pseudo-locale reads English. */
export const apiLanguage = () => (current === PSEUDO ? 'en' : current);
/** The locale Intl formats with: the pseudo-locale formats as English. */
const intlLocale = () => (current === PSEUDO ? 'en' : current);
export const isRtl = () => RTL.has(current);

/**
 * An id, reference or code inside a right-to-left sentence, kept left to right (Unicode
 * isolates): a case id's hyphens would otherwise reorder its parts. Left-to-right pages get
 * the text as it is.
 */
export const ltr = (s) => (RTL.has(current) && s !== undefined && s !== null ? `\u2066${s}\u2069` : s);

/** Remembers the choice and shows the page again in it (the route stays). */
export function setLanguage(code) {
  safeStorage()?.setItem(STORE_KEY, code);
  location.reload();
}

/**
 * The message `key` with `values`, formatted for the current language. A key missing from the
 * catalogue shows as the key itself (and a console warning): the catalogue spec keeps that
 * from shipping.
 */
export function t(key, values) {
  const message = catalogue[key];
  if (message === undefined) {
    console.warn(`i18n: no message ${key} for ${current}`);
    return key;
  }
  let mf = compiled.get(key);
  if (!mf) {
    mf = new IntlMessageFormat(message, intlLocale(), undefined, { ignoreTag: true });
    compiled.set(key, mf);
  }
  return String(mf.format(values));
}

/** Whether the catalogue has `key` (labels derived from names fall back when it does not). */
export const has = (key) => Object.hasOwn(catalogue, key);

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** Intl's words (month names, units) accented too in the pseudo-locale, so they are seen to be formatted. */
const pseudoIf = (s) => (current === PSEUDO ? pseudoText(s) : s);

/** `2026-11-05` → "5 Nov 2026" / « 5 nov. 2026 » / «٥ نوفمبر ٢٠٢٦»: a calendar date, no zone. */
export function formatDate(iso) {
  if (!DATE_ONLY.test(String(iso))) return String(iso);
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(iso);
  return pseudoIf(new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(d));
}

/** An instant in the browser's zone, date and time. */
export function formatInstant(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return pseudoIf(new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d));
}

export const formatNumber = (n, options) => pseudoIf(new Intl.NumberFormat(intlLocale(), options).format(n));

/** A share: 0.873 (or 87.3) → "87.3%" in the language's own way. */
export function formatPercent(v) {
  if (typeof v !== 'number') return '—';
  return formatNumber(v <= 1 ? v : v / 100, { style: 'percent', maximumFractionDigits: 1 });
}

/** A duration of `value` days or hours: "3 days", « 3 jours », «٣ أيام». */
export function formatDuration(value, unit = 'day', unitDisplay = 'long') {
  if (typeof value !== 'number') return '—';
  return formatNumber(value, { style: 'unit', unit, unitDisplay, maximumFractionDigits: 2 });
}

/** A list: "a, b and c" in the language's own way. */
export function formatList(items, type = 'conjunction') {
  return pseudoIf(new Intl.ListFormat(intlLocale(), { style: 'long', type }).format(items.map(String)));
}

// ---------------------------------------------------------------------------------------
// The pseudo-locale: every literal of every English message accented and bracketed; the
// placeholders and plural/select structure stay, so the messages still format.

const ACCENTS = {
  a: 'á',
  b: 'ƀ',
  c: 'ç',
  d: 'ð',
  e: 'é',
  f: 'ƒ',
  g: 'ĝ',
  h: 'ĥ',
  i: 'í',
  j: 'ĵ',
  k: 'ķ',
  l: 'ļ',
  m: 'ɱ',
  n: 'ñ',
  o: 'ó',
  p: 'þ',
  q: 'ǫ',
  r: 'ŕ',
  s: 'š',
  t: 'ţ',
  u: 'ú',
  v: 'ṽ',
  w: 'ŵ',
  x: 'ẋ',
  y: 'ý',
  z: 'ž',
  A: 'Á',
  B: 'Ɓ',
  C: 'Ç',
  D: 'Ð',
  E: 'É',
  F: 'Ƒ',
  G: 'Ĝ',
  H: 'Ĥ',
  I: 'Í',
  J: 'Ĵ',
  K: 'Ķ',
  L: 'Ļ',
  M: 'Ṁ',
  N: 'Ñ',
  O: 'Ó',
  P: 'Þ',
  Q: 'Ǫ',
  R: 'Ŕ',
  S: 'Š',
  T: 'Ţ',
  U: 'Ú',
  V: 'Ṽ',
  W: 'Ŵ',
  X: 'Ẋ',
  Y: 'Ý',
  Z: 'Ž',
};
export const pseudoText = (s) => s.replace(/[A-Za-z]/g, (c) => ACCENTS[c] ?? c);

const LITERAL = 0;
const SELECT = 5;
const PLURAL = 6;
const TAG = 8;

function pseudoAst(elements) {
  return elements.map((el) => {
    if (el.type === LITERAL) return { ...el, value: pseudoText(el.value) };
    if (el.type === SELECT || el.type === PLURAL) {
      const options = Object.fromEntries(
        Object.entries(el.options).map(([k, o]) => [k, { ...o, value: pseudoAst(o.value) }]),
      );
      return { ...el, options };
    }
    if (el.type === TAG) return { ...el, children: pseudoAst(el.children) };
    return el;
  });
}

function pseudoCatalogue(messages) {
  return Object.fromEntries(
    Object.entries(messages).map(([key, message]) => {
      const ast = new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst();
      const open = { type: LITERAL, value: '[' };
      const close = { type: LITERAL, value: ']' };
      return [key, [open, ...pseudoAst(ast), close]];
    }),
  );
}

// ---------------------------------------------------------------------------------------
// Names from the API (schema properties, enum values, actions, events) as words: from the
// catalogue (`field.*`, `value.*`, `action.*`, `event.*`, `status.*`), else made from the name.

/** `decisionFinalOn` / `verify-protection-status` → "Decision final on" / "Verify protection status". */
export function humanise(name) {
  const words = String(name)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]/g, ' ')
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const named = (prefix) => (name) =>
  name === null || name === undefined || name === ''
    ? '—'
    : has(`${prefix}.${name}`)
      ? t(`${prefix}.${name}`)
      : humanise(name);

/** A schema property or data key, as a label. */
export const fieldLabel = named('field');
/** An enum value (a mode, a kind, an obstacle type, a relationship…). */
export const valueLabel = named('value');
/** A case action, as its form's title and button. */
export const actionLabel = named('action');
/** An event type of the timeline. */
export const eventLabel = named('event');
/** A case or request status (or outcome), as its badge says it. */
export const statusLabel = (s) =>
  s === null || s === undefined ? '—' : has(`status.${s}`) ? t(`status.${s}`) : String(s);
