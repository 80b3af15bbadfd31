import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * The system Chromium for the UI e2e specs (Debian's `chromium`, or `RRC_CHROMIUM`), the
 * accessibility check (axe-core, run inside the page) and where specs keep artefacts.
 */
export const CHROMIUM = process.env.RRC_CHROMIUM ?? '/usr/bin/chromium';
export const browserMissing = !existsSync(CHROMIUM);

export function warnIfNoBrowser(what: string): void {
  if (browserMissing) {
    console.warn(`${what} skipped: no Chromium at ${CHROMIUM} (apt-get install chromium, or set RRC_CHROMIUM).`);
  }
}

/** Headless, with a fresh temporary profile of its own (launch() makes one). */
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

/** Test artefacts (screenshots) under the gitignored tmp/artifacts/<name>/; the path is printed once. */
export function artifactsDir(name: string): string {
  const dir = path.resolve(import.meta.dirname, '../../tmp/artifacts', name);
  mkdirSync(dir, { recursive: true });
  console.info(`UI artefacts: ${dir}`);
  return dir;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now and answers the violations.
 * The script goes in through the DevTools protocol, which the page's strict CSP does not
 * govern, so the UI's own policy stays as served.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string: it runs in the page, whose DOM types this Node project does not compile against.
  return page.evaluate<AxeViolation[]>(`(async () => {
    const results = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return results.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
    }));
  })()`);
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

/** `document.documentElement`'s `lang` (and `dir`): the language the UI shows. */
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
