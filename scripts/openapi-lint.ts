/**
 * Lints the OpenAPI document the app serves, not a hand-written copy: builds the app as the
 * specs do (real SQLite store in a temp data dir), takes `GET /openapi.json`, writes it to a
 * temp file and runs Redocly (`redocly.yaml`) and Spectral (`.spectral.yaml`, spectral:oas)
 * on it. Any error or warning from either fails (exit code 1). `--keep` leaves the file.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openApiDocument } from './openapi-document.ts';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name: string): string => path.join(root, 'node_modules', '.bin', name);

function run(label: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n==> ${label}\n`);
  // No telemetry and no update check: the lint works offline and reports nothing home.
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const result = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (result.error) throw result.error;
  return result.status === 0;
}

const dir = mkdtempSync(path.join(tmpdir(), 'rrc-openapi-'));
const file = path.join(dir, 'openapi.json');
let ok = false;
try {
  writeFileSync(file, JSON.stringify(await openApiDocument(), null, 2));
  // redocly.yaml extends `recommended-strict`, so a warning is an error and fails the run.
  const redocly = run('redocly lint', bin('redocly'), [
    'lint',
    '--config',
    'redocly.yaml',
    '--max-problems',
    '1000',
    file,
  ]);
  // Spectral: `--fail-severity warn` makes a warning fail too.
  const spectral = run('spectral lint', bin('spectral'), [
    'lint',
    '--ruleset',
    '.spectral.yaml',
    '--fail-severity',
    'warn',
    file,
  ]);
  ok = redocly && spectral;
} finally {
  if (process.argv.includes('--keep')) process.stdout.write(`\nkept ${file}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
process.exitCode = ok ? 0 : 1;
