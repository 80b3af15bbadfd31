/**
 * File modes of secrets and personal data (OWASP API8, security misconfiguration): the
 * auth secret, the master key, the case keys and the SQLite files (events, read models, keys,
 * with their WAL and shared-memory files) are readable by the service's own user only, and
 * so are the folders that hold them, whatever the process umask (the usual 022 made every
 * SQLite file 0644 and the data dir 0755).
 *
 * Protection: `restrictDataFiles` in services/data-files.ts (folders 0700 before the store opens,
 * rrc's files 0600 once they exist), called by `startServer` and by `rrc demo seed`, and
 * `dataDirSecret` in services/auth/tokens.ts (the folder `rrc token` makes is 0700). Remove the
 * call in `startServer` → "a fresh data dir" fails with 755/644; in the demo seeder → "`rrc demo
 * seed`" fails the same way.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { dataDirSecret } from '../../services/auth/tokens.ts';
import { loadConfig } from '../../services/config.ts';
import { startServer } from '../../services/server.ts';
import { familyCaseBody } from '../support/http-fixtures.ts';

const base = mkdtempSync(path.join(tmpdir(), 'rrc-modes-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);
const silent = pino({ level: 'silent' });

/** Starts the server on `env`, opens a case (so every file exists), and stops it. */
async function runOnce(env: Record<string, string>): Promise<void> {
  const config = loadConfig({ RRC_PORT: '0', RRC_DEADLINES: 'off', ...env });
  const server = await startServer(config, silent);
  try {
    const { signToken, hmacSecret } = await import('../../services/auth/tokens.ts');
    const token = await signToken(hmacSecret(config), {
      sub: 'carla',
      roles: ['caseworker'],
      state: 'DE',
      ttlSeconds: 60,
    });
    const res = await fetch(`${server.url}/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(familyCaseBody()),
    });
    expect(res.status).toBe(201);
  } finally {
    await server.close();
  }
}

function modesOf(dir: string): Record<string, string> {
  return Object.fromEntries(readdirSync(dir).map((f) => [f, mode(path.join(dir, f))]));
}

describe('owner-only files and folders', () => {
  const previous = process.umask(0o022);
  afterAll(() => process.umask(previous));

  it('a fresh data dir: the folder 0700, every file rrc makes 0600', async () => {
    const dataDir = path.join(base, 'fresh', 'data');
    await runOnce({ RRC_DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe('700');
    const files = modesOf(dataDir);
    for (const name of ['auth-secret', 'master.key', 'events.sqlite', 'keys.sqlite', 'read-models.sqlite'])
      expect(Object.keys(files), name).toContain(name);
    expect(files).toEqual(Object.fromEntries(Object.keys(files).map((f) => [f, '600'])));
  });

  it('a separate keys dir (RRC_KEYS_DIR) is locked down as well', async () => {
    const dataDir = path.join(base, 'split', 'data');
    const keysDir = path.join(base, 'split', 'keys');
    await runOnce({ RRC_DATA_DIR: dataDir, RRC_KEYS_DIR: keysDir });
    expect(mode(keysDir)).toBe('700');
    const files = modesOf(keysDir);
    expect(Object.keys(files)).toEqual(expect.arrayContaining(['master.key', 'keys.sqlite']));
    expect(files).toEqual(Object.fromEntries(Object.keys(files).map((f) => [f, '600'])));
  });

  it('a data dir left open by an older version is tightened at start; files that are not rrc’s are left alone', async () => {
    const dataDir = path.join(base, 'old', 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o755 });
    chmodSync(dataDir, 0o755);
    writeFileSync(path.join(dataDir, 'events.sqlite'), '', { mode: 0o644 });
    writeFileSync(path.join(dataDir, 'NOTES.txt'), 'not ours', { mode: 0o644 });
    await runOnce({ RRC_DATA_DIR: dataDir });
    expect(mode(dataDir)).toBe('700');
    expect(mode(path.join(dataDir, 'events.sqlite'))).toBe('600');
    expect(mode(path.join(dataDir, 'NOTES.txt'))).toBe('644');
  });

  it('`rrc token` on a fresh data dir makes the folder 0700 and the secret 0600', () => {
    const dataDir = path.join(base, 'token-first', 'data');
    dataDirSecret(dataDir);
    expect(mode(dataDir)).toBe('700');
    expect(mode(path.join(dataDir, 'auth-secret'))).toBe('600');
  });

  it('`rrc demo seed` into a fresh data dir leaves the folder 0700 and its files 0600', () => {
    const dataDir = path.join(base, 'demo', 'data');
    execFileSync(process.execPath, ['bin/rrc.js', 'demo', 'seed', '--cases', '2'], {
      env: { ...process.env, RRC_DATA_DIR: dataDir, RRC_KEYS_DIR: '' },
      stdio: 'pipe',
    });
    expect(mode(dataDir)).toBe('700');
    const files = modesOf(dataDir);
    for (const name of ['master.key', 'events.sqlite', 'keys.sqlite', 'read-models.sqlite'])
      expect(Object.keys(files), name).toContain(name);
    expect(files).toEqual(Object.fromEntries(Object.keys(files).map((f) => [f, '600'])));
  });
});
