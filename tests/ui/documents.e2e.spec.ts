import { existsSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPdf } from '../documents/document-fixtures.ts';
import { agreementBody, cleared, familyCaseBody } from '../support/http-fixtures.ts';
import { startRrc, type RrcProcess } from '../support/rrc-process.ts';

/**
 * Documents in the web UI, in the system Chromium against the real server: a caseworker
 * attaches a passport copy to the readmission request form; the origin State's liaison sees
 * it on the request page and downloads it (fetched with the token, saved from a blob URL),
 * byte for byte. A document kept by the destination State is not listed for the liaison.
 *
 * No browser at /usr/bin/chromium (or RRC_CHROMIUM): the suite is skipped, with the reason.
 */
const CHROMIUM = process.env.RRC_CHROMIUM ?? '/usr/bin/chromium';
const browserMissing = !existsSync(CHROMIUM);
if (browserMissing) {
  console.warn(
    `UI documents e2e spec skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set RRC_CHROMIUM).`,
  );
}

(browserMissing ? describe.skip : describe)('the web UI: a passport copy sent with a readmission request', () => {
  let rrc: RrcProcess;
  let browser: Browser;
  let page: Page;
  let caseId = '';
  let agreementId = '';
  const tokens = { caseworker: '', liaison: '' };
  const pageErrors: string[] = [];
  const passport = tinyPdf('Passport copy of a fictional person, page 2');

  const call = async (path: string, token: string, body: unknown) => {
    const res = await fetch(`${rrc.base}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as Record<string, string>;
  };

  const signIn = async (role: keyof typeof tokens) => {
    await page.goto(`${rrc.base}/ui#/sign-in`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByLabel('Token').fill(tokens[role]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Sign in' }).waitFor();
  };

  const openCase = async () => {
    await page.goto(`${rrc.base}/ui#/cases/${caseId}`);
    await page.getByRole('heading', { level: 1, name: new RegExp(caseId) }).waitFor();
  };

  beforeAll(async () => {
    rrc = await startRrc();
    const admin = await rrc.token('--role', 'admin', '--sub', 'ops-admin');
    tokens.caseworker = await rrc.token('--role', 'caseworker', '--state', 'DE', '--sub', 'carla-caseworker');
    tokens.liaison = await rrc.token('--role', 'liaison', '--state', 'PK', '--sub', 'pavel-liaison');
    agreementId = (await call('/v1/agreements', admin, agreementBody({ destinationStates: ['DE'] }))).agreementId!;
    caseId = (await call('/v1/cases', tokens.caseworker, familyCaseBody())).caseId!;
    await call(`/v1/cases/${caseId}/verify-protection-status`, tokens.caseworker, cleared);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    const context = await browser.newContext({ acceptDownloads: true, timezoneId: 'UTC', locale: 'en-GB' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rrc?.stop();
  });

  it('the caseworker attaches a passport copy to the readmission request', async () => {
    await signIn('caseworker');
    await openCase();
    const request = page.locator('li.action[data-action="submit-readmission-request"]');
    await request.locator('summary').click();
    await request.getByLabel('Agreement').selectOption(agreementId);
    await request.getByLabel('Procedure').selectOption('normal');
    await request.getByLabel('Request interview').check();
    // Only kinds that may go to the origin State are offered with the request.
    const kinds = await request.getByLabel('Kind of document').locator('option').allTextContents();
    expect(kinds).toContain('Passport copy');
    expect(kinds).not.toContain('Medical certificate');
    await request.getByLabel('File').setInputFiles({ name: 'scan.pdf', mimeType: 'application/pdf', buffer: passport });
    await request.getByLabel('Kind of document').selectOption('passport-copy');
    await request.getByRole('button', { name: 'Submit readmission request' }).click();
    await page.locator('.case-notice', { hasText: 'Document sent with request q1: Passport copy' }).waitFor();

    // A second document from the case page, kept by the destination State.
    const upload = page.getByRole('form', { name: 'Upload a document' });
    await upload
      .getByLabel('File')
      .setInputFiles({ name: 'photo.pdf', mimeType: 'application/pdf', buffer: tinyPdf('photo') });
    await upload.getByLabel('Kind of document').selectOption('medical-certificate');
    await upload.getByRole('button', { name: 'Upload document' }).click();
    await page.locator('.case-notice', { hasText: 'Document uploaded: Medical certificate' }).waitFor();
    const rows = page.locator('#sec-documents ~ div table tbody tr');
    expect(await rows.count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });

  it('the liaison of the origin State sees the passport copy only, and downloads it', async () => {
    await signIn('liaison');
    await openCase();
    const section = page.locator('section[aria-labelledby="sec-documents"]');
    await section.locator('table').waitFor();
    expect(await section.locator('tbody tr').count()).toBe(1);
    expect(await section.locator('tbody tr').first().textContent()).toContain('Passport copy');
    expect(await section.textContent()).not.toContain('Medical certificate');
    expect(await page.getByRole('form', { name: 'Upload a document' }).count()).toBe(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download Passport copy' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^document-[0-9a-f-]{36}\.pdf$/);
    const saved = await download.path();
    expect(Buffer.compare(readFileSync(saved), passport)).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
