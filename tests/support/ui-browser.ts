import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * The one place the UI specs get their browser from: the system Chromium (Debian's
 * `/usr/bin/chromium`, or `RRC_CHROMIUM`), a page that records its errors, sign-in with a token,
 * axe-core on the page as it stands, the page's language, and where artefacts are kept.
 */
export const CHROMIUM = process.env.RRC_CHROMIUM ?? '/usr/bin/chromium';

/** Why a UI spec cannot run here, or undefined when it can. */
export const browserMissing = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set RRC_CHROMIUM)`;

/** Prints why `what` is skipped, when it is. */
export function warnIfNoBrowser(what: string): void {
  if (browserMissing) console.warn(`${what} skipped: ${browserMissing}.`);
}

/** Headless, with a fresh temporary profile of its own (launch() makes one); loopback traffic only. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A page that records uncaught errors and console errors (failed loads aside: a 404 asked for is not one). */
export async function openPage(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-GB',
    ...options,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

/** Signs in with a pasted token whatever the UI's language: by the form's ids, not its words. */
export async function signInWithToken(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/ui#/sign-in`);
  await page.locator('#token').fill(token);
  await page.locator('form.sign-in button[type="submit"]').click();
  await page.locator('#who button').waitFor();
  // A polling wait, not waitForFunction: a string predicate would be eval'd, which the CSP forbids.
  await page.waitForURL((url) => !url.hash.startsWith('#/sign-in'));
  await page.locator('main h1').waitFor();
}

/** WCAG 2.1 levels A and AA: the rules behind the UI's accessibility promises (services/ui/README.md). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * axe-core's violations on the page as it stands. The engine goes in through the DevTools
 * protocol (`page.evaluate`), which the UI's Content-Security-Policy does not govern, so the
 * policy stays on for the app itself.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    // Runs in the page: axe-core's own global, over the whole document.
    const engine = (globalThis as unknown as { axe: typeof axe }).axe;
    const result = await engine.run({ runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
}

/** Test artefacts (screenshots) under the gitignored tmp/artifacts/<name>/; the path is printed once. */
export function artifactsDir(name: string): string {
  const dir = path.resolve(import.meta.dirname, '../../tmp/artifacts', name);
  mkdirSync(dir, { recursive: true });
  console.info(`UI artefacts: ${dir}`);
  return dir;
}

/** `document.documentElement`'s `lang` and `dir`: the language the UI shows. */
export const pageLanguage = (page: Page): Promise<[lang: string, dir: string]> =>
  page.evaluate<[string, string]>('[document.documentElement.lang, document.documentElement.dir]');

/** What the page keeps in localStorage under `key`. */
export const stored = (page: Page, key: string): Promise<string | null> =>
  page.evaluate<string | null>(`localStorage.getItem(${JSON.stringify(key)})`);

/**
 * Goes to a route and waits until its page is shown: the heading of the page before is
 * marked, and the router replaces `<main>`'s content, so an unmarked heading is the new page's.
 */
export async function showRoute(page: Page, base: string, hash: string): Promise<void> {
  if (!page.url().startsWith(`${base}/ui`)) await page.goto(`${base}/ui`);
  // The same route again fires no hashchange: ask the router to show it anew.
  await page.evaluate(`(() => {
    const target = ${JSON.stringify(hash)};
    document.querySelector('main h1')?.setAttribute('data-stale', '');
    if (location.hash === target) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = target;
  })()`);
  await page.locator('main h1:not([data-stale])').waitFor();
}
