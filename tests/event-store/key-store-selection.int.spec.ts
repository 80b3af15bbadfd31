/**
 * `RRC_KEY_STORE` picks where case keys live: the file in `RRC_KEYS_DIR` (default) or
 * EventStoreDB (services/privacy/key-store-esdb.ts), which needs the event store's connection
 * string and one master key given to every replica. Nothing here talks to a server: the
 * clients connect lazily, and the key store's own logic is pinned by its unit spec.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config.ts';
import { createServices } from '../../services/container.ts';
import { TEST_SECRET } from '../support/test-app.ts';

describe('RRC_KEY_STORE', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rrc-key-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string>) => ({ RRC_DATA_DIR: dir, RRC_AUTH_SECRET: TEST_SECRET, ...extra });

  it('defaults to the key file, and refuses values it does not know', () => {
    expect(loadConfig(env({})).keyStore).toBe('file');
    expect(loadConfig(env({ RRC_KEY_STORE: 'eventstoredb' })).keyStore).toBe('eventstoredb');
    expect(() => loadConfig(env({ RRC_KEY_STORE: 'vault' }))).toThrow(/RRC_KEY_STORE is file or eventstoredb/);
  });

  it('needs RRC_EVENT_STORE and a shared RRC_MASTER_KEY for eventstoredb', async () => {
    await expect(createServices(loadConfig(env({ RRC_KEY_STORE: 'eventstoredb' })))).rejects.toThrow(
      /needs RRC_EVENT_STORE/,
    );
    const withStore = env({ RRC_KEY_STORE: 'eventstoredb', RRC_EVENT_STORE: 'esdb://127.0.0.1:1?tls=false' });
    await expect(createServices(loadConfig(withStore))).rejects.toThrow(/needs RRC_MASTER_KEY/);
  });

  it('keeps no key file when the keys are in EventStoreDB', async () => {
    const config = loadConfig(
      env({
        RRC_KEY_STORE: 'eventstoredb',
        RRC_EVENT_STORE: 'esdb://127.0.0.1:1?tls=false',
        RRC_MASTER_KEY: randomBytes(32).toString('base64'),
        // No node listens there: nothing may read the store while the services are built.
        RRC_WEBHOOKS: 'off',
      }),
    );
    const services = await createServices(config);
    await services.close();
    expect(existsSync(path.join(dir, 'keys.sqlite'))).toBe(false);
    expect(existsSync(path.join(dir, 'master.key'))).toBe(false);
  });
});
