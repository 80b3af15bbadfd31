import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_TEXTS } from '../../domain/index.ts';
import { LOCALES_DIR } from '../../services/ui/plugin.ts';
import { body } from '../support/api-flow.ts';
import {
  artifactsDir,
  axeViolations,
  browserMissing,
  launchChromium,
  pageLanguage,
  showRoute,
  stored,
  signInWithToken,
  warnIfNoBrowser,
} from '../support/ui-browser.ts';
import { agreementBody, cleared, familyCaseBody } from '../support/http-fixtures.ts';
import { startRrc, type RrcProcess } from '../support/rrc-process.ts';

/**
 * The web UI in English, French and Arabic (issue 15), in the system Chromium against the real
 * server. The language follows the browser's; the menu switches it and the choice is
 * remembered. Arabic lays out right to left. Each role's pages pass axe-core's WCAG 2.1 AA
 * checks in every language; the Arabic run keeps screenshots of the worklist and a case page
 * in tmp/artifacts/ui-languages/ (gitignored; the path is printed).
 */
warnIfNoBrowser('UI languages e2e spec');

const catalogue = (lang: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(LOCALES_DIR, `${lang}.json`), 'utf8')) as Record<string, string>;

type RoleName = 'caseworker' | 'liaison' | 'monitor' | 'analyst';
/** Each role's main pages; `case` is the case page. */
const PAGES: Record<RoleName, string[]> = {
  caseworker: ['#/worklist', 'case', '#/cases/new'],
  liaison: ['#/inbox', 'case'],
  monitor: ['#/removals', '#/incidents', 'case'],
  analyst: ['#/reports'],
};

(browserMissing ? describe.skip : describe)('the web UI in English, French and Arabic', () => {
  let rrc: RrcProcess;
  let browser: Browser;
  let caseId = '';
  const tokens = {} as Record<RoleName, string>;
  const pageErrors: string[] = [];

  const call = async (route: string, token: string, payload: unknown) => {
    const res = await fetch(`${rrc.base}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as Record<string, string>;
  };

  /** A browser whose language is `locale` (what `navigator.languages` says), in UTC. */
  const contextIn = async (locale: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC', locale });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (e) => pageErrors.push(`${locale}: page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) pageErrors.push(`${locale}: ${m.text()}`);
      if (m.type() === 'warning' && /^i18n:/.test(m.text())) pageErrors.push(`${locale}: ${m.text()}`);
    });
    return { context, page };
  };

  const show = (page: Page, hash: string) => showRoute(page, rrc.base, hash === 'case' ? `#/cases/${caseId}` : hash);

  beforeAll(async () => {
    rrc = await startRrc();
    const admin = await rrc.token('--role', 'admin', '--sub', 'ops-admin');
    tokens.caseworker = await rrc.token('--role', 'caseworker', '--state', 'DE', '--sub', 'carla-caseworker');
    tokens.liaison = await rrc.token('--role', 'liaison', '--state', 'PK', '--sub', 'pavel-liaison');
    tokens.monitor = await rrc.token('--role', 'monitor', '--sub', 'mona-monitor');
    tokens.analyst = await rrc.token('--role', 'analyst', '--sub', 'anna-analyst');
    const { agreementId } = await call('/v1/agreements', admin, agreementBody({ destinationStates: ['DE'] }));
    // A family whose request is with the origin State: the liaison has it in the inbox, and
    // the child's best-interests assessment still blocks planning the removal.
    caseId = (await call('/v1/cases', tokens.caseworker, familyCaseBody())).caseId!;
    await call(`/v1/cases/${caseId}/verify-protection-status`, tokens.caseworker, cleared);
    await call(
      `/v1/cases/${caseId}/submit-readmission-request`,
      tokens.caseworker,
      body('submit-readmission-request', { agreementId: agreementId! }),
    );
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rrc?.stop();
  });

  it('follows an Arabic browser: right to left, Arabic words, screenshots of the worklist and a case page', async () => {
    const ar = catalogue('ar');
    const shots = artifactsDir('ui-languages');
    const { context, page } = await contextIn('ar-EG');
    // The sign-in page is Arabic already: the browser's language, before anyone chose.
    await page.goto(`${rrc.base}/ui#/sign-in`);
    await page.locator('main h1', { hasText: ar['signIn.title']! }).waitFor();
    await signInWithToken(page, rrc.base, tokens.caseworker);
    await show(page, '#/worklist');
    expect(await pageLanguage(page)).toEqual(['ar', 'rtl']);
    expect(await page.locator('main h1').textContent()).toBe(ar['worklist.title']);
    expect(await page.locator('#nav').textContent()).toContain(ar['nav.openCase']);
    // The table reads from the right: its first column starts at the right edge of the page.
    const firstHeader = await page.locator('main table th').first().boundingBox();
    const lastHeader = await page.locator('main table th').last().boundingBox();
    expect(firstHeader!.x).toBeGreaterThan(lastHeader!.x);
    await page.locator('main table').getByRole('link', { name: caseId }).waitFor();
    await page.screenshot({ path: path.join(shots, 'ar-worklist.png'), fullPage: true });

    await show(page, 'case');
    // The id kept left to right inside the Arabic heading (Unicode isolates).
    expect(await page.locator('main h1').textContent()).toBe(
      ar['case.title']!.replace('{caseId}', `\u2066${caseId}\u2069`),
    );
    // Every blocked action shows its rules in Arabic, with their ids unchanged.
    const blocked = page.locator('li.action.blocked');
    expect(await blocked.count()).toBeGreaterThan(0);
    const first = blocked.first();
    const ids = await first.locator('ul.rules code').allTextContents();
    expect(ids.length).toBeGreaterThan(0);
    const rules = (await first.locator('ul.rules').textContent()) ?? '';
    for (const id of ids) expect(rules).toContain(RULE_TEXTS.ar[id as keyof typeof RULE_TEXTS.ar]);
    const action = (await first.getAttribute('data-action'))!;
    expect(await first.locator('.action-name').textContent()).toContain(ar[`action.${action}`]);
    await page.screenshot({ path: path.join(shots, 'ar-case.png'), fullPage: true });

    // A refusal from the API comes back in Arabic too (Accept-Language), its rule id as sent.
    const open = page.locator('li.action[data-action="record-best-interests-assessment"]');
    await open.locator('summary').click();
    await open.locator('button[type="submit"]').click();
    const problem = open.locator('.notice-error');
    await problem.waitFor();
    expect(await problem.textContent()).toContain('الطلب غير صالح'); // the 400's title, from the API

    // The analyst's charts and tables, mirrored (for a look; the checks are axe's and the text's).
    await signInWithToken(page, rrc.base, tokens.analyst);
    await show(page, '#/reports');
    expect(await page.locator('main h1').textContent()).toBe(ar['nav.reports']);
    await page.screenshot({ path: path.join(shots, 'ar-reports.png'), fullPage: true });
    await context.close();
  }, 90_000);

  it('switches language from the menu and remembers the choice', async () => {
    const fr = catalogue('fr');
    const { context, page } = await contextIn('en-GB');
    await signInWithToken(page, rrc.base, tokens.liaison);
    await show(page, '#/inbox');
    expect(await page.locator('main h1').textContent()).toBe('Readmission requests');
    await page.locator('#language').selectOption('fr');
    await expect.poll(() => pageLanguage(page)).toEqual(['fr', 'ltr']);
    await page.locator('main h1', { hasText: fr['inbox.title']! }).waitFor();
    expect(await stored(page, 'rrc.lang')).toBe('fr');
    // Remembered: a new tab of the same browser (sign-in is per tab) opens in French.
    const second = await context.newPage();
    await signInWithToken(second, rrc.base, tokens.liaison);
    expect((await pageLanguage(second))[0]).toBe('fr');
    expect(await second.locator('main h1').textContent()).toBe(fr['inbox.title']);
    await context.close();
  }, 60_000);

  for (const [locale, lang] of [
    ['en-GB', 'en'],
    ['fr-FR', 'fr'],
    ['ar', 'ar'],
  ] as const) {
    it(`passes the accessibility check on every role's pages in ${lang}`, async () => {
      const { context, page } = await contextIn(locale);
      const found: string[] = [];
      for (const [role, hashes] of Object.entries(PAGES) as [RoleName, string[]][]) {
        await signInWithToken(page, rrc.base, tokens[role]);
        for (const hash of hashes) {
          await show(page, hash);
          expect(await pageLanguage(page)).toEqual([lang, lang === 'ar' ? 'rtl' : 'ltr']);
          for (const v of await axeViolations(page)) {
            found.push(`${role} ${hash}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).join(' | ')}`);
          }
        }
      }
      expect(found).toEqual([]);
      expect(pageErrors.filter((e) => e.startsWith(`${locale}:`))).toEqual([]);
      await context.close();
    }, 120_000);
  }

  it('the accessibility check itself finds a violation when there is one', async () => {
    const { context, page } = await contextIn('en-GB');
    await signInWithToken(page, rrc.base, tokens.analyst);
    await page.evaluate("document.querySelector('main').append(document.createElement('input'))"); // no label
    expect((await axeViolations(page)).map((v) => v.id)).toContain('label');
    await context.close();
  }, 60_000);

  it('raised no page errors and no missing messages', () => {
    expect(pageErrors).toEqual([]);
  });
});
