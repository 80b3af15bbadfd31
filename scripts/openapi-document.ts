/**
 * The OpenAPI document as the app serves it, and the TypeScript types openapi-typescript makes
 * of it. Used by the lint (scripts/openapi-lint.ts), the type generation before typecheck
 * (scripts/openapi-types.ts) and the typed-client spec, so all three see the same document.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../services/api/app.ts';
import { loadConfig } from '../services/config.ts';
import { createServices } from '../services/container.ts';

/** Gitignored (tmp/): generated before `npm run typecheck` and `npm run lint`, never committed. */
export const OPENAPI_TYPES_FILE = path.resolve(import.meta.dirname, '../tmp/openapi.d.ts');

/** Builds the app as the specs do (real SQLite store in a temp data dir) and takes `GET /openapi.json`. */
export async function openApiDocument(): Promise<OpenAPI3> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-openapi-'));
  try {
    const config = loadConfig({ RRC_DATA_DIR: dataDir, RRC_AUTH_SECRET: 'openapi-document-secret-not-for-serving' });
    const services = await createServices(config);
    const app = await buildApp({ services, logger: false });
    try {
      await app.ready();
      const res = await app.inject({ method: 'GET', url: '/openapi.json' });
      if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}`);
      return res.json<OpenAPI3>();
    } finally {
      await app.close();
      await services.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** `paths`, `operations` and `components` types for openapi-fetch's `createClient<paths>()`. */
export async function openApiTypes(doc: OpenAPI3): Promise<string> {
  const header = '// Generated from GET /openapi.json by scripts/openapi-types.ts (openapi-typescript). Do not edit.\n';
  return header + astToString(await openapiTS(doc));
}
