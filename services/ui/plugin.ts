import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { RULE_TEXT } from '../../domain/index.ts';

/**
 * The web UI under `/ui`: a handful of static files (plain ES modules, no build step) and
 * the rules' plain-words texts as JSON. The shell is public; every piece of data it shows
 * comes from the API with the user's token.
 */
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Only this server's own files: no inline script or style, nothing from elsewhere. */
export const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const FILE_NAME = /^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$/;

export default async function uiPlugin(app: FastifyInstance): Promise<void> {
  const files = new Set((await readdir(PUBLIC_DIR)).filter((name) => FILE_NAME.test(name)));
  const route = { config: { public: true }, schema: { hide: true } };

  // The helmet defaults (set on request) are replaced by the stricter UI policy.
  const headers = (reply: FastifyReply, type: string): FastifyReply =>
    reply.header('Content-Security-Policy', UI_CSP).header('Cache-Control', 'no-cache').type(type);

  const sendFile = async (reply: FastifyReply, name: string) => {
    const body = await readFile(path.join(PUBLIC_DIR, name));
    return headers(reply, TYPES[path.extname(name)] ?? 'application/octet-stream').send(body);
  };

  app.get('/ui', route, async (_request, reply) => sendFile(reply, 'index.html'));
  app.get('/ui/rules.json', route, async (_request, reply) => headers(reply, 'application/json').send(RULE_TEXT));
  app.get<{ Params: { file: string } }>('/ui/:file', route, async (request, reply) => {
    const { file } = request.params;
    if (!files.has(file)) return reply.callNotFound();
    return sendFile(reply, file);
  });
}
