/**
 * Claims and header tricks (OWASP API2, broken authentication), beyond tokens.int.spec.ts:
 * every claim of the wrong type, a subject that is no id, and JOSE headers that try to choose
 * the key (`kid` paths, `jku`/`x5u` URLs, an embedded `jwk`, `crit`) against the shared-secret
 * verifier. Each token is correctly signed with the test secret: only the claim or header is
 * hostile, so a 401 here is the claim check, not the signature.
 *
 * Protection: `Claims` (contracts/roles.ts) parsed in `toPrincipal`, jose's registered-claim
 * checks (`exp`, `nbf`, `sub` types), and the subject rule in `toPrincipal`
 * (services/auth/tokens.ts). Remove the subject rule → "a subject that is no id" fails: a
 * blank, a 5,000-character or a control-character `sub` signs in, and becomes the actor of
 * every event the caller records.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';
import { loadConfig } from '../../services/config.ts';
import { createTokenVerifier } from '../../services/auth/tokens.ts';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/test-app.ts';

const secret = new TextEncoder().encode(TEST_SECRET);
const nowS = () => Math.floor(Date.now() / 1000);
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** Signs any payload as it is (SignJWT would not let a string `exp` through). */
async function signRaw(payload: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> {
  const { createHmac } = await import('node:crypto');
  const input = `${b64({ alg: 'HS256', typ: 'JWT', ...header })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

let t: TestApp;
let hits = 0;
let keyServer: Server;
let keyUrl = '';
beforeAll(async () => {
  t = await startTestApp();
  // A key server on 127.0.0.1 that a token's header points at: it must never be asked.
  keyServer = createServer((_req, res) => {
    hits++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys":[]}');
  });
  await new Promise<void>((resolve) => keyServer.listen(0, '127.0.0.1', resolve));
  keyUrl = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}/jwks.json`;
});
afterAll(async () => {
  await t?.close();
  await new Promise<void>((resolve) => keyServer?.close(() => resolve()));
});

const status = async (token: string) => (await t.call('GET', '/v1/agreements', token)).statusCode;
const good = () => ({ sub: 'ana', roles: ['analyst'], exp: nowS() + 600 });

describe('claims of the wrong type are refused (401), never coerced', () => {
  it('the control: the raw signer makes tokens the server accepts', async () => {
    expect(await status(await signRaw(good()))).toBe(200);
    expect(await status(await signRaw({ sub: 'carla', roles: ['caseworker'], state: 'DE', exp: nowS() + 600 }))).toBe(
      200,
    );
  });

  const cases: [string, Record<string, unknown>][] = [
    ['roles as a string', { ...good(), roles: 'admin' }],
    ['roles as an array-like object', { ...good(), roles: { 0: 'admin', length: 1 } }],
    ['roles holding a non-string', { ...good(), roles: [['admin']] }],
    ['roles in another case', { ...good(), roles: ['Admin'] }],
    ['roles missing', { sub: 'ana', exp: nowS() + 600 }],
    ['state as a number', { sub: 'c', roles: ['caseworker'], state: 49, exp: nowS() + 600 }],
    ['state as an array', { sub: 'c', roles: ['caseworker'], state: ['DE', 'FR'], exp: nowS() + 600 }],
    ['state as an object', { sub: 'c', roles: ['caseworker'], state: { code: 'DE' }, exp: nowS() + 600 }],
    ['state with a suffix', { sub: 'c', roles: ['caseworker'], state: 'DE ', exp: nowS() + 600 }],
    ['sub as a number', { ...good(), sub: 7 }],
    ['sub as an object', { ...good(), sub: { id: 'ana' } }],
    ['sub missing', { roles: ['analyst'], exp: nowS() + 600 }],
    ['exp as a string', { ...good(), exp: String(nowS() + 600) }],
    ['exp as a fraction', { ...good(), exp: nowS() + 600.5 }],
    ['exp beyond any date', { ...good(), exp: 1e20 }],
    ['nbf in the future', { ...good(), nbf: nowS() + 300 }],
    ['nbf as a string', { ...good(), nbf: String(nowS() - 300) }],
  ];
  it.each(cases)('%s', async (_, payload) => {
    expect(await status(await signRaw(payload))).toBe(401);
  });

  it('a `__proto__` claim does not lend roles: the token keeps its own', async () => {
    const token = await signRaw(
      JSON.parse(`{"sub":"ana","roles":["analyst"],"exp":${nowS() + 600},"__proto__":{"roles":["admin"]}}`),
    );
    expect(await status(token)).toBe(200);
    expect((await t.call('POST', '/v1/agreements', token, agreementBody())).statusCode).toBe(403);
  });
});

describe('a subject that is no id is refused', () => {
  it.each([
    ['blank', ''],
    ['white space only', '   '],
    ['leading white space', ' ana'],
    ['a line break (forged log and audit lines)', 'ana\nrole=admin'],
    ['a NUL (idempotency keys are hashed as sub NUL key)', 'ana\u0000x'],
    ['a bidi override', 'ana\u202e'],
    ['longer than 255 characters (OIDC Core §2)', 'a'.repeat(256)],
    ['5,000 characters', 'x'.repeat(5000)],
  ])('%s', async (_, sub) => {
    expect(await status(await signRaw({ ...good(), sub }))).toBe(401);
  });

  it('takes an opaque id of up to 255 characters (a UUID, an email, a long IdP id)', async () => {
    for (const sub of ['f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 'ana.analyst@example.test', 'a'.repeat(255), 'Zoë|42'])
      expect(await status(await signRaw({ ...good(), sub })), sub.slice(0, 20)).toBe(200);
  });

  it('the actor stored with an event is the subject as signed', async () => {
    const cw = await signRaw({ sub: 'carla-de', roles: ['caseworker'], state: 'DE', exp: nowS() + 600 });
    const opened = await t.call('POST', '/v1/cases', cw, familyCaseBody());
    expect(opened.statusCode, opened.body).toBe(201);
    const history = await t.call('GET', `/v1/cases/${opened.json().caseId}/history`, cw);
    expect(history.json().items[0].actor).toMatchObject({ sub: 'carla-de', role: 'caseworker' });
  });
});

describe('JOSE headers cannot choose the key (shared-secret mode)', () => {
  it('ignores `kid`: path traversal, SQL and a URL change nothing, and fetch nothing', async () => {
    for (const kid of ['../../../../dev/null', "' OR '1'='1", keyUrl, '']) {
      expect(await status(await signRaw(good(), { kid })), kid).toBe(200);
      // …and with another key, the same kid does not help.
      const forged = await new SignJWT(good())
        .setProtectedHeader({ alg: 'HS256', kid })
        .sign(new TextEncoder().encode('x'.repeat(32)));
      expect(await status(forged), kid).toBe(401);
    }
  });

  it('never trusts a key named or embedded in the token (`jku`, `x5u`, `jwk`, `x5c`)', async () => {
    const attacker = await generateKeyPair('RS256', { extractable: true });
    const jwk = await exportJWK(attacker.publicKey);
    for (const header of [{ jku: keyUrl }, { x5u: keyUrl }, { jwk }, { x5c: ['MIIB'] }]) {
      const rs = await new SignJWT({ ...good(), roles: ['admin'] })
        .setProtectedHeader({ alg: 'RS256', ...header })
        .sign(attacker.privateKey);
      expect(await status(rs), Object.keys(header)[0]).toBe(401);
      // An HS256 token signed with the embedded public key's bytes is no better.
      const hs = await new SignJWT({ ...good(), roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256', ...header })
        .sign(new TextEncoder().encode(JSON.stringify(jwk)));
      expect(await status(hs), `HS256 + ${Object.keys(header)[0]}`).toBe(401);
    }
    expect(hits, 'the server fetched a key from a URL named in a token').toBe(0);
  });

  it('refuses a `crit` header it does not understand, and an unencoded payload (`b64: false`)', async () => {
    expect(await status(await signRaw(good(), { crit: ['exp-by-header'], 'exp-by-header': 1 }))).toBe(401);
    expect(await status(await signRaw(good(), { crit: ['b64'], b64: false }))).toBe(401);
  });
});

describe('OIDC mode needs an issuer and an audience', () => {
  // Without them, any token the provider signs (for any of its clients, any realm sharing
  // the keys) would sign in here: audience confusion. rrc refuses to start instead.
  const auth = (issuer?: string, audience?: string) => {
    const config = loadConfig({ RRC_DATA_DIR: '/nonexistent', RRC_AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json' });
    return { dataDir: config.dataDir, auth: { ...config.auth, issuer, audience } };
  };
  it('refuses to build a JWKS verifier without RRC_AUTH_ISSUER or RRC_AUTH_AUDIENCE', () => {
    expect(() => createTokenVerifier(auth(undefined, 'rrc-api'))).toThrow(/RRC_AUTH_ISSUER/);
    expect(() => createTokenVerifier(auth('https://idp.rrc.test/realms/rrc', undefined))).toThrow(/RRC_AUTH_AUDIENCE/);
    expect(() => createTokenVerifier(auth('https://idp.rrc.test/realms/rrc', 'rrc-api'))).not.toThrow();
  });
});
