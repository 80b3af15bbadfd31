/**
 * Tokens and transport: what the server trusts, and what it says on the wire.
 *
 * Protection: the pinned `algorithms` in `createTokenVerifier` (services/auth/tokens.ts):
 * `['HS256']` with a shared secret, the asymmetric list with JWKS.
 * Remove the pin (call `jwtVerify` without `algorithms`) → "pins HS256" fails: HS384 and
 * HS512 tokens signed with the same secret are accepted. (`alg: none` and HS256-with-the-
 * public-key stay refused by jose itself, by key type; the specs keep them refused anyway.)
 * Also pinned: the rate limit runs before authentication, keyed by the *verified* caller
 * (services/api/app.ts). Put it back on the routes (`global: true`, no app-level hook) → "made-
 * up tokens share their address's allowance" fails: unsigned requests are never counted.
 *
 * JWKS mode runs against a JWKS document served on 127.0.0.1 by this spec; nothing leaves
 * the machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../services/api/app.ts';
import { BODIES } from '../support/api-flow.ts';
import { familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/test-app.ts';

const ISSUER = 'https://idp.rrc.test/realms/rrc';
const AUDIENCE = 'rrc-api';
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);
const secret = new TextEncoder().encode(TEST_SECRET);

/** A tiny JWKS endpoint on 127.0.0.1 that counts its hits. */
async function serveJwks(keys: JWK[]): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const status = async (t: TestApp, token: string, url = '/v1/agreements') =>
  (await t.call('GET', url, token)).statusCode;

function expect401(res: { statusCode: number; headers: Record<string, unknown>; json: () => unknown }) {
  expect(res.statusCode).toBe(401);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
}

describe('HS256 mode (RRC_AUTH_SECRET)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.close());

  const hs = (
    claims: Record<string, unknown>,
    alg = 'HS256',
    key: Uint8Array = secret,
    exp: number | null = nowS() + 600,
  ) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' });
    if (exp !== null) jwt.setExpirationTime(exp);
    return jwt.sign(key);
  };
  const admin = { sub: 'ada', roles: ['admin'] };

  it('accepts a token signed as `rrc token` signs it', async () => {
    expect(await status(t, await hs(admin))).toBe(200);
    expect(await status(t, await t.token('caseworker', { state: 'DE' }))).toBe(200);
  });

  it('refuses `alg: none`, in any spelling, with or without a signature', async () => {
    for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
      const unsigned = `${b64({ alg, typ: 'JWT' })}.${b64({ ...admin, exp: nowS() + 600 })}`;
      for (const token of [`${unsigned}.`, `${unsigned}.AAAA`]) expect401(await t.call('GET', '/v1/agreements', token));
    }
  });

  it('pins HS256: HS384/HS512 with the very same secret are refused', async () => {
    for (const alg of ['HS384', 'HS512']) expect(await status(t, await hs(admin, alg)), alg).toBe(401);
  });

  it('refuses RS256 tokens (no HS/RS confusion the other way) and a wrong secret', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const rs = await new SignJWT(admin).setProtectedHeader({ alg: 'RS256' }).setExpirationTime('10m').sign(privateKey);
    expect(await status(t, rs)).toBe(401);
    expect(await status(t, await hs(admin, 'HS256', new TextEncoder().encode(`${TEST_SECRET}-not`)))).toBe(401);
  });

  it('refuses an expired token, a token without exp, and one whose payload was swapped', async () => {
    expect(await status(t, await hs(admin, 'HS256', secret, nowS() - 5))).toBe(401);
    expect(await status(t, await hs(admin, 'HS256', secret, null))).toBe(401);
    const good = (await hs({ sub: 'ana', roles: ['analyst'] })).split('.');
    expect(await status(t, `${good[0]}.${b64({ ...admin, exp: nowS() + 600 })}.${good[2]}`)).toBe(401);
  });

  it('refuses a caseworker or liaison token without a state, and unknown roles', async () => {
    expect(await status(t, await hs({ sub: 'c', roles: ['caseworker'] }))).toBe(401);
    expect(await status(t, await hs({ sub: 'l', roles: ['liaison'] }))).toBe(401);
    expect(await status(t, await hs({ sub: 'c', roles: ['caseworker'], state: 'de' }))).toBe(401);
    expect(await status(t, await hs({ sub: 'r', roles: ['root'] }))).toBe(401);
    expect(await status(t, await hs({ sub: 'r', roles: [] }))).toBe(401);
  });

  it('takes the Bearer scheme in any case and with extra spaces (RFC 7235), nothing else', async () => {
    const tk = await hs(admin);
    for (const h of [`Bearer ${tk}`, `bearer ${tk}`, `BEARER  ${tk}`]) {
      expect(
        (await t.app.inject({ method: 'GET', url: '/v1/agreements', headers: { authorization: h } })).statusCode,
        h.slice(0, 8),
      ).toBe(200);
    }
    for (const h of [tk, `Basic ${tk}`, `Token ${tk}`, `Bearer ${tk} x`, `Bearer ${tk}, Bearer ${tk}`]) {
      expect(
        (await t.app.inject({ method: 'GET', url: '/v1/agreements', headers: { authorization: h } })).statusCode,
        h.slice(0, 8),
      ).toBe(401);
    }
  });
});

describe('JWKS mode (RRC_AUTH_JWKS_URL, issuer and audience)', () => {
  let t: TestApp;
  let jwks: Awaited<ReturnType<typeof serveJwks>>;
  let attackerJwks: Awaited<ReturnType<typeof serveJwks>>;
  let privateKey: CryptoKey;
  let publicPem: string;
  let publicJwk: JWK;
  let attackerKey: CryptoKey;
  let attackerPublicJwk: JWK;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256', { extractable: true });
    privateKey = pair.privateKey;
    publicPem = await exportSPKI(pair.publicKey);
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'rrc-test-1', alg: 'RS256', use: 'sig' };
    jwks = await serveJwks([publicJwk]);
    const attacker = await generateKeyPair('RS256', { extractable: true });
    attackerKey = attacker.privateKey;
    attackerPublicJwk = { ...(await exportJWK(attacker.publicKey)), kid: 'rrc-test-1', alg: 'RS256', use: 'sig' };
    attackerJwks = await serveJwks([attackerPublicJwk]);
    t = await startTestApp({
      env: { RRC_AUTH_SECRET: '', RRC_AUTH_JWKS_URL: jwks.url, RRC_AUTH_ISSUER: ISSUER, RRC_AUTH_AUDIENCE: AUDIENCE },
    });
  });
  afterAll(async () => {
    await t?.close();
    await jwks?.close();
    await attackerJwks?.close();
  });

  const rs = (
    claims: Record<string, unknown>,
    o: {
      iss?: string | null;
      aud?: string | null;
      exp?: number | null;
      key?: CryptoKey;
      header?: Record<string, unknown>;
    } = {},
  ) => {
    const jwt = new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'rrc-test-1', typ: 'JWT', ...o.header });
    if (o.iss !== null) jwt.setIssuer(o.iss ?? ISSUER);
    if (o.aud !== null) jwt.setAudience(o.aud ?? AUDIENCE);
    if (o.exp !== null) jwt.setExpirationTime(o.exp ?? nowS() + 600);
    return jwt.sign(o.key ?? privateKey);
  };
  const cw = { sub: 'carla', roles: ['caseworker'], state: 'DE' };

  it('accepts an RS256 token from the JWKS key with the right issuer and audience', async () => {
    expect(await status(t, await rs(cw))).toBe(200);
    const opened = await t.call('POST', '/v1/cases', await rs(cw), familyCaseBody());
    expect(opened.statusCode, opened.body).toBe(201);
    expect(jwks.hits()).toBeGreaterThan(0);
  });

  it('refuses a wrong or missing audience, and a wrong or missing issuer', async () => {
    expect(await status(t, await rs(cw, { aud: 'another-api' }))).toBe(401);
    expect(await status(t, await rs(cw, { aud: null }))).toBe(401);
    expect(await status(t, await rs(cw, { iss: 'https://evil.example/realms/rrc' }))).toBe(401);
    expect(await status(t, await rs(cw, { iss: `${ISSUER}/` }))).toBe(401);
    expect(await status(t, await rs(cw, { iss: null }))).toBe(401);
  });

  it('refuses HS/RS confusion: HS256 signed with the public key (PEM, DER, JWK n) or with the old shared secret', async () => {
    const keys: Uint8Array[] = [
      new TextEncoder().encode(publicPem),
      new TextEncoder().encode(publicPem.trim()),
      Buffer.from(publicPem.replace(/-----[^-]+-----|\s/g, ''), 'base64'),
      new TextEncoder().encode(publicJwk.n),
      new TextEncoder().encode(JSON.stringify(publicJwk)),
      secret,
    ];
    for (const [i, key] of keys.entries()) {
      const token = await new SignJWT(cw)
        .setProtectedHeader({ alg: 'HS256', kid: 'rrc-test-1', typ: 'JWT' })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('10m')
        .sign(key);
      expect(await status(t, token), `HMAC key #${i}`).toBe(401);
    }
  });

  it('refuses `alg: none`, an expired token, a token without exp, and a caseworker without a state', async () => {
    const payload = { ...cw, iss: ISSUER, aud: AUDIENCE, exp: nowS() + 600 };
    expect(await status(t, `${b64({ alg: 'none', kid: 'rrc-test-1' })}.${b64(payload)}.`)).toBe(401);
    expect(await status(t, await rs(cw, { exp: nowS() - 5 }))).toBe(401);
    expect(await status(t, await rs(cw, { exp: null }))).toBe(401);
    expect(await status(t, await rs({ sub: 'carla', roles: ['caseworker'] }))).toBe(401);
  });

  it('refuses a token signed by another key under the same kid, and never follows a jku/x5u/jwk in the header', async () => {
    expect(await status(t, await rs(cw, { key: attackerKey }))).toBe(401);
    const headers = [
      { jku: attackerJwks.url },
      { x5u: attackerJwks.url },
      { jwk: attackerPublicJwk },
      { kid: 'unknown-kid' },
    ];
    for (const header of headers)
      expect(await status(t, await rs(cw, { key: attackerKey, header })), JSON.stringify(header)).toBe(401);
    expect(attackerJwks.hits(), 'the server fetched keys from a URL named in a token').toBe(0);
  });
});

describe('transport', () => {
  let t: TestApp;
  let admin: string;
  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.token('admin');
  });
  afterAll(() => t?.close());

  it('keeps CORS closed: no Access-Control-Allow-Origin on a cross-origin request or a preflight', async () => {
    const cross = await t.app.inject({
      method: 'GET',
      url: '/v1/agreements',
      headers: { origin: 'https://evil.example', authorization: `Bearer ${admin}` },
    });
    expect(cross.statusCode).toBe(200);
    const preflight = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/cases',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBeGreaterThanOrEqual(400);
    expect(preflight.statusCode).toBeLessThan(500);
    for (const res of [cross, preflight]) {
      for (const h of [
        'access-control-allow-origin',
        'access-control-allow-credentials',
        'access-control-allow-methods',
        'access-control-allow-headers',
      ]) {
        expect(res.headers[h], h).toBeUndefined();
      }
    }
  });

  it('sends the security headers and a request id on answers and errors alike', async () => {
    const answers = [
      await t.call('GET', '/v1/agreements', admin),
      await t.call('GET', '/v1/agreements', undefined),
      await t.call('GET', '/v1/cases/no-such-case', await t.token('caseworker', { state: 'DE' })),
      await t.call('GET', '/health/ready', undefined),
      await t.call('POST', '/v1/agreements', admin, '{"broken'),
    ];
    const ids = new Set<string>();
    for (const res of answers) {
      const where = `${res.statusCode} ${res.raw.req.url}`;
      expect(res.headers['x-content-type-options'], where).toBe('nosniff');
      expect(res.headers['x-frame-options'], where).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy'], where).toMatch(/default-src 'self'/);
      expect(res.headers['strict-transport-security'], where).toMatch(/max-age=\d+/);
      expect(res.headers['referrer-policy'], where).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy'], where).toBe('same-origin');
      expect(res.headers['x-powered-by'], where).toBeUndefined();
      const id = res.headers['x-request-id'];
      expect(id, where).toMatch(/^[0-9a-f-]{36}$/);
      ids.add(String(id));
    }
    expect(ids.size, 'a fresh id per request').toBe(answers.length);
  });

  it('never takes the request id from the client (it would let callers forge log lines)', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'forged\r\nlevel=error' },
    });
    expect(res.headers['x-request-id']).not.toContain('forged');
  });

  it('answers 413 Problem Details past 1 MiB, and takes a body just under it', async () => {
    const cw = await t.token('caseworker', { state: 'DE' });
    const caseId = (await t.call('POST', '/v1/cases', cw, familyCaseBody())).json().caseId as string;
    const frame = JSON.stringify({ ...BODIES['record-obstacle'], note: '' });
    const tooBig = frame.replace('"note":""', `"note":"${'x'.repeat(BODY_LIMIT - frame.length + 1)}"`);
    expect(Buffer.byteLength(tooBig)).toBe(BODY_LIMIT + 1);
    const res = await t.call('POST', `/v1/cases/${caseId}/record-obstacle`, cw, tooBig, {
      'content-type': 'application/json',
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({
      status: 413,
      type: expect.any(String),
      title: expect.any(String),
      detail: expect.any(String),
    });
    expect(res.body.length).toBeLessThan(1000);
    const atLimit = frame.replace('"note":""', `"note":"${'x'.repeat(BODY_LIMIT - frame.length)}"`);
    const ok = await t.call('POST', `/v1/cases/${caseId}/record-obstacle`, cw, atLimit, {
      'content-type': 'application/json',
    });
    expect(
      ok.statusCode,
      'a body of exactly 1 MiB passes the limit (and fails the note’s own 10,000-character cap)',
    ).toBe(400);
    expect(ok.json().errors?.[0]?.path).toBe('note');
  });
});

describe('rate limit (RRC_RATE_LIMIT=5 a minute)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { RRC_RATE_LIMIT: '5' } });
  });
  afterAll(() => t?.close());

  it('answers 429 Problem Details with Retry-After once a caller is over, and counts each caller apart', async () => {
    const ana = await t.token('analyst', { sub: 'ana' });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await t.call('GET', '/v1/agreements', ana)).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const over = await t.call('GET', '/v1/agreements', ana);
    expect(over.statusCode).toBe(429);
    expect(over.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(over.headers['retry-after']).toMatch(/^\d+$/);
    expect(over.json()).toMatchObject({ status: 429, type: expect.any(String), title: expect.any(String) });
    // A fresh token for the same caller is the same caller.
    expect(
      (await t.call('GET', '/v1/agreements', await t.token('analyst', { sub: 'ana', ttlSeconds: 999 }))).statusCode,
    ).toBe(429);
    // Another caller has an allowance of its own.
    expect((await t.call('GET', '/v1/agreements', await t.token('analyst', { sub: 'bob' }))).statusCode).toBe(200);
  });

  it('made-up tokens share their address’s allowance instead of getting one each', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 8; i++) {
      const forged = `${b64({ alg: 'HS256' })}.${b64({ sub: `nobody-${i}`, roles: ['admin'] })}.${b64(i)}`;
      codes.push(
        (
          await t.app.inject({
            method: 'GET',
            url: '/v1/agreements',
            remoteAddress: '10.9.8.7',
            headers: { authorization: `Bearer ${forged}` },
          })
        ).statusCode,
      );
    }
    expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(codes.slice(5)).toEqual([429, 429, 429]);
  });
});
