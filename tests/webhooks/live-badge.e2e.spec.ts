/**
 * The UI's live notices in a real browser: a caseworker's Worklist link shows a "new" badge
 * when a case of its State changes (services/ui/public/live.js reading GET /v1/events/stream
 * with fetch), and following the link clears it.
 *
 * Protection: `startLive` in services/ui/public/app.js's shell. Remove the call → no badge.
 * Skipped, with the reason, when there is no Chromium (as tests/ui/return-journey.e2e.spec.ts).
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const CHROMIUM = process.env.RRC_CHROMIUM ?? '/usr/bin/chromium';
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) console.warn(`live badge e2e skipped: no Chromium at ${CHROMIUM}`);

describe.skipIf(!hasBrowser)('live badges in the UI', () => {
  let t: TestApp;
  let api: Api;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('shows a badge on the Worklist link when a case of the State changes, and clears it on the list', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/ui#/sign-in`);
    await page.evaluate(`sessionStorage.setItem('rrc.token', ${JSON.stringify(api.tk.cw)})`);
    await page.goto(`${base}/ui#/cases/new`);
    const worklist = page.locator('#nav a[href="#/worklist"]');
    await expect.poll(() => worklist.count()).toBe(1);
    await expect.poll(() => t.services.webhooks.live.listeners(), { timeout: 10_000 }).toBe(1);

    await api.open();
    await expect.poll(() => worklist.textContent(), { timeout: 10_000 }).toContain('1 new');
    await worklist.click();
    await expect.poll(() => page.locator('h1').textContent()).toMatch(/Worklist/i);
    expect(await worklist.textContent()).not.toContain('new');
    expect(errors).toEqual([]);
    await page.close();
  });
});
