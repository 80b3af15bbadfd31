import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openEventStore } from '../../services/event-store/open-store.ts';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('opens SQLite at <dataDir>/events.sqlite when no connection string is given, creating the dir', async () => {
  dir = mkdtempSync(join(tmpdir(), 'rrc-open-'));
  const dataDir = join(dir, 'nested', 'data');
  const store = await openEventStore({ dataDir, eventStore: '  ' });
  try {
    expect(store.kind).toBe('sqlite');
    expect(existsSync(join(dataDir, 'events.sqlite'))).toBe(true);
  } finally {
    await store.close();
  }
});

it('chooses EventStoreDB for an esdb:// string (connecting lazily) and refuses other schemes', async () => {
  dir = mkdtempSync(join(tmpdir(), 'rrc-open-'));
  const store = await openEventStore({ dataDir: dir, eventStore: 'esdb://127.0.0.1:2113?tls=false' });
  expect(store.kind).toBe('eventstoredb');
  await store.close();
  await expect(openEventStore({ dataDir: dir, eventStore: 'kurrentdb://127.0.0.1:2113' })).rejects.toThrow(/esdb:\/\//);
  expect(existsSync(join(dir, 'events.sqlite'))).toBe(false);
});
