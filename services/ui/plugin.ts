import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RULE_LOCALES, RULE_TEXT, RULE_TEXTS, type RuleLocale } from '../../domain/index.ts';
import type { Config } from '../config.ts';

/**
 * The web UI under `/ui`: a handful of static files (plain ES modules, no build step) and
 * the rules' plain-words texts as JSON. The shell is public; every piece of data it shows
 * comes from the API with the user's token.
 */
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));
/** The UI's message catalogues, one JSON file per language (`en.json`, `fr.json`, `ar.json`). */
export const LOCALES_DIR = fileURLToPath(new URL('./locales/', import.meta.url));
export const UI_LOCALES = RULE_LOCALES;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Only this server's own files: no inline script or style, nothing from elsewhere. With an
 * OIDC issuer the page also talks to the issuer's origin (discovery, token endpoint); the
 * sign-in and sign-out pages are navigations, which `connect-src` does not cover.
 */
export function uiCsp(issuer?: string): string {
  const connect = issuer ? `'self' ${new URL(issuer).origin}` : "'self'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src ${connect}`,
    "font-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
export const UI_CSP = uiCsp();

/** The libraries the UI loads from node_modules: their browser builds, each one self-contained ES module. */
const OAUTH_LIB = fileURLToPath(import.meta.resolve('oauth4webapi'));
/**
 * ICU MessageFormat for the catalogues (i18n.js). The package's `iife` file is, despite its
 * name, an ES module with its two @formatjs dependencies bundled in: no import map needed.
 */
const MESSAGEFORMAT_LIB = fileURLToPath(
  new URL('intl-messageformat.iife.js', import.meta.resolve('intl-messageformat')),
);

/**
 * What the UI needs to sign in (public, `GET /ui/config.json`), by the server's token mode:
 * - provider keys (`RRC_AUTH_JWKS_URL`) with `RRC_AUTH_ISSUER` and `RRC_AUTH_CLIENT_ID`:
 *   `signIn: 'oidc'`, the issuer, client id, scope (and resource): Authorization Code with PKCE;
 * - provider keys without them: `signIn: 'none'` (the UI says what is missing; no token pasting,
 *   since a provider's tokens are not for copying around);
 * - a shared or data-dir secret: `signIn: 'token'`, a pasted `rrc token`.
 * The redirect URI (and the post-sign-out one) is this server's `/ui` on the origin the
 * browser sees: register `https://<host>/ui` for the client at the provider.
 */
export type UiAuthConfig =
  | { signIn: 'token' | 'none'; issuer: null }
  | { signIn: 'oidc'; issuer: string; clientId: string; scope: string; redirectPath: string; resource?: string };

export function uiAuthConfig(auth: Config['auth']): UiAuthConfig {
  if (auth.secret || !auth.jwksUrl) return { signIn: 'token', issuer: null };
  if (!auth.issuer || !auth.clientId) return { signIn: 'none', issuer: null };
  return {
    signIn: 'oidc',
    issuer: auth.issuer,
    clientId: auth.clientId,
    scope: auth.scope,
    redirectPath: '/ui',
    ...(auth.resource ? { resource: auth.resource } : {}),
  };
}

const FILE_NAME = /^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$/;

export default async function uiPlugin(app: FastifyInstance, opts: { auth?: Config['auth'] }): Promise<void> {
  const authConfig: UiAuthConfig = opts.auth ? uiAuthConfig(opts.auth) : { signIn: 'token', issuer: null };
  const csp = uiCsp(authConfig.issuer ?? undefined);
  const files = new Set((await readdir(PUBLIC_DIR)).filter((name) => FILE_NAME.test(name)));
  const route = { config: { public: true }, schema: { hide: true } };

  // The helmet defaults (set on request) are replaced by the stricter UI policy.
  const headers = (reply: FastifyReply, type: string): FastifyReply =>
    reply.header('Content-Security-Policy', csp).header('Cache-Control', 'no-cache').type(type);

  const sendFile = async (reply: FastifyReply, name: string) => {
    const body = await readFile(path.join(PUBLIC_DIR, name));
    return headers(reply, TYPES[path.extname(name)] ?? 'application/octet-stream').send(body);
  };

  app.get('/ui', route, async (_request, reply) => sendFile(reply, 'index.html'));
  // `?lang=fr`: the rules' explanations in that language (the UI asks in its own); English by default.
  app.get<{ Querystring: { lang?: string } }>('/ui/rules.json', route, async (request, reply) => {
    const lang = request.query.lang;
    const texts = UI_LOCALES.includes(lang as RuleLocale) ? RULE_TEXTS[lang as RuleLocale] : RULE_TEXT;
    return headers(reply, 'application/json').send(texts);
  });
  app.get<{ Params: { lang: string } }>('/ui/locales/:lang', route, async (request, reply) => {
    const lang = request.params.lang.replace(/\.json$/, '');
    if (!UI_LOCALES.includes(lang as RuleLocale) || !request.params.lang.endsWith('.json')) return reply.callNotFound();
    return headers(reply, 'application/json; charset=utf-8').send(
      await readFile(path.join(LOCALES_DIR, `${lang}.json`)),
    );
  });
  app.get('/ui/config.json', route, async (_request, reply) => headers(reply, 'application/json').send(authConfig));
  app.get('/ui/vendor/oauth4webapi.js', route, async (_request, reply) =>
    headers(reply, TYPES['.js']!).send(await readFile(OAUTH_LIB)),
  );
  app.get('/ui/vendor/intl-messageformat.js', route, async (_request, reply) =>
    headers(reply, TYPES['.js']!).send(await readFile(MESSAGEFORMAT_LIB)),
  );
  app.get<{ Params: { file: string } }>('/ui/:file', route, async (request, reply) => {
    const { file } = request.params;
    if (!files.has(file)) return reply.callNotFound();
    return sendFile(reply, file);
  });
}
