import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, UI_CLIENT_ID, type OidcProvider } from '../support/oidc-provider.ts';
import { startRrc, type RrcProcess } from '../support/rrc-process.ts';
import { browserMissing, launchChromium, warnIfNoBrowser } from '../support/ui-browser.ts';

/**
 * Signing in to the web UI at a real OpenID provider (oidc-provider on 127.0.0.1,
 * tests/support/oidc-provider.ts): Authorization Code with PKCE through the provider's own
 * login page, the worklist with the mapped role and State, a silent renewal with the refresh
 * token, the "signed out" page when renewal fails, sign-out at the provider, and the reason
 * given when the server refuses the person (no rrc role).
 *
 * No browser at /usr/bin/chromium (or RRC_CHROMIUM): skipped, with the reason printed.
 */
warnIfNoBrowser('OIDC sign-in e2e spec');

(browserMissing ? describe.skip : describe)('the web UI signs in at an OpenID provider', () => {
  let op: OidcProvider;
  let rrc: RrcProcess;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  // Evaluated in the page (a string: this file is type-checked for Node, without the DOM).
  const storage = (key: string) => page.evaluate<string | null>(`sessionStorage.getItem(${JSON.stringify(key)})`);
  /** Makes the UI's access token look about to expire, with other stored values replaced. */
  const expireToken = (changes: Record<string, string> = {}) =>
    page.evaluate(`{
      const tokens = JSON.parse(sessionStorage.getItem('rrc.oidc'));
      sessionStorage.setItem('rrc.oidc', JSON.stringify({ ...tokens, expiresAt: Date.now(), ...${JSON.stringify(changes)} }));
    }`);

  /** From the UI's sign-in page through the provider's login page back to the UI. */
  const signIn = async (login: string) => {
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any password will do');
    await page.getByRole('button', { name: 'Sign-in' }).click();
  };

  beforeAll(async () => {
    op = await startOidcProvider();
    rrc = await startRrc({ ...op.env, RRC_AUTH_CLIENT_ID: UI_CLIENT_ID, RRC_AUTH_SCOPE: 'openid rrc' });
    await op.allowUi(rrc.base);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    // Loopback only: the provider's development pages @import a web font, which is refused here.
    await context.route(
      (url) => url.hostname !== '127.0.0.1',
      (route) => route.abort(),
    );
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rrc?.stop();
    await op?.close();
  });

  it('offers sign-in at the provider, not a token field', async () => {
    await page.goto(`${rrc.base}/ui`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(await page.getByLabel('Token').count()).toBe(0);
    expect(await page.locator('main').textContent()).toContain(new URL(op.issuer).host);
  });

  it('signs in with Authorization Code and PKCE and shows the worklist of the mapped role and State', async () => {
    const authorize = page.waitForRequest((r) => r.url().startsWith(`${op.issuer}/auth`));
    await signIn('carla.caseworker');
    const request = new URL((await authorize).url());
    expect(request.searchParams.get('code_challenge_method')).toBe('S256');
    expect(request.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(request.searchParams.get('redirect_uri')).toBe(`${rrc.base}/ui`);

    await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    const who = await page.locator('#who').textContent();
    expect(who).toContain('carla.caseworker');
    expect(who).toContain('caseworker');
    expect(who).toContain('State DE');
    expect(new URL(page.url()).search).toBe(''); // the code is gone from the address
    const token = (await storage('rrc.token'))!;
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    expect(decodeJwt(token)).toMatchObject({ sub: 'carla.caseworker', realm_access: { roles: expect.any(Array) } });
  });

  it('renews the access token with the refresh token before it expires', async () => {
    const before = await storage('rrc.token');
    await expireToken();
    const renewal = page.waitForResponse((r) => r.url() === `${op.issuer}/token`);
    await page.getByRole('button', { name: 'Show' }).click();
    expect((await renewal).status()).toBe(200);
    await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    await expect.poll(() => storage('rrc.token')).not.toBe(before);
    expect(await page.locator('.notice-error').count()).toBe(0);
  });

  it('says the session has ended when renewal is refused', async () => {
    await expireToken({ refreshToken: 'revoked-refresh-token' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('heading', { level: 1, name: 'Signed out' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('Your session has ended');
    expect(await storage('rrc.token')).toBeNull();
  });

  it('signs in again and signs out at the provider, which sends the browser back to the UI', async () => {
    // The provider's session is still there: it sends the browser straight back, no login page.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL((url) => url.href.startsWith(op.issuer));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    expect(page.url().startsWith(`${rrc.base}/ui`)).toBe(true);
    expect(await storage('rrc.token')).toBeNull();
    expect(await page.locator('#who').textContent()).toBe('');
    // The provider's session is gone too: signing in asks for the login again.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('input[name="login"]').waitFor();
  });

  it('says why when the server refuses who signed in: no rrc role at the provider', async () => {
    // The provider's login page of the last step is open.
    await page.locator('input[name="login"]').fill('otto.outsider');
    await page.locator('input[name="password"]').fill('any password will do');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('no rrc role');
    expect(await storage('rrc.token')).toBeNull();
    expect(new URL(page.url()).search).toBe('');
    expect(pageErrors).toEqual([]);
  });
});
