import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider, { type Configuration } from 'oidc-provider';

/**
 * A real OpenID provider for specs: panva's `oidc-provider` on 127.0.0.1 (a random port),
 * shaped like a Keycloak realm. Access tokens are RS256 `at+jwt` for the resource
 * `AUDIENCE`, with realm roles under `realm_access.roles` (named `rrc-caseworker`, …) and the
 * State under `rrc_state`, so rrc needs its claim mapping (`RRC_ENV_FOR_PROVIDER`).
 *
 * - machine clients (`MACHINES`, client credentials): tokens whose subject is the client id;
 * - the UI's public client `UI_CLIENT_ID` (Authorization Code, PKCE, refresh tokens), whose
 *   redirect URI is given once rrc listens (`allowUi`); people sign in on the provider's own
 *   development login page with any password, their roles come from `PEOPLE`.
 *
 * All fictional. The provider keeps everything in memory; `rotateKeys` and `allowUi` build a
 * new provider instance on the same address (sessions and grants start afresh).
 */
export const AUDIENCE = 'https://rrc.test/api';
export const UI_CLIENT_ID = 'rrc-ui';

/** Realm roles and State of the fictional people who sign in to the UI. */
export const PEOPLE: Record<string, { roles: string[]; state?: string }> = {
  'carla.caseworker': { roles: ['rrc-caseworker', 'offline_access', 'uma_authorization'], state: 'DE' },
  'otto.outsider': { roles: ['uma_authorization'] },
};

/** Machine clients: id → realm roles, State, token lifetime in seconds. */
export const MACHINES: Record<string, { roles: string[]; state?: string; ttl?: number }> = {
  'svc-caseworker': { roles: ['rrc-caseworker', 'default-roles-rrc'], state: 'DE' },
  'svc-admin': { roles: ['rrc-admin'] },
  'svc-reporting': { roles: ['rrc-analyst', 'rrc-monitor', 'other-app-admin'] },
  'svc-nobody': { roles: ['default-roles-rrc'] },
  'svc-short-lived': { roles: ['rrc-admin'], ttl: 1 },
};
const MACHINE_SECRET = 'machine-secret-for-specs-only';

export interface OidcProvider {
  issuer: string;
  jwksUrl: string;
  /** The environment that points rrc at this provider, with Keycloak-style claim mapping. */
  env: Record<string, string>;
  /** A client-credentials access token of a machine client (`resource`: another audience). */
  machineToken(clientId: string, options?: { resource?: string }): Promise<string>;
  /** Registers rrc's `/ui` at `base` as the UI client's redirect and post-sign-out URI. */
  allowUi(base: string): Promise<void>;
  /** A new signing key; the old one is no longer published. */
  rotateKeys(): Promise<void>;
  close(): Promise<void>;
}

async function signingKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid: `k-${Date.now().toString(36)}`, alg: 'RS256', use: 'sig' };
}

function configuration(keys: JWK[], uiBase: string | undefined): Configuration {
  const roleClaims = (who: { roles: string[]; state?: string } | undefined) =>
    who ? { realm_access: { roles: who.roles }, ...(who.state ? { rrc_state: who.state } : {}) } : {};
  return {
    jwks: { keys },
    clients: [
      ...Object.keys(MACHINES).map((clientId) => ({
        client_id: clientId,
        client_secret: MACHINE_SECRET,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
      ...(uiBase
        ? [
            {
              client_id: UI_CLIENT_ID,
              token_endpoint_auth_method: 'none' as const,
              grant_types: ['authorization_code', 'refresh_token'],
              response_types: ['code' as const],
              redirect_uris: [`${uiBase}/ui`],
              post_logout_redirect_uris: [`${uiBase}/ui`],
            },
          ]
        : []),
    ],
    features: {
      clientCredentials: { enabled: true },
      devInteractions: { enabled: true }, // the provider's own login page: any login, any password
      rpInitiatedLogout: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => AUDIENCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => ({
          scope: 'rrc',
          audience: resource,
          accessTokenFormat: 'jwt',
          accessTokenTTL: 300,
          jwt: { sign: { alg: 'RS256' } },
        }),
      },
    },
    ttl: {
      ClientCredentials: (_ctx, _token, client) => MACHINES[client.clientId]?.ttl ?? 300,
      AccessToken: 300,
      AuthorizationCode: 60,
      IdToken: 300,
      RefreshToken: 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    // The UI calls the token endpoint from its own origin: the one of its redirect URI.
    clientBasedCORS: (_ctx, origin, client) =>
      client.redirectUris?.some((uri) => new URL(uri).origin === origin) ?? false,
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
    extraTokenClaims: (_ctx, token) => {
      if (!('accountId' in token) || !token.accountId) return roleClaims(MACHINES[token.clientId ?? '']);
      return roleClaims(PEOPLE[token.accountId]);
    },
    // A first-party client: no consent page (as a Keycloak realm's own clients), refresh tokens
    // without `offline_access`.
    loadExistingGrant: async (ctx) => {
      const { Grant } = ctx.oidc.provider;
      const grant = new Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid');
      grant.addResourceScope(AUDIENCE, 'rrc');
      await grant.save();
      return grant;
    },
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    pkce: { required: () => true },
    cookies: { keys: ['cookie-key-for-specs-only'] },
  };
}

export async function startOidcProvider(): Promise<OidcProvider> {
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(503).end();
  const server: Server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let keys = [await signingKey()];
  let uiBase: string | undefined;
  const build = () => {
    const provider = new Provider(issuer, configuration(keys, uiBase));
    provider.on('server_error', (_ctx, error) => console.error('oidc-provider:', error));
    const callback = provider.callback();
    handler = (req, res) => void callback(req, res);
  };
  build();
  const jwksUrl = `${issuer}/jwks`;
  return {
    issuer,
    jwksUrl,
    env: {
      RRC_AUTH_SECRET: '',
      RRC_AUTH_JWKS_URL: jwksUrl,
      RRC_AUTH_ISSUER: issuer,
      RRC_AUTH_AUDIENCE: AUDIENCE,
      RRC_AUTH_ROLES_CLAIM: 'realm_access.roles',
      RRC_AUTH_STATE_CLAIM: 'rrc_state',
      RRC_AUTH_ROLE_MAP:
        'rrc-caseworker:caseworker,rrc-liaison:liaison,rrc-monitor:monitor,rrc-analyst:analyst,rrc-admin:admin',
    },
    async machineToken(clientId, options = {}) {
      const res = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${MACHINE_SECRET}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          scope: 'rrc',
          resource: options.resource ?? AUDIENCE,
        }),
      });
      const body = (await res.json()) as { access_token?: string };
      if (!res.ok || !body.access_token) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
      return body.access_token;
    },
    async allowUi(base) {
      uiBase = base;
      build();
    },
    async rotateKeys() {
      keys = [await signingKey()];
      build();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
