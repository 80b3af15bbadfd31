// Sign-in at the organisation's OpenID provider: Authorization Code with PKCE, done by
// oauth4webapi (served by this server from node_modules, /ui/vendor/oauth4webapi.js), no
// OAuth code of our own. What the server trusts comes from /ui/config.json:
// - signIn 'oidc': this module; the redirect (and post-sign-out) URI is this origin's /ui;
// - signIn 'token': a pasted `rrc token` (app.js), for the data-dir-secret mode;
// - signIn 'none': the server trusts a provider but no client id is configured for the UI.
// Tokens live in this tab's sessionStorage only. The access token is renewed with the refresh
// token shortly before it expires; when that fails the tab is signed out and says so. The
// sign-in page for this mode is here too (app.js keeps the token-pasting one).
import * as oauth from './vendor/oauth4webapi.js';
import { api, session, setTokenSource } from './api.js';
import { announce, h, notice } from './dom.js';
import { t } from './i18n.js';

const PENDING_KEY = 'rrc.oidc.pending';
const TOKENS_KEY = 'rrc.oidc';
/** Renew this long before the access token expires (clocks differ, requests take time). */
const RENEW_BEFORE_MS = 30_000;

let configPromise;
/** The server's sign-in configuration (public), fetched once. */
export function authConfig() {
  configPromise ??= fetch('/ui/config.json', { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : { signIn: 'token', issuer: null }))
    .catch(() => ({ signIn: 'token', issuer: null }));
  return configPromise;
}

const redirectUri = (config) => `${location.origin}${config.redirectPath}`;
const extra = (config) => (config.resource ? { resource: config.resource } : undefined);

let serverPromise;
/** The provider's metadata (discovery), fetched once. Plain http only for a provider on this machine. */
function provider(config) {
  serverPromise ??= (async () => {
    const issuer = new URL(config.issuer);
    const loopback = ['127.0.0.1', '[::1]', 'localhost'].includes(issuer.hostname);
    const options = loopback ? { [oauth.allowInsecureRequests]: true } : {};
    const response = await oauth.discoveryRequest(issuer, { ...options, algorithm: 'oidc' });
    const as = await oauth.processDiscoveryResponse(issuer, response);
    return { as, client: { client_id: config.clientId }, options };
  })();
  serverPromise.catch(() => (serverPromise = undefined));
  return serverPromise;
}

function stored() {
  try {
    return JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? 'null');
  } catch {
    return null;
  }
}

function keep(result, previous) {
  const tokens = {
    refreshToken: result.refresh_token ?? previous?.refreshToken,
    idToken: result.id_token ?? previous?.idToken,
    expiresAt: Date.now() + (result.expires_in ?? 300) * 1000,
  };
  session.replaceToken(result.access_token);
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
}

/** Starts signing in: off to the provider's login page, back at /ui with a code. */
async function startSignIn() {
  const config = await authConfig();
  const { as } = await provider(config);
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: config.clientId,
    redirect_uri: redirectUri(config),
    response_type: 'code',
    scope: config.scope,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    ...extra(config),
  }).toString();
  const back = location.hash.startsWith('#/sign-in') ? '#/' : location.hash || '#/';
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, back }));
  location.assign(url.href);
}

/** True when this page load is the provider sending the browser back (with a code or an error). */
function isSignInResponse() {
  const params = new URLSearchParams(location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/**
 * Finishes signing in: checks the response against this tab's state, trades the code (with
 * the PKCE verifier) for tokens, asks the server who that is, and takes the URL back to a
 * route. Throws with a message for people when anything is off.
 */
async function completeSignIn() {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
  const url = new URL(location.href);
  history.replaceState(null, '', `${location.pathname}${pending?.back ?? '#/'}`); // the code is used once
  sessionStorage.removeItem(PENDING_KEY);
  if (!pending) throw new Error(t('auth.notStarted'));
  const config = await authConfig();
  const { as, client, options } = await provider(config);
  let result;
  try {
    const params = oauth.validateAuthResponse(as, client, url, pending.state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri(config),
      pending.verifier,
      { ...options, additionalParameters: extra(config) },
    );
    result = await oauth.processAuthorizationCodeResponse(as, client, response);
  } catch (e) {
    throw new Error(t('auth.notSignedIn', { reason: e.error_description ?? e.error ?? e.message }));
  }
  session.signIn(result.access_token); // a clean session: nothing of the last user's carries over
  keep(result);
  try {
    await whoAmI();
  } catch (e) {
    if (e.status !== 401) throw e;
    throw new Error(t('auth.noRole'));
  }
}

/** The server's view of the signed-in person (roles and State after its claim mapping). */
async function whoAmI() {
  const { data } = await api('/v1/me');
  session.principal = data;
  return data;
}

let renewing;
/** The access token, renewed first when it is about to expire; null when the session ended. */
async function freshToken() {
  const tokens = stored();
  if (!session.token || !tokens) return session.token;
  if (tokens.expiresAt - Date.now() > RENEW_BEFORE_MS) return session.token;
  renewing ??= renew(tokens).finally(() => (renewing = undefined));
  return renewing;
}

async function renew(tokens) {
  if (tokens.refreshToken) {
    try {
      const config = await authConfig();
      const { as, client, options } = await provider(config);
      const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refreshToken, {
        ...options,
        additionalParameters: extra(config),
      });
      keep(await oauth.processRefreshTokenResponse(as, client, response), tokens);
      return session.token;
    } catch {
      // the provider ended the session (or the refresh token expired): signed out below
    }
  }
  sessionStorage.clear();
  window.dispatchEvent(new CustomEvent('rrc:signed-out'));
  return null;
}

/** Signs out here and at the provider (RP-initiated logout), which sends the browser back to /ui. */
export async function signOutAtProvider() {
  const tokens = stored();
  session.signOut();
  const config = await authConfig();
  const { as } = await provider(config).catch(() => ({ as: {} }));
  if (!as.end_session_endpoint) return false;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('post_logout_redirect_uri', redirectUri(config));
  if (tokens?.idToken) url.searchParams.set('id_token_hint', tokens.idToken);
  location.assign(url.href);
  return true;
}

/** Why the last sign-in at the provider failed, shown on the next sign-in page. */
let signInError = null;

/** Sign-in at the identity provider (or why there is none); `?reason=expired`: the session ended. */
export function providerSignInPage(config, params) {
  const expired = params.get('reason') === 'expired';
  const error = h('div', { 'aria-live': 'polite', tabindex: '-1' });
  const fail = (message) => error.replaceChildren(notice('error', h('p', { role: 'alert' }, message)));
  if (signInError) fail(signInError);
  signInError = null;
  if (config.signIn !== 'oidc') {
    fail(t('auth.notSetUp'));
    return h('div', {}, h('h1', { tabindex: '-1' }, t('signIn.title')), error);
  }
  const button = h('button', { type: 'button' }, t('signIn.submit'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await startSignIn();
    } catch (e) {
      button.disabled = false;
      fail(t('auth.unreachable', { message: e.message }));
    }
  });
  return h(
    'div',
    { class: 'sign-in' },
    h('h1', { tabindex: '-1' }, expired ? t('auth.signedOutTitle') : t('signIn.title')),
    expired ? notice('warn', h('p', {}, t('auth.sessionEnded'))) : '',
    h('p', {}, t('auth.atProvider', { host: new URL(config.issuer).host })),
    h('div', { class: 'buttons' }, button),
    error,
  );
}

/** On the page load that brings the browser back from the provider: finish signing in, or say why not. */
export async function finishSignIn() {
  if (!isSignInResponse()) return;
  try {
    await completeSignIn();
    announce(t('signIn.signedIn', { sub: session.claims?.sub }));
  } catch (e) {
    session.signOut();
    signInError = e.message;
    history.replaceState(null, '', `${location.pathname}#/sign-in`);
  }
}

/** Wires renewal into `api()` when the server wants provider sign-in; returns the configuration. */
export async function initAuth() {
  const config = await authConfig();
  if (config.signIn === 'oidc') setTokenSource(freshToken);
  return config;
}
