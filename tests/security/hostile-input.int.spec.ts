/**
 * Hostile input: a fast-check model of what an attacker or a broken client sends, at least
 * 10,000 requests per run through `app.inject`: malformed JSON, wrong types, strings up to
 * and past the 1 MiB body limit, unicode (RTL overrides, zero-width, lone surrogates, NUL),
 * deep nesting, prototype-pollution keys, bad and duplicate headers, bad tokens (expired,
 * wrong key, `alg: none`, HS/RS confusion, wrong audience and issuer, garbage), path tricks
 * (`..`, encoded slashes, very long and unicode ids), wrong methods and content types.
 * Every answer: no 5xx; every error is Problem Details with no stack trace, no file path and
 * none of the input's strings in `detail`; nothing is polluted; and the server is healthy after.
 * Fixed seed, `FC_SEED=<n>` to change it (the seed is printed), `FC_RUNS=<n>` for more runs.
 *
 * Protection: the single error handler `problemPlugin` (services/api/plugins/problem.ts),
 * which maps every error to Problem Details and hides 5xx and framework messages.
 * Remove its `setErrorHandler` → fastify's default handler answers plain JSON errors with
 * `message`s quoting the input (and `application/json`, not problem+json) → the spec fails.
 */
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES, type ActionName } from '../../contracts/index.ts';
import { BODY_LIMIT } from '../../services/api/app.ts';
import { BODIES } from '../support/api-flow.ts';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/test-app.ts';

const SEED = Number(process.env.FC_SEED ?? 424242);
const RUNS = Number(process.env.FC_RUNS ?? 10_000);
const ISSUER = 'https://idp.rrc.test/';
const AUDIENCE = 'rrc-api';

/** Marks every string the model makes up, so an echo of the input is easy to see. */
const MARK = 'qqHOSTILEqq';
const KEY_MARK = 'qqKEYqq';

const SPECIAL = [
  '\u202Egnp.exe', // right-to-left override
  '\u200B\u200C\u200D\u2060\uFEFF', // zero-width and BOM
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  'a\uDC00b\uD83D',
  '\u0000', // NUL
  'nul\u0000inside',
  '\u0001\u001F\u007F\u0085\u2028\u2029',
  'e\u0301\u0301\u0301', // combining marks
  '\uD83D\uDE00\uD83C\uDFF3\uFE0F\u200D\uD83C\uDF08', // emoji ZWJ sequence
  'مرحبا עולם', // RTL scripts
  '𝕏𝔂𝔃',
  '<script>alert(1)</script>',
  "'; DROP TABLE events; --",
  '${jndi:ldap://127.0.0.1/x}',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '{{7*7}}',
  ' ',
  '',
];

// ---------------------------------------------------------------------------------------
// Arbitraries

const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  maxLength: 4,
});
const nastyText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SPECIAL),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  loneSurrogates,
  fc.tuple(fc.constantFrom(...SPECIAL), fc.string({ maxLength: 10 }), loneSurrogates).map((p) => p.join('')),
);
/** A value the model sends: never to be seen again in an answer. */
const nastyString = nastyText.map((s) => `${s}${MARK}`);
/**
 * A field name the model makes up. The answer to an unknown field names it (api.md: strict
 * schemas, the field named in `errors`), so these may come back in `errors`, never in `detail`.
 */
const nastyKey = nastyText.map((s) => `${KEY_MARK}${s}`);

/** A value of some other type than the field expects. */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  nastyString,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant([]),
  fc.constant({}),
  fc.array(nastyString, { maxLength: 3 }),
  fc.dictionary(nastyKey, nastyString, { maxKeys: 2 }),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -0, 1e308, -1e308, 5e-324),
);

const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'hasOwnProperty',
  'toString',
  'valueOf',
  '__defineGetter__',
];

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A valid body with one part broken: a field of the wrong type, removed, or an extra key. */
function mutate(base: Json, pathPick: number[], how: number, value: unknown, extraKey: string): Json {
  const clone: Json = structuredClone(base);
  let node: Json = clone;
  for (const pick of pathPick) {
    if (node === null || typeof node !== 'object') break;
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[pick % keys.length]!;
    const child: Json = (node as Record<string, Json>)[key]!;
    if (child === null || typeof child !== 'object' || how % 4 !== 0) {
      const target = node as Record<string, Json>;
      if (how % 4 === 1) delete target[key];
      else if (how % 4 === 2)
        Object.defineProperty(target, extraKey, { value, enumerable: true, configurable: true, writable: true });
      else target[key] = value as Json;
      return clone;
    }
    node = child;
  }
  if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
    Object.defineProperty(node, extraKey, { value, enumerable: true, configurable: true, writable: true });
  }
  return clone;
}

const validBodies: Record<string, Json> = {
  case: familyCaseBody(),
  agreement: agreementBody(),
  ...Object.fromEntries(ACTION_NAMES.map((a) => [a, BODIES[a] as unknown as Json])),
};

/** Bodies as raw text: JSON that is broken, huge, deep or tricky. */
const rawBody: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...Object.values(validBodies)),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.nat(),
        wrongValue,
        fc.oneof(nastyKey, fc.constantFrom(...POLLUTION_KEYS)),
      )
      .map(([b, path, how, v, k]) => JSON.stringify(mutate(b, path, how, v, k))),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom(...Object.values(validBodies)), fc.nat()).map(([b, cut]) => {
      const s = JSON.stringify(b);
      return s.slice(0, cut % s.length);
    }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      'null',
      'true',
      '0',
      '-0',
      '1e309',
      '"' + MARK + '"',
      '[]',
      '{}',
      '[{}]',
      '{"a":1,}',
      "{'a':1}",
      '{a:1}',
      'NaN',
      'Infinity',
      '{"x":1}/* comment */',
      '\uFEFF{}',
      '{"reasons":"x","reasons":"y"}',
      '{"note":"\\ud800"}',
      '{"note":"\\u0000"}',
      '{"__proto__":{"polluted":"' + MARK + '"}}',
      '{"constructor":{"prototype":{"polluted":"' + MARK + '"}}}',
      '{"reasons":"ok","__proto__":{"isAdmin":true}}',
      '{"__proto__":[]}',
      '{"\\u005f_proto__":{"polluted":1}}',
      '{"reasons":' + '"' + MARK + '\\"}',
      '{"reasons":"\\x41"}',
      '{"reasons":"\\u12"}',
      '\u0000',
      '{"a":"b"}\u0000',
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 200_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 100_000 }).map((n) => '['.repeat(n)) },
  // Around the 1 MiB limit: just under, at, just past and far past, in a valid field.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(-200, -20, 0, 1, 1000, BODY_LIMIT), fc.constantFrom('x', 'é', '\uD83D\uDE00', '\u0000'))
      .map(([delta, ch]) => {
        const frame = '{"type":"other","openedOn":"2026-11-02","note":""}';
        const n = Math.max(
          0,
          Math.floor((BODY_LIMIT + delta - frame.length) / Buffer.byteLength(JSON.stringify(ch).slice(1, -1))),
        );
        return frame.replace('"note":""', `"note":"${JSON.stringify(ch).slice(1, -1).repeat(n)}"`);
      }),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 10_001, max: 200_000 })
      .map((n) => JSON.stringify({ ...(BODIES['record-obstacle'] as object), note: 'x'.repeat(n) + MARK })),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 1, max: 20_000 })
      .map((n) => JSON.stringify({ reasons: MARK, extra: Array.from({ length: n }, (_, i) => i) })),
  },
);

interface Tokens {
  valid: Record<'caseworker' | 'liaison' | 'monitor' | 'analyst' | 'admin', string>;
  bad: string[];
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'APPLICATION/JSON',
  'application/problem+json',
  'application/merge-patch+json',
  'text/plain',
  'text/html',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'application/json, text/plain',
  'application/json;;',
  ';',
  '',
  '*/*',
  `application/${MARK}`,
  'application/json; boundary="\u00e9"',
];

const ACCEPTS = ['application/json', 'text/csv', '*/*', 'application/xml', 'text/html;q=0.1, */*;q=0', `x/${MARK}`, ''];

interface HostileRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  label: string;
}

function hostileRequest(
  tokens: Tokens,
  caseIds: { real: string; other: string },
  agreementId: string,
): fc.Arbitrary<HostileRequest> {
  const anyToken = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...Object.values(tokens.valid)) },
    { weight: 2, arbitrary: fc.constantFrom(...tokens.bad) },
    { weight: 1, arbitrary: nastyString },
    { weight: 1, arbitrary: fc.base64String({ maxLength: 200 }).map((s) => `${s}.${s}.${s}`) },
  );
  const authorization = fc.oneof(
    { weight: 16, arbitrary: anyToken.map((t) => `Bearer ${t}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: anyToken.map((t) => `bearer ${t}`) },
    { weight: 1, arbitrary: anyToken.map((t) => `Bearer  ${t} `) },
    { weight: 1, arbitrary: fc.tuple(anyToken, anyToken).map(([a, b]) => `Bearer ${a}, Bearer ${b}`) },
    { weight: 1, arbitrary: anyToken.map((t) => `Basic ${t}`) },
    { weight: 1, arbitrary: anyToken },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 12_000 }).map((n) => `Bearer ${'a'.repeat(n)}.${'b'.repeat(n)}.c`),
    },
  );
  const caseId = fc.oneof(
    { weight: 4, arbitrary: fc.constant(caseIds.real) },
    { weight: 1, arbitrary: fc.constant(caseIds.other) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 3, arbitrary: nastyString.map((s) => encodeURIComponent(s.replace(/[\uD800-\uDFFF]/g, '?'))) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '..',
        '.',
        '%2e%2e',
        '..%2F..%2Fhealth%2Flive',
        '%2F',
        '%2f%2f',
        '%00',
        '%',
        '%ZZ',
        '%E0%A4%A',
        '%C0%AE%C0%AE',
        '%EF%BF%BF',
        '%F0%9F%98%80',
        '%E2%80%AE' + MARK,
        '%ED%A0%80',
        '*',
        '~',
        ';x=1',
        'a%3Bb',
        '%20',
        '+',
        '%2B',
        caseIds.real.toUpperCase(),
        `${caseIds.real}%00`,
        `${caseIds.real}%2F..`,
        'case-' + caseIds.real,
        '__proto__',
        'constructor',
        'prototype',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 190, max: 5_000 }).map((n) => 'a'.repeat(n)) },
  );
  const query = fc.oneof(
    { weight: 5, arbitrary: fc.constant('') },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '?limit=0',
        '?limit=-1',
        '?limit=501',
        '?limit=1e309',
        '?limit=abc',
        '?limit=1&limit=2',
        '?limit[]=1',
        '?limit=%00',
        '?cursor=' + MARK,
        '?cursor=bzox',
        '?cursor=%FF',
        '?minPosition=-1',
        '?minPosition=1e20',
        '?minPosition=abc',
        '?__proto__[polluted]=1',
        '?constructor[prototype][polluted]=1',
        '?a=' + 'b'.repeat(5000),
        '?&&&==&',
        '?%',
        '?%E0%A4%A',
        '?status=' + MARK,
        '?overdue=maybe',
        '?from=2026-02-30&to=yesterday',
        '?caseId=' + MARK,
      ),
    },
  );
  const actionPath = fc.constantFrom(...ACTION_NAMES).map((a: ActionName) => `/${a}`);
  const casePath = fc.oneof(
    { weight: 8, arbitrary: fc.tuple(caseId, actionPath).map(([id, a]) => `/v1/cases/${id}${a}`) },
    { weight: 3, arbitrary: caseId.map((id) => `/v1/cases/${id}`) },
    { weight: 2, arbitrary: caseId.map((id) => `/v1/cases/${id}/history`) },
    { weight: 1, arbitrary: fc.constant('/v1/agreements') },
    {
      weight: 1,
      arbitrary: fc.constantFrom(agreementId, MARK, '..', '%2F', 'a'.repeat(300)).map((id) => `/v1/agreements/${id}`),
    },
    { weight: 1, arbitrary: fc.constantFrom(agreementId, MARK).map((id) => `/v1/agreements/${id}/amend`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '/v1/audit/reads',
        '/health/ready',
        '/health/live',
        '/metrics',
        '/v1/cases/',
        '/v1//cases',
        '/V1/CASES',
        '//v1/cases',
        '/v1/cases/../agreements',
        '/v1/./cases',
        '/%2Fv1/cases',
        '/v1%2Fcases',
        '/v1/cases/x/../../health/live',
        '/\u00e9',
        '/v1/' + MARK,
        '/' + 'x'.repeat(9000),
        '*',
        '/v1/cases/x#frag',
      ),
    },
  );
  // Read models wait up to 5 s for a `minPosition` past the log's head, then answer 503 with
  // Retry-After (api.md); the model sends them positions they have, or broken ones.
  const cursorOf = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const readModelQuery = fc.constantFrom(
    '',
    '?status=all',
    `?status=${MARK}`,
    '?overdue=true',
    '?overdue=maybe',
    `?originState=${MARK}`,
    '?originState=pk',
    '?from=2026-02-30&to=yesterday',
    '?from=2026-12-01&to=2026-01-01',
    '?limit=0',
    '?limit=501',
    '?limit=abc',
    '?minPosition=-1',
    '?minPosition=abc',
    '?minPosition=0',
    '?minPosition=1',
    '?__proto__[polluted]=1',
    `?cursor=${MARK}`,
    `?cursor=${cursorOf(['k1', 'x'])}`,
    `?cursor=${cursorOf(['k1', 1, 2])}`,
    `?cursor=${cursorOf(['k1', MARK, MARK])}`,
    `?cursor=${cursorOf({ k1: 1 })}`,
    `?cursor=${cursorOf(['k1', 'a'.repeat(300), 'b'])}`,
    `?cursor=${cursorOf(['k1', '\u0000', '\uD800'])}`,
    `?cursor=${Buffer.from('[' + '"k1",'.repeat(2000)).toString('base64url')}`,
  );
  const readModelPath = fc.constantFrom(
    '/v1/cases',
    '/v1/liaison/requests',
    '/v1/monitoring/removals',
    '/v1/monitoring/incidents',
    '/v1/reports/readmission-obstacles',
    '/v1/reports/safeguards',
    '/v1/reports/eurostat-returns',
  );
  const target: fc.Arbitrary<[path: string, query: string, method: string | undefined]> = fc.oneof(
    { weight: 16, arbitrary: fc.tuple(casePath, query, fc.constant(undefined)) },
    // Queries, mostly asked as such.
    {
      weight: 3,
      arbitrary: fc.tuple(readModelPath, readModelQuery, fc.constantFrom('GET', 'GET', 'GET', 'HEAD', 'POST')),
    },
  );
  const method = fc.oneof(
    { weight: 10, arbitrary: fc.constant('POST') },
    { weight: 4, arbitrary: fc.constant('GET') },
    { weight: 2, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE') },
  );
  const extraHeaders = fc.record(
    {
      'content-type': fc.constantFrom(...CONTENT_TYPES),
      accept: fc.constantFrom(...ACCEPTS),
      'if-match': fc.oneof(
        fc.constantFrom(
          '"0"',
          '"1"',
          '*',
          'W/"1"',
          '"-1"',
          '"99999999999999999999"',
          '"1", "2"',
          '1.5',
          `"${MARK}"`,
          '',
        ),
        nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, '?')),
      ),
      'idempotency-key': fc.oneof(
        fc.constantFrom('k1', '', ' ', 'k'.repeat(201), `${MARK}`, 'a, b'),
        nastyString.map((s) => s.replace(/[^\x20-\x7e]/g, '?')),
      ),
      'x-forwarded-for': fc.constantFrom('127.0.0.1', '::1', MARK, '1.1.1.1, 2.2.2.2', ''),
      'x-request-id': fc.constantFrom(MARK, 'x'.repeat(1000)),
      origin: fc.constantFrom('https://evil.example', 'null', MARK),
      'accept-encoding': fc.constantFrom('gzip', 'br', 'identity;q=0', MARK),
    },
    { requiredKeys: [] },
  );
  return fc
    .record({
      method,
      target,
      authorization,
      headers: extraHeaders,
      body: fc.option(rawBody, { nil: undefined, freq: 6 }),
    })
    .map(({ method: anyMethod, target: [p, q, asked], authorization: a, headers: h, body }) => {
      const m = asked ?? anyMethod;
      const headers: Record<string, string> = { ...(h as Record<string, string>) };
      if (a !== undefined) headers.authorization = a.replace(/[^\x20-\x7e]/g, '?');
      if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
      const send = m === 'GET' || m === 'HEAD' ? (body !== undefined && body.length < 1000 ? body : undefined) : body;
      const label = `${m} ${p.length > 160 ? `${p.slice(0, 150)}…(${p.length})` : p}${q.slice(0, 60)} body=${send === undefined ? '-' : `${send.length}B ${JSON.stringify(send.slice(0, 120))}`} headers=${JSON.stringify(headers).slice(0, 300)}`;
      // Printed as its label: a counterexample with a 1 MiB body stays readable.
      return {
        method: m,
        url: `${p}${q}`,
        headers,
        ...(send !== undefined ? { body: send } : {}),
        label,
        [fc.toStringMethod]: () => label,
      };
    });
}

// ---------------------------------------------------------------------------------------
// What every answer must be

const STACK = /\n\s*at |\bat [\w.<>]+ \(|\bat (?:file|node):|\.ts:\d+|\.js:\d+|node_modules|\/work\/|\/tmp\/|[A-Z]:\\/;

function checkAnswer(req: HostileRequest, res: LightMyRequestResponse): string | undefined {
  const s = res.statusCode;
  if (s >= 500) return `${s}: ${res.body.slice(0, 300)}`;
  if (!res.headers['x-request-id']) return 'no X-Request-Id header';
  if (res.body.length > 2 * 1024 * 1024) return `answer of ${res.body.length} bytes`;
  if (s < 400 || req.method === 'HEAD') return undefined;
  if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
    return `${s} with content-type ${String(res.headers['content-type'])}`;
  let p: { type?: unknown; title?: unknown; status?: unknown; detail?: unknown };
  try {
    p = res.json();
  } catch {
    return `${s} body is not JSON: ${res.body.slice(0, 200)}`;
  }
  if (typeof p.type !== 'string' || typeof p.title !== 'string' || typeof p.detail !== 'string' || p.status !== s) {
    return `${s} not Problem Details: ${res.body.slice(0, 300)}`;
  }
  if (STACK.test(res.body)) return `${s} carries a stack trace or a path: ${res.body.slice(0, 300)}`;
  if (p.detail.includes(MARK) || p.detail.includes(KEY_MARK))
    return `${s} detail echoes the input: ${p.detail.slice(0, 200)}`;
  if (res.body.includes(MARK))
    return `${s} answer echoes an input value: …${res.body.slice(Math.max(0, res.body.indexOf(MARK) - 200), res.body.indexOf(MARK) + 50)}`;
  if (/polluted|isAdmin/.test(res.body)) return `${s} answer echoes a pollution payload: ${res.body.slice(0, 300)}`;
  return undefined;
}

// ---------------------------------------------------------------------------------------

describe('hostile input', () => {
  let t: TestApp;
  let tokens: Tokens;
  let caseIds: { real: string; other: string };
  let agreementId: string;
  const statusCounts = new Map<number, number>();
  let sent = 0;

  const sign = (
    claims: Record<string, unknown>,
    opts: { secret?: string; exp?: number | null; iss?: string; aud?: string } = {},
  ) => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuedAt(now);
    if (opts.exp !== null) jwt.setExpirationTime(opts.exp ?? now + 3600);
    if (opts.iss !== '') jwt.setIssuer(opts.iss ?? ISSUER);
    if (opts.aud !== '') jwt.setAudience(opts.aud ?? AUDIENCE);
    return jwt.sign(new TextEncoder().encode(opts.secret ?? TEST_SECRET));
  };
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  beforeAll(async () => {
    t = await startTestApp({ env: { RRC_AUTH_ISSUER: ISSUER, RRC_AUTH_AUDIENCE: AUDIENCE } });
    const now = Math.floor(Date.now() / 1000);
    const cw = await sign({ sub: 'cw-de', roles: ['caseworker'], state: 'DE' });
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const publicPem = await exportSPKI(rsa.publicKey);
    tokens = {
      valid: {
        caseworker: cw,
        liaison: await sign({ sub: 'li-pk', roles: ['liaison'], state: 'PK' }),
        monitor: await sign({ sub: 'mon', roles: ['monitor'] }),
        analyst: await sign({ sub: 'ana', roles: ['analyst'] }),
        admin: await sign({ sub: 'adm', roles: ['admin'] }),
      },
      bad: [
        await sign({ sub: 'cw', roles: ['caseworker'], state: 'DE' }, { exp: now - 10 }), // expired
        await sign({ sub: 'cw', roles: ['caseworker'], state: 'DE' }, { exp: null }), // no exp
        await sign({ sub: 'cw', roles: ['caseworker'], state: 'DE' }, { secret: 'another-secret-another-secret-32b' }), // wrong key
        await sign({ sub: 'cw', roles: ['caseworker'], state: 'DE' }, { aud: 'another-api' }), // wrong audience
        await sign({ sub: 'cw', roles: ['caseworker'], state: 'DE' }, { aud: '' }), // no audience
        await sign({ sub: 'cw', roles: ['caseworker'], state: 'DE' }, { iss: 'https://evil.example/' }), // wrong issuer
        await sign({ sub: 'cw', roles: ['caseworker'] }), // caseworker without state
        await sign({ sub: 'cw', roles: ['superuser'], state: 'DE' }),
        await sign({ sub: 'cw', roles: 'admin' }),
        await sign({ sub: '', roles: ['admin'] }),
        await sign({ sub: 'cw', roles: ['caseworker'], state: 'de' }),
        await sign({ sub: 'cw', roles: ['caseworker'], state: MARK }),
        await sign({ sub: { $ne: 1 }, roles: ['admin'] }),
        await sign(
          { sub: 'cw', roles: ['caseworker'], state: 'DE', exp: 'never' },
          {
            exp: null,
          },
        ),
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', roles: ['admin'], exp: now + 3600, iss: ISSUER, aud: AUDIENCE })}.`,
        `${b64({ alg: 'NONE' })}.${b64({ sub: 'x', roles: ['admin'], exp: now + 3600, iss: ISSUER, aud: AUDIENCE })}.`,
        await new SignJWT({ sub: 'x', roles: ['admin'] })
          .setProtectedHeader({ alg: 'RS256' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('1h')
          .sign(rsa.privateKey),
        await new SignJWT({ sub: 'x', roles: ['admin'] })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(publicPem)),
        await new SignJWT({ sub: 'x', roles: ['admin'] })
          .setProtectedHeader({ alg: 'HS512' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode(TEST_SECRET)),
        `${b64({ alg: 'HS256', crit: ['b64'], b64: false })}.${b64({ sub: 'x', roles: ['admin'] })}.AAAA`,
        `${b64({ alg: 'HS256', kid: '../../../etc/passwd', jku: 'http://127.0.0.1:1/jwks' })}.${b64({ sub: 'x', roles: ['admin'], exp: now + 3600 })}.AAAA`,
        `${cw.split('.')[0]}.${b64({ sub: 'x', roles: ['admin'], exp: now + 3600, iss: ISSUER, aud: AUDIENCE })}.${cw.split('.')[2]}`, // payload swapped
        `${cw}.extra`,
        cw.slice(0, -1),
        `${cw.split('.')[0]}.${'A'.repeat(5000)}.${cw.split('.')[2]}`,
        'eyJ.eyJ.x',
        '..',
        'e30.e30.',
      ],
    };
    // The cases the model aims at: one it may touch, one of another State.
    const opened = await t.call('POST', '/v1/cases', tokens.valid.caseworker, familyCaseBody());
    expect(opened.statusCode, opened.body).toBe(201);
    const fr = await sign({ sub: 'cw-fr', roles: ['caseworker'], state: 'FR' });
    const other = await t.call('POST', '/v1/cases', fr, familyCaseBody({ originState: 'MA' }));
    expect(other.statusCode, other.body).toBe(201);
    caseIds = { real: opened.json().caseId, other: other.json().caseId };
    const agreement = await t.call('POST', '/v1/agreements', tokens.valid.admin, agreementBody());
    expect(agreement.statusCode, agreement.body).toBe(201);
    agreementId = agreement.json().agreementId;
    // Every valid token really is accepted here, and every bad one really refused.
    for (const tk of Object.values(tokens.valid))
      expect((await t.call('GET', '/v1/agreements', tk)).statusCode).toBe(200);
    for (const [i, tk] of tokens.bad.entries())
      expect((await t.call('GET', '/v1/agreements', tk)).statusCode, `bad token #${i}`).toBe(401);
  });
  afterAll(async () => {
    await t?.close();
  });

  it(`answers ${RUNS} generated hostile requests without a 5xx, a leak or an echo`, async () => {
    console.log(`hostile input: fast-check seed ${SEED} (set FC_SEED to change), ${RUNS} runs`);
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(hostileRequest(tokens, caseIds, agreementId), async (req) => {
        const options: InjectOptions = {
          method: req.method as 'GET',
          url: req.url,
          headers: req.headers,
          ...(req.body !== undefined ? { payload: req.body } : {}),
        };
        let res: LightMyRequestResponse;
        try {
          res = await t.app.inject(options);
        } catch (e) {
          // light-my-request refuses some requests before they reach the server (invalid header values).
          if (
            /Invalid character|ERR_INVALID_CHAR|ERR_HTTP_INVALID_HEADER_VALUE|Invalid URL|ERR_INVALID_URL/.test(
              String((e as Error).message) + String((e as { code?: string }).code),
            )
          )
            return;
          throw e;
        }
        sent++;
        statusCounts.set(res.statusCode, (statusCounts.get(res.statusCode) ?? 0) + 1);
        const problem = checkAnswer(req, res);
        if (problem) throw new Error(`${req.label}\n  → ${problem}`);
      }),
      { seed: SEED, numRuns: RUNS, verbose: 0 },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `hostile input: ${sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(Object.fromEntries([...statusCounts].sort((a, b) => a[0] - b[0])))}`,
    );
    expect(sent).toBeGreaterThanOrEqual(Math.min(RUNS, 10_000) * 0.98);
  });

  it('left nothing polluted and the server healthy: ready, and a normal command still works', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
    const ready = await t.app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    const cw = tokens.valid.caseworker;
    const opened = await t.call('POST', '/v1/cases', cw, familyCaseBody());
    expect(opened.statusCode, opened.body).toBe(201);
    const caseId = opened.json().caseId;
    const res = await t.call('POST', `/v1/cases/${caseId}/record-obstacle`, cw, BODIES['record-obstacle']);
    expect(res.statusCode, res.body).toBe(200);
    const view = await t.call('GET', `/v1/cases/${caseId}`, cw);
    expect(view.statusCode).toBe(200);
    // The case the model hammered still reads, and its history still counts 0, 1, 2, …
    const hist = await t.call('GET', `/v1/cases/${caseIds.real}/history?limit=500`, cw);
    expect(hist.statusCode, hist.body).toBe(200);
    const revisions = (hist.json().items as { revision: number }[]).map((i) => i.revision);
    expect(revisions).toEqual(revisions.map((_, i) => i));
    expect((await t.call('GET', `/v1/cases/${caseIds.real}`, cw)).statusCode).toBe(200);
  });
});
