/**
 * rrc behind a real OpenID provider (oidc-provider on 127.0.0.1, tests/support/oidc-provider.ts),
 * configured as for a Keycloak realm: roles under `realm_access.roles` with names of the
 * provider's own, mapped by RRC_AUTH_ROLE_MAP; the State under `rrc_state`.
 *
 * Protection: the issuer, audience and key checks of `createTokenVerifier` and the claim
 * mapping (services/auth/claim-mapping.ts). Drop `audience` from the verify options → "another
 * audience" fails; drop the mapping → every provider token is refused (its roles are not rrc's).
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementBody } from '../support/http-fixtures.ts';
import { startOidcProvider, type OidcProvider } from '../support/oidc-provider.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const me = async (t: TestApp, token: string) => {
  const res = await t.call('GET', '/v1/me', token);
  return { status: res.statusCode, body: res.json<Record<string, unknown>>(), headers: res.headers };
};

describe('tokens from a real OpenID provider', () => {
  let op: OidcProvider;
  let t: TestApp;
  beforeAll(async () => {
    op = await startOidcProvider();
    t = await startTestApp({ env: op.env });
  });
  afterAll(async () => {
    await t?.close();
    await op?.close();
  });

  it('issues RS256 at+jwt access tokens for rrc’s audience', async () => {
    const token = await op.machineToken('svc-caseworker');
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({
      iss: op.issuer,
      aud: 'https://rrc.test/api',
      sub: 'svc-caseworker',
      realm_access: { roles: ['rrc-caseworker', 'default-roles-rrc'] },
    });
  });

  it('accepts them with the mapped roles and State; unknown roles are ignored', async () => {
    expect(await me(t, await op.machineToken('svc-caseworker'))).toMatchObject({
      status: 200,
      body: { sub: 'svc-caseworker', roles: ['caseworker'], state: 'DE' },
    });
    const reporting = await me(t, await op.machineToken('svc-reporting'));
    expect(reporting.status).toBe(200);
    expect(reporting.body).toEqual({ sub: 'svc-reporting', roles: ['analyst', 'monitor'] });
    // The mapped roles are what access control sees: an admin may write agreements, an analyst not.
    const body = agreementBody({ title: 'Agreement DE–PK (fictional)', destinationStates: ['DE'] });
    const analyst = await op.machineToken('svc-reporting');
    expect((await t.call('POST', '/v1/agreements', analyst, body)).statusCode).toBe(403);
    expect((await t.call('POST', '/v1/agreements', await op.machineToken('svc-admin'), body)).statusCode).toBe(201);
  });

  it('refuses a token that maps to no rrc role', async () => {
    const res = await me(t, await op.machineToken('svc-nobody'));
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
  });

  it('refuses a token for another audience', async () => {
    const other = await op.machineToken('svc-admin', { resource: 'https://reports.test/api' });
    expect(decodeJwt(other).aud).toBe('https://reports.test/api');
    expect((await me(t, other)).status).toBe(401);
  });

  it('refuses a token from another issuer (same keys, wrong `iss` for this server)', async () => {
    const elsewhere = await startTestApp({ env: { ...op.env, RRC_AUTH_ISSUER: `${op.issuer}/realms/other` } });
    try {
      const token = await op.machineToken('svc-admin');
      expect((await me(elsewhere, token)).status).toBe(401);
      expect((await me(t, token)).status).toBe(200);
    } finally {
      await elsewhere.close();
    }
  });

  it('refuses an expired token', async () => {
    const token = await op.machineToken('svc-short-lived');
    expect((await me(t, token)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await me(t, token)).status).toBe(401);
  });

  it('refuses a token signed with a key the provider rotated away', async () => {
    const old = await op.machineToken('svc-admin');
    await op.rotateKeys();
    const fresh = await op.machineToken('svc-admin');
    expect(decodeProtectedHeader(fresh).kid).not.toBe(decodeProtectedHeader(old).kid);
    // A server that reads the provider's keys after the rotation knows only the new key.
    const later = await startTestApp({ env: op.env });
    try {
      expect((await me(later, fresh)).status).toBe(200);
      expect((await me(later, old)).status).toBe(401);
    } finally {
      await later.close();
    }
  });
});

describe('the UI’s sign-in configuration', () => {
  let op: OidcProvider;
  beforeAll(async () => {
    op = await startOidcProvider();
  });
  afterAll(() => op?.close());

  it('tells the UI to sign in at the issuer with PKCE, and lets it talk to the issuer only', async () => {
    const t = await startTestApp({ env: { ...op.env, RRC_AUTH_CLIENT_ID: 'rrc-ui', RRC_AUTH_SCOPE: 'openid rrc' } });
    try {
      const res = await t.call('GET', '/ui/config.json', undefined);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        signIn: 'oidc',
        issuer: op.issuer,
        clientId: 'rrc-ui',
        scope: 'openid rrc',
        redirectPath: '/ui',
      });
      const csp = String((await t.call('GET', '/ui', undefined)).headers['content-security-policy']);
      expect(csp).toContain(`connect-src 'self' ${op.issuer}`);
      expect(csp).toContain("script-src 'self'");
      const lib = await t.call('GET', '/ui/vendor/oauth4webapi.js', undefined);
      expect(lib.statusCode).toBe(200);
      expect(lib.headers['content-type']).toMatch(/^text\/javascript/);
      expect(lib.body).toContain('export async function discoveryRequest');
    } finally {
      await t.close();
    }
  });

  it('says no sign-in is configured with provider keys but no client id, and takes pasted tokens with a secret', async () => {
    const noClient = await startTestApp({ env: op.env });
    const secret = await startTestApp();
    try {
      expect((await noClient.call('GET', '/ui/config.json', undefined)).json()).toEqual({
        signIn: 'none',
        issuer: null,
      });
      expect((await secret.call('GET', '/ui/config.json', undefined)).json()).toEqual({
        signIn: 'token',
        issuer: null,
      });
      expect(String((await secret.call('GET', '/ui', undefined)).headers['content-security-policy'])).toContain(
        "connect-src 'self';",
      );
    } finally {
      await noClient.close();
      await secret.close();
    }
  });
});
