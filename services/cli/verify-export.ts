import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { FlattenedJWS, JSONWebKeySet } from 'jose';
import { verifyExport } from '../trust/case-export.ts';

/**
 * `rrc verify-export FILE --key JWKS`: checks a case export offline: the signature against
 * the deployment's published keys (a saved copy of `/.well-known/rrc-export-keys.json`), then
 * every event's hash and link. Reads no store and no network.
 */
export async function verifyExportFile(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: { key: { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (!file || !values.key) throw new Error('give the export file and --key with the saved public keys (JWKS)');
  const jws = JSON.parse(readFileSync(file, 'utf8')) as FlattenedJWS;
  const keys = JSON.parse(readFileSync(values.key, 'utf8')) as JSONWebKeySet;
  const check = await verifyExport(jws, keys);
  if (check.ok) {
    const { caseId, events, exportedAt } = check.export;
    process.stdout.write(`ok: case ${caseId}, ${events.length} events, signed and chained, exported ${exportedAt}\n`);
    return 0;
  }
  if (check.reason === 'signature') {
    process.stdout.write(`broken: the signature does not verify with these keys (${check.detail})\n`);
    return 1;
  }
  const { revision, position, reason } = check.broken;
  process.stdout.write(
    `broken: case ${check.export.caseId} at revision ${revision} (position ${position}): ${reason}\n`,
  );
  return 1;
}
