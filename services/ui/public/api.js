// The API as the UI uses it: the token from sessionStorage, JSON in and out, Problem Details
// (RFC 9457) turned into an ApiError the views can show. Every call sends the UI's language
// as Accept-Language, so Problem Details come back in it.
import { apiLanguage, language, pseudoText, PSEUDO, t } from './i18n.js';

const TOKEN_KEY = 'rrc.token';
const PRINCIPAL_KEY = 'rrc.principal';
const POSITION_KEY = 'rrc.position';
const RECENT_KEY = 'rrc.recentCases';

// Where `api()` gets its token: the stored one, or (signed in at an OIDC provider) auth.js's
// `freshToken`, which renews it shortly before it expires.
let tokenSource = async () => session.token;
export function setTokenSource(source) {
  tokenSource = source;
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  signIn(token) {
    sessionStorage.clear(); // nothing of the last user's session carries over
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  /** A renewed token of the same sign-in (auth.js): the session carries on. */
  replaceToken(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.clear();
  },
  /**
   * Who is signed in, for display and the choice of pages only (the server verifies the token
   * on every call): what `GET /v1/me` said for a provider's token (whose roles have names of
   * the provider's own), else the pasted token's claims.
   */
  get claims() {
    const token = this.token;
    if (!token) return null;
    const principal = sessionStorage.getItem(PRINCIPAL_KEY);
    return principal ? JSON.parse(principal) : decodeJwt(token);
  },
  set principal(p) {
    sessionStorage.setItem(PRINCIPAL_KEY, JSON.stringify(p));
  },
  /** The global position of this session's last write: reads wait for it (read-your-writes). */
  get position() {
    const p = sessionStorage.getItem(POSITION_KEY);
    return p === null ? undefined : Number(p);
  },
  set position(p) {
    if (typeof p === 'number' && !(p <= (this.position ?? -1))) sessionStorage.setItem(POSITION_KEY, String(p));
  },
  /** Case ids opened or visited in this tab (ids only, never names). */
  get recentCases() {
    try {
      return JSON.parse(sessionStorage.getItem(RECENT_KEY) ?? '[]');
    } catch {
      return [];
    }
  },
  rememberCase(caseId) {
    const list = [caseId, ...this.recentCases.filter((id) => id !== caseId)].slice(0, 10);
    sessionStorage.setItem(RECENT_KEY, JSON.stringify(list));
  },
};

/** The payload of a JWT, or null when it is not one. */
export function decodeJwt(token) {
  const part = String(token).split('.')[1];
  if (!part) return null;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** The problem shown when the server did not answer at all. */
export const noAnswer = () =>
  new ApiError(0, { status: 0, title: t('problem.noAnswer'), detail: t('problem.noAnswerDetail') });

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? { status, title: `HTTP ${status}`, detail: '' };
  }
}

/**
 * `api('/v1/cases/x')` → `{ data, etag, status }`; throws ApiError for 4xx/5xx. A 401 also
 * tells the app (the token expired or was refused), which offers to sign in again.
 */
export async function api(path, { method = 'GET', body, headers = {}, accept = 'application/json' } = {}) {
  const token = await tokenSource();
  const init = {
    method,
    headers: {
      Accept: accept,
      'Accept-Language': apiLanguage(),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  };
  let res;
  try {
    res = await fetch(path, init);
  } catch {
    throw noAnswer();
  }
  const type = res.headers.get('content-type') ?? '';
  let data = null;
  if (type.includes('json')) data = await res.json().catch(() => null);
  else if (accept !== 'application/json') data = await res.blob();
  else data = await res.text();
  if (!res.ok) {
    if (res.status === 401) window.dispatchEvent(new CustomEvent('rrc:unauthenticated'));
    const problem = data && typeof data === 'object' && !(data instanceof Blob) ? data : undefined;
    throw new ApiError(res.status, problem);
  }
  return { data, etag: res.headers.get('ETag'), status: res.status, headers: res.headers };
}

/** A query string from the set values of `params`. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A fresh Idempotency-Key; `randomUUID` needs a secure context, so fall back when served over plain http. */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let openapi;
/** The OpenAPI document (public), fetched once: it holds every action's body schema. */
export function openApi() {
  openapi ??= fetch('/openapi.json', { headers: { Accept: 'application/json' } }).then((r) => {
    if (!r.ok) throw new ApiError(r.status);
    return r.json();
  });
  openapi.catch(() => (openapi = undefined));
  return openapi;
}

/** The JSON schema of a request body: `bodySchema('/v1/cases/{caseId}/plan-removal')`. */
export async function bodySchema(path) {
  const doc = await openApi();
  return doc.paths?.[path]?.post?.requestBody?.content?.['application/json']?.schema ?? null;
}

let rules;
/** Rule id → plain words in the UI's language, from `/ui/rules.json?lang=` (domain/rule-texts.ts). */
export function ruleTexts() {
  rules ??= fetch(`/ui/rules.json?lang=${apiLanguage()}`)
    .then((r) => (r.ok ? r.json() : {}))
    .then((texts) =>
      language() === PSEUDO
        ? Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, `[${pseudoText(v)}]`]))
        : texts,
    )
    .catch(() => ({}));
  return rules;
}
