/**
 * Writes tmp/openapi.d.ts, the types of the served OpenAPI document, which the typed-client spec
 * compiles against. Runs before `npm run typecheck`; gitignored, so routes added on any branch
 * never leave a stale committed copy behind.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { OPENAPI_TYPES_FILE, openApiDocument, openApiTypes } from './openapi-document.ts';

mkdirSync(path.dirname(OPENAPI_TYPES_FILE), { recursive: true });
writeFileSync(OPENAPI_TYPES_FILE, await openApiTypes(await openApiDocument()));
process.stdout.write(`wrote ${path.relative(process.cwd(), OPENAPI_TYPES_FILE)}\n`);
