import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementBody } from '../support/http-fixtures.ts';
import { startRrc, type RrcProcess } from '../support/rrc-process.ts';
import { browserMissing, launchChromium, warnIfNoBrowser } from '../support/ui-browser.ts';

/**
 * One case walked through the web UI by all four roles, from opening to `returned`, in the
 * system Chromium against the real server (`rrc serve`). The server reads the real clock,
 * so dates are relative to today (UTC; the browser runs in UTC too). A screenshot of each
 * step goes to tests/ui/screenshots/ (gitignored).
 *
 * No browser at /usr/bin/chromium (or RRC_CHROMIUM): the suite is skipped, with the reason.
 */
const SHOTS = path.resolve(import.meta.dirname, 'screenshots');
warnIfNoBrowser('UI return-journey e2e spec');

const DAY = 86_400_000;
const HOUR = 3_600_000;
const date = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The value a datetime-local input takes, in UTC (the browser's zone here). */
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const label = (action: string) => action.charAt(0).toUpperCase() + action.slice(1).replaceAll('-', ' ');

(browserMissing ? describe.skip : describe)('the web UI: one return, four roles', () => {
  let rrc: RrcProcess;
  let browser: Browser;
  let page: Page;
  let caseId = '';
  let agreementId = '';
  const tokens: Record<'caseworker' | 'liaison' | 'monitor' | 'analyst', string> = {
    caseworker: '',
    liaison: '',
    monitor: '',
    analyst: '',
  };
  const pageErrors: string[] = [];
  const now = Date.now();
  const today = date(now);
  const departure = now + 26 * HOUR; // past the agreement's 24-hour notice of arrival
  let shot = 0;

  const screenshot = async (name: string) => {
    shot += 1;
    await page.screenshot({ path: path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`), fullPage: true });
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
    const input = page.getByLabel('Case id');
    await input.fill(caseId);
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(caseId) }).waitFor();
  };

  /** Opens the case from a list page (worklist, inbox), asking again until the read model has it. */
  const openFromList = async () => {
    const link = page.locator('table').getByRole('link', { name: caseId });
    for (let attempt = 0; !(await link.isVisible()); attempt++) {
      if (attempt === 40) throw new Error(`case ${caseId} never appeared in the list`);
      await page.waitForTimeout(250);
      await page.getByRole('button', { name: 'Show' }).click();
    }
    await link.click();
    await page.getByRole('heading', { level: 1, name: new RegExp(caseId) }).waitFor();
  };

  /** Opens the action's form, lets `fill` fill it, submits, and waits for the case to reload. */
  const act = async (action: string, fill: (form: Locator) => Promise<void>) => {
    const item = page.locator(`li.action[data-action="${action}"]`);
    if ((await item.locator('details').getAttribute('open')) === null) await item.locator('summary').click();
    const form = item.locator('form');
    await fill(form);
    await form.getByRole('button', { name: label(action), exact: true }).click();
    await page.locator('.case-notice', { hasText: `${label(action)}: done` }).waitFor();
  };

  const statusText = () => page.locator('.lead .badge').first().textContent();

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rrc = await startRrc();
    const [admin, caseworker, liaison, monitor, analyst] = await Promise.all([
      rrc.token('--role', 'admin', '--sub', 'ops-admin'),
      rrc.token('--role', 'caseworker', '--state', 'DE', '--sub', 'carla-caseworker'),
      rrc.token('--role', 'liaison', '--state', 'PK', '--sub', 'pavel-liaison'),
      rrc.token('--role', 'monitor', '--sub', 'mona-monitor'),
      rrc.token('--role', 'analyst', '--sub', 'anna-analyst'),
    ]);
    Object.assign(tokens, { caseworker, liaison, monitor, analyst });

    const res = await fetch(`${rrc.base}/v1/agreements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(
        agreementBody({ title: 'Readmission agreement DE–PK (fictional)', destinationStates: ['DE'] }),
      ),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    agreementId = ((await res.json()) as { agreementId: string }).agreementId;

    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      timezoneId: 'UTC',
      locale: 'en-GB',
    });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(`console: ${m.text()}`);
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rrc?.stop();
  });

  it('serves the UI shell publicly, with its own strict CSP', async () => {
    const res = await fetch(`${rrc.base}/ui`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const rules = (await (await fetch(`${rrc.base}/ui/rules.json`)).json()) as Record<string, string>;
    expect(rules['wrong-stage']).toMatch(/stage/);
  });

  it('caseworker: signs in, opens a case, sees what blocks, verifies protection, submits the request', async () => {
    await page.goto(`${rrc.base}/ui#/sign-in`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Skip to content');
    await signIn('caseworker');
    expect(await page.locator('#who').textContent()).toContain('carla-caseworker');
    expect(await page.locator('#who').textContent()).toContain('State DE');
    await screenshot('caseworker-worklist');

    await page.getByRole('link', { name: 'Open a case' }).click();
    await page.getByRole('heading', { level: 1, name: 'Open a case' }).waitFor();
    const person = page.getByRole('group', { name: 'Person' });
    await person.getByLabel('Given names').fill('Amina');
    await person.getByLabel('Family name').fill('Testova');
    await person.getByLabel('Sex').selectOption('female');
    await person.getByLabel('Date of birth').fill('1990-04-01');
    await person.getByLabel('Place of birth').fill('Faisalabad');
    await person.getByLabel('Nationality').fill('pk');
    await person.getByLabel('Languages').fill('ur, en');
    await page.getByRole('button', { name: 'Add household member' }).click();
    const child = page.getByRole('group', { name: 'Household member 1' });
    await child.getByLabel('Given names').fill('Sami');
    await child.getByLabel('Family name').fill('Testova');
    await child.getByLabel('Date of birth').fill('2019-05-02');
    await child.getByLabel('Relationship').selectOption('child');
    await page.getByLabel('Origin State').fill('PK');
    const decision = page.getByRole('group', { name: 'Return decision' });
    await decision.getByLabel('Reference').fill('RD-2026-0001');
    await decision.getByLabel('Issued on').fill(date(now - 30 * DAY));
    await screenshot('caseworker-open-case-form');
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.waitForURL(/#\/cases\/(?!new$)[^/]+$/);
    caseId = decodeURIComponent(page.url().split('#/cases/')[1]!);
    await page.getByRole('heading', { level: 1, name: `Case ${caseId}` }).waitFor();
    expect(await statusText()).toBe('intake');

    // Every entry of allowedActions has its form, generated from the action's JSON schema.
    const res = await fetch(`${rrc.base}/v1/cases/${caseId}`, {
      headers: { authorization: `Bearer ${tokens.caseworker}` },
    });
    const { allowedActions } = (await res.json()) as { allowedActions: { action: string; blockedBy: string[] }[] };
    expect(await page.locator('li.action form').count()).toBe(allowedActions.length);
    expect(await page.locator('li.action.blocked').count()).toBe(
      allowedActions.filter((a) => a.blockedBy.length).length,
    );

    // Planning a removal is blocked, and the page says why in plain words.
    const plan = page.locator('li.action.blocked[data-action="plan-removal"]');
    expect(await plan.locator('ul.rules').textContent()).toContain('Protection status must be verified final');
    expect(await plan.locator('select, input').first().isDisabled()).toBe(true);
    await screenshot('caseworker-case-intake');

    // A form sent half-filled: the 400's field errors appear beside their fields.
    const verify = page.locator('li.action[data-action="verify-protection-status"]');
    await verify.locator('summary').click();
    await verify.getByRole('button', { name: 'Verify protection status' }).click();
    await verify.locator('.notice-error').waitFor();
    expect(await verify.locator('.notice-error').textContent()).toContain('HTTP 400');
    expect(await verify.locator('.field-error:not([hidden])').count()).toBeGreaterThan(0);
    await screenshot('caseworker-field-errors');

    await act('verify-protection-status', async (form) => {
      await form.getByLabel('Decision final on').fill(date(now - 10 * DAY));
      const assessment = form.getByRole('group', { name: 'Non refoulement assessment' });
      await assessment.getByLabel('Outcome').selectOption('no-risk');
      await assessment.getByLabel('Assessed on').fill(date(now - 5 * DAY));
      await assessment.getByLabel('Reasons').fill('No risk found for return to PK.');
    });

    await act('record-best-interests-assessment', async (form) => {
      await form.getByLabel('Member').selectOption('m1');
      await form.getByLabel('Assessed on').fill(date(now - 3 * DAY));
      await form.getByLabel('Assessing body').fill('Youth welfare office (fictional)');
      await form.getByLabel('Independent of enforcement').check();
      await form.getByLabel('Conclusion').selectOption('return-in-best-interests');
      await form.getByLabel('Reasons').fill('Returns with the mother; school place arranged.');
    });

    // A refusal (409) names every failing rule in plain words; the form keeps what was typed.
    const request = page.locator('li.action[data-action="submit-readmission-request"]');
    await request.locator('summary').click();
    await request.getByLabel('Agreement').selectOption(agreementId);
    await request.getByLabel('Procedure').selectOption('normal');
    await request.getByRole('button', { name: 'Submit readmission request' }).click();
    await request.locator('.notice-error').waitFor();
    const refusal = await request.locator('.notice-error').textContent();
    expect(refusal).toContain('HTTP 409');
    expect(refusal).toContain('The request must carry evidence of nationality or ask for an interview.');
    await screenshot('caseworker-refusal');
    await request.getByRole('button', { name: 'Add evidence item' }).click();
    const item = request.getByRole('group', { name: 'Evidence item 1' });
    await item.getByLabel('Type').fill('birth-certificate');
    await item.getByLabel('Reference').fill('BC-FSD-1990-0401');
    await request.getByRole('button', { name: 'Submit readmission request' }).click();
    await page.locator('.case-notice', { hasText: 'Submit readmission request: done' }).waitFor();
    expect(await statusText()).toBe('readmission');
    expect(await page.locator('table', { hasText: 'Readmission request submitted' }).count()).toBe(1);
    await act('record-obstacle', async (form) => {
      await form.getByLabel('Type').selectOption('no-transport');
      await form.getByLabel('Opened on').fill(today);
      await form.getByLabel('Note').fill('No scheduled seats this week.');
    });
    expect(
      await page.locator('section', { hasText: 'Open obstacles' }).locator('td', { hasText: 'No transport' }).count(),
    ).toBe(1);
    await screenshot('caseworker-request-submitted');
  });

  it('liaison: finds the request, sees the allow-listed view only, accepts and issues a travel document', async () => {
    await signIn('liaison');
    await page.getByRole('heading', { level: 1, name: 'Readmission requests' }).waitFor();
    await openFromList();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Readmission requests' }).waitFor();
    await screenshot('liaison-inbox');
    await openFromList();
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain('Amina');
    for (const hidden of ['No risk found', 'Youth welfare office', 'Timeline', 'Holds'])
      expect(body).not.toContain(hidden);
    await screenshot('liaison-request');

    await act('accept-readmission', async (form) => {
      await form.getByLabel('Accepted on').fill(today);
    });
    await act('issue-travel-document', async (form) => {
      await form.getByLabel('Document number').fill('ETD-2026-0042');
      await form.getByLabel('Issued on').fill(today);
      await form.getByLabel('Valid until').fill(date(now + 180 * DAY));
    });
    expect(await statusText()).toBe('accepted');
    await screenshot('liaison-accepted-travel-document');
  });

  it('caseworker: plans an unescorted removal a day ahead and records the departure', async () => {
    await signIn('caseworker');
    await openFromList();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Worklist' }).waitFor();
    await screenshot('caseworker-worklist-with-case');
    await openFromList();
    // Keyboard only: the summary opens with Enter, the picker offers the case's open obstacles.
    const resolve = page.locator('li.action[data-action="resolve-obstacle"]');
    await resolve.locator('summary').focus();
    await page.keyboard.press('Enter');
    await act('resolve-obstacle', async (form) => {
      await form.getByLabel('Obstacle').selectOption({ label: 'o1: No transport' });
      await form.getByLabel('Resolved on').fill(today);
      await form.getByLabel('Note').fill('Seats found.');
    });
    await act('plan-removal', async (form) => {
      await form.getByLabel('Departure at').fill(local(departure));
      await form.getByLabel('Mode').selectOption('unescorted');
      const transport = form.getByRole('group', { name: 'Transport' });
      await transport.getByLabel('Kind').selectOption('scheduled-flight');
      await transport.getByLabel('Reference').fill('XY 123');
    });
    expect(await statusText()).toBe('removal-planned');
    await screenshot('caseworker-removal-planned');
    await act('record-departure', async (form) => {
      await form.getByLabel('Departed at').fill(local(departure + 10 * 60_000));
    });
    expect(await statusText()).toBe('departed');
    await screenshot('caseworker-departed');
  });

  it('liaison: confirms the arrival, which closes the case as returned', async () => {
    await signIn('liaison');
    await openCase();
    await act('confirm-arrival', async (form) => {
      await form.getByLabel('Arrived at').fill(local(departure + 6 * HOUR));
      await form.getByLabel('Handed over to').fill('FIA Islamabad airport (fictional)');
    });
    expect(await page.locator('main').textContent()).toContain('Case closed');
    await screenshot('liaison-arrival-confirmed');
  });

  it('monitor: sees the removal and the returned case, and records an observation', async () => {
    await signIn('monitor');
    await page.getByRole('heading', { level: 1, name: 'Upcoming removals' }).waitFor();
    await page.getByLabel('From').fill(today);
    await page.getByRole('button', { name: 'Show' }).click();
    await page.locator('main section.panel').first().waitFor();
    await screenshot('monitor-removals');
    await page.getByRole('link', { name: 'Incidents and concerns' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents and concerns' }).waitFor();
    await screenshot('monitor-incidents');
    await openCase();
    expect(await statusText()).toBe('closed');
    expect(await page.locator('.lead').textContent()).toContain('returned');
    await act('record-monitoring-observation', async (form) => {
      await form.getByLabel('Phase').selectOption('post-return');
      await form.getByLabel('Observed at').fill(local(departure + 7 * HOUR));
      await form.getByLabel('Text').fill('Handover orderly; family kept together.');
    });
    expect(await page.locator('table', { hasText: 'Monitoring observation recorded' }).count()).toBe(1);
    await act('raise-safeguard-concern', async (form) => {
      await form.getByLabel('Severity').selectOption('minor');
      await form.getByLabel('Text').fill('The interpreter arrived late at the handover.');
    });
    await screenshot('monitor-case-returned');
    await page.getByRole('link', { name: 'Incidents and concerns' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incidents and concerns' }).waitFor();
    await openFromList();
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: 'Incidents and concerns' }).waitFor();
    await screenshot('monitor-incidents-with-concern');
  });

  it('at 200% zoom the case page reflows: no sideways scrolling', async () => {
    // 200% zoom of a 1280 × 900 window: a 640 × 450 CSS-pixel viewport at twice the pixel density.
    const zoomed = await browser.newContext({
      viewport: { width: 640, height: 450 },
      deviceScaleFactor: 2,
      timezoneId: 'UTC',
    });
    const previous = page;
    page = await zoomed.newPage();
    try {
      await signIn('caseworker');
      await openCase();
      const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot('caseworker-case-at-200-percent');
    } finally {
      await zoomed.close();
      page = previous;
    }
  });

  it('analyst: sees the reports (charts where the server serves them) and no case data', async () => {
    await signIn('analyst');
    await page.getByRole('heading', { level: 1, name: 'Reports' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Readmission obstacles' }).waitFor();
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).not.toContain('Amina');
    const csv = page.getByRole('button', { name: 'Download CSV' });
    if (await csv.isVisible()) {
      const [download] = await Promise.all([page.waitForEvent('download'), csv.click()]);
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
    } else {
      expect(text).toContain('not available on this server yet');
    }
    await screenshot('analyst-reports');
    expect(pageErrors).toEqual([]);
  });
});
