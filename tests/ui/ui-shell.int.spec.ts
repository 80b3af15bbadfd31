import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RULE_IDS, RULE_TEXT, RULE_TEXTS } from '../../domain/index.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** The UI's files as the server serves them (the browser walk is return-journey.e2e.spec.ts). */
const PUBLIC = path.resolve(import.meta.dirname, '../../services/ui/public');

describe('the web UI shell under /ui', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('serves the page and its files without a token, with a CSP allowing this server only', async () => {
    for (const url of ['/ui', '/ui/', '/ui/app.js', '/ui/app.css', '/ui/icon.svg']) {
      const res = await t.call('GET', url, undefined);
      expect(res.statusCode, url).toBe(200);
      const csp = String(res.headers['content-security-policy']);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('https:');
    }
    expect((await t.call('GET', '/ui', undefined)).headers['content-type']).toMatch(/^text\/html/);
    expect((await t.call('GET', '/ui/app.js', undefined)).headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('serves the plain-words text of every rule id', async () => {
    const res = await t.call('GET', '/ui/rules.json', undefined);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(RULE_TEXT);
    expect(Object.keys(res.json<Record<string, string>>()).sort()).toEqual([...RULE_IDS].sort());
  });

  it('serves the rules in French and Arabic on asking (ids unchanged), English for any other language', async () => {
    for (const lang of ['fr', 'ar'] as const) {
      const res = await t.call('GET', `/ui/rules.json?lang=${lang}`, undefined);
      expect(res.json()).toEqual(RULE_TEXTS[lang]);
      expect(res.json()).not.toEqual(RULE_TEXT);
    }
    expect((await t.call('GET', '/ui/rules.json?lang=de', undefined)).json()).toEqual(RULE_TEXT);
  });

  it('serves the message catalogues and the message-format library, with its CSP', async () => {
    for (const lang of ['en', 'fr', 'ar']) {
      const res = await t.call('GET', `/ui/locales/${lang}.json`, undefined);
      expect(res.statusCode, lang).toBe(200);
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
      expect(res.json<Record<string, string>>()['nav.worklist']).toBeTruthy();
    }
    const lib = await t.call('GET', '/ui/vendor/intl-messageformat.js', undefined);
    expect(lib.statusCode).toBe(200);
    expect(lib.headers['content-type']).toMatch(/^text\/javascript/);
    // One self-contained module: the browser has no import map to resolve a bare specifier.
    expect(lib.body).toMatch(/export \{[^}]*IntlMessageFormat/);
    expect(lib.body).not.toMatch(/^import /m);
  });

  it('serves nothing but its own files', async () => {
    for (const url of [
      '/ui/nope.js',
      '/ui/..%2Fplugin.ts',
      '/ui/%2e%2e%2fplugin.ts',
      '/ui/README.md',
      '/ui/locales/de.json',
      '/ui/locales/en',
      '/ui/locales/..%2F..%2Fplugin.ts',
    ]) {
      const res = await t.call('GET', url, undefined);
      expect(res.statusCode, url).toBe(404);
    }
  });

  it('has no inline script or style and references nothing outside this server', () => {
    for (const file of readdirSync(PUBLIC)) {
      const text = readFileSync(path.join(PUBLIC, file), 'utf8');
      const withoutNamespaces = text.replaceAll('http://www.w3.org/2000/svg', '');
      expect(withoutNamespaces, file).not.toMatch(/https?:\/\/|\/\/cdn|@import/);
      if (file.endsWith('.html')) {
        expect(text).not.toMatch(/<script(?![^>]*\bsrc=)/);
        expect(text).not.toMatch(/<style|\sstyle=|\son[a-z]+=/);
      }
      if (file.endsWith('.js'))
        expect(text, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|eval\(|new Function/);
    }
  });
});
