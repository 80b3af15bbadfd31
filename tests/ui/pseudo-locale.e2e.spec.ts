import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { body } from '../support/api-flow.ts';
import {
  browserMissing,
  launchChromium,
  pageLanguage,
  showRoute,
  signInWithToken,
  warnIfNoBrowser,
} from '../support/ui-browser.ts';
import { agreementBody, cleared, familyCaseBody } from '../support/http-fixtures.ts';
import { startRrc, type RrcProcess } from '../support/rrc-process.ts';

/**
 * No hard-coded English left in the UI (issue 15): in the pseudo-locale `en-XA` (the English
 * catalogue accented and bracketed, made in the browser by i18n.js), every role's main pages
 * show no visible text of plain ASCII words outside the brackets, except data: ids,
 * references, State codes, the fixtures' names and titles, tokens' subjects. A string that
 * skipped the catalogue shows up here as plain English.
 */
warnIfNoBrowser('UI pseudo-locale e2e spec');

type RoleName = 'caseworker' | 'liaison' | 'monitor' | 'analyst';
const PAGES: Record<RoleName, string[]> = {
  caseworker: ['#/worklist', 'case', '#/cases/new'],
  liaison: ['#/inbox', 'case'],
  monitor: ['#/removals', '#/incidents', 'case'],
  analyst: ['#/reports'],
};

/** Every string value of the fixtures, longest first: the data a page may show as it was sent. */
function dataStrings(...values: unknown[]): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 2) out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  values.forEach(walk);
  return [...out].sort((a, b) => b.length - a.length);
}

/** Runs in the page (a string: this Node project has no DOM types): `[where, text]` of each visible text. */
const VISIBLE_TEXTS = `(() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || !node.textContent.trim()) continue;
    if (el.closest('code, script, style, noscript, [hidden], .visually-hidden, details:not([open]) > :not(summary)')) continue;
    const lang = el.closest('[lang]')?.getAttribute('lang');
    if (lang && lang !== 'en-XA') continue;
    if (!el.checkVisibility()) continue;
    out.push([el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''), node.textContent]);
  }
  // Attributes people hear or see: labels, placeholders, titles.
  for (const el of document.querySelectorAll('[aria-label], [title], [placeholder]')) {
    for (const a of ['aria-label', 'title', 'placeholder']) {
      const v = el.getAttribute(a);
      if (v) out.push([el.tagName.toLowerCase() + '[' + a + ']', v]);
    }
  }
  out.push(['title', document.title]);
  return out;
})()`;

/**
 * The visible text nodes of the page that hold ASCII words outside `[…]`: skipping `<code>`
 * (rule ids, commands), elements in another language (`lang`: the language menu names each
 * language in itself) and the data words given.
 */
async function plainEnglish(page: Page, data: string[]): Promise<string[]> {
  const texts = await page.evaluate<[where: string, text: string][]>(VISIBLE_TEXTS);
  const uuid = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi;
  const withoutData = (text: string) =>
    data.reduce((t, d) => t.replaceAll(d, ' '), text.replace(/\[[^\]]*\]/g, ' ').replace(uuid, ' '));
  return texts
    .flatMap(([where, text]) =>
      (withoutData(text).match(/[A-Za-z][A-Za-z'’-]*[A-Za-z]/g) ?? []).map((w) => [w, where, text] as const),
    )
    .filter(([w]) => !/^[A-Z]{2,3}$/.test(w)) // State codes
    .map(([w, where, text]) => `${w} in ${where} “${text.trim().slice(0, 80)}”`);
}

(browserMissing ? describe.skip : describe)('the web UI in the pseudo-locale: no hard-coded English', () => {
  let rrc: RrcProcess;
  let browser: Browser;
  let caseId = '';
  const tokens = {} as Record<RoleName, string>;
  const subs = ['carla-caseworker', 'pavel-liaison', 'mona-monitor', 'anna-analyst'];
  const agreement = agreementBody({ destinationStates: ['DE'] });
  const family = familyCaseBody();
  const request = body('submit-readmission-request', { agreementId: 'set-below' });

  const call = async (route: string, token: string, payload: unknown) => {
    const res = await fetch(`${rrc.base}${route}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return (await res.json()) as Record<string, string>;
  };

  beforeAll(async () => {
    rrc = await startRrc();
    const admin = await rrc.token('--role', 'admin', '--sub', 'ops-admin');
    tokens.caseworker = await rrc.token('--role', 'caseworker', '--state', 'DE', '--sub', subs[0]!);
    tokens.liaison = await rrc.token('--role', 'liaison', '--state', 'PK', '--sub', subs[1]!);
    tokens.monitor = await rrc.token('--role', 'monitor', '--sub', subs[2]!);
    tokens.analyst = await rrc.token('--role', 'analyst', '--sub', subs[3]!);
    const { agreementId } = await call('/v1/agreements', admin, agreement);
    caseId = (await call('/v1/cases', tokens.caseworker, family)).caseId!;
    await call(`/v1/cases/${caseId}/verify-protection-status`, tokens.caseworker, cleared);
    await call(`/v1/cases/${caseId}/submit-readmission-request`, tokens.caseworker, {
      ...request,
      agreementId: agreementId!,
    });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await rrc?.stop();
  });

  it('walks the main pages of each role and finds only catalogue text and data', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, timezoneId: 'UTC' });
    // The pseudo-locale is a stored choice, as a user's would be (it is not in the menu).
    await context.addInitScript("localStorage.setItem('rrc.lang', 'en-XA')");
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const warnings: string[] = [];
    page.on('console', (m) => {
      if (/^i18n:/.test(m.text()) || m.type() === 'error') warnings.push(m.text());
    });
    const data = dataStrings(agreement, family, request, cleared, subs, ['rrc']);
    const found: string[] = [];
    let pages = 0;
    for (const [role, hashes] of Object.entries(PAGES) as [RoleName, string[]][]) {
      await signInWithToken(page, rrc.base, tokens[role]);
      for (const hash of hashes) {
        await showRoute(page, rrc.base, hash === 'case' ? `#/cases/${caseId}` : hash);
        expect((await pageLanguage(page))[0]).toBe('en-XA');
        // Every form and "everything recorded" open: their labels, hints and options count too.
        await page.evaluate("document.querySelectorAll('main details').forEach((d) => { d.open = true; })");
        pages += 1;
        for (const f of await plainEnglish(page, data)) found.push(`${role} ${hash}: ${f}`);
      }
    }
    expect(pages).toBe(9);
    expect([...new Set(found)]).toEqual([]);
    expect(warnings.filter((w) => !/Failed to load resource/.test(w))).toEqual([]);
    await context.close();
  }, 180_000);

  it('the check itself sees plain English: a text node added outside the catalogue is reported', async () => {
    const context = await browser.newContext({ timezoneId: 'UTC' });
    await context.addInitScript("localStorage.setItem('rrc.lang', 'en-XA')");
    const page = await context.newPage();
    await signInWithToken(page, rrc.base, tokens.analyst);
    await showRoute(page, rrc.base, '#/reports'); // the page shown: the router will not replace <main> now
    await page.evaluate("document.querySelector('main').append('Hard-coded words')");
    expect(await plainEnglish(page, [])).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Hard-coded in main/), expect.stringMatching(/^words in main/)]),
    );
    await context.close();
  }, 60_000);
});
