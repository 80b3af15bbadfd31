import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * The system Chromium the UI specs drive (Debian's `/usr/bin/chromium`, or `RRC_CHROMIUM`), and
 * what every UI spec does with it: launch headless, collect page errors, sign in with a token,
 * run axe on the page as it stands.
 */
export const CHROMIUM = process.env.RRC_CHROMIUM ?? '/usr/bin/chromium';

/** Why a UI spec cannot run here, or undefined when it can (printed by the spec that skips). */
export const browserMissing = existsSync(CHROMIUM)
  ? undefined
  : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set RRC_CHROMIUM)`;

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
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

/** Signs in on the UI's sign-in page with a bearer token, and waits for the signed-in landing page. */
export async function signInWithToken(page: Page, base: string, token: string): Promise<void> {
  await page.goto(`${base}/ui#/sign-in`);
  await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  await page.getByRole('heading', { level: 1 }).filter({ hasNotText: 'Sign in' }).waitFor();
}

/** WCAG 2.1 levels A and AA: the rules behind the UI's accessibility promises (services/ui/README.md). */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/**
 * axe-core's violations on the page as it stands, one line each (rule, impact, where). The
 * engine goes in through the DevTools protocol (`page.evaluate`), which the UI's
 * Content-Security-Policy does not govern, so the policy stays on for the app itself.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(axe.source);
  return page.evaluate(async (tags) => {
    // Runs in the page: axe-core's own global, over the whole document.
    const engine = (globalThis as unknown as { axe: typeof axe }).axe;
    const result = await engine.run({ runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      (v) => `${v.id} (${v.impact ?? 'n/a'}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  }, AXE_TAGS);
}
