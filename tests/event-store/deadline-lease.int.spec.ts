/**
 * The deadline service runs on one replica at a time without `RRC_DEADLINES=off` on the
 * others: replicas elect one through a lease in the store (services/deadlines/lease.ts; here
 * the SQLite store's `leases` row, which every connection to the same file shares). Two
 * services over two connections to one file: only one runs deadlines; when it stops renewing
 * (its connection dies, as in a crash) the other takes over after the lease's ttl; when it stops
 * gracefully it lets go and the other takes over at its next tick.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../services/config.ts';
import { createServices } from '../../services/container.ts';
import { DeadlineService } from '../../services/deadlines/deadline-service.ts';
import { Lease } from '../../services/deadlines/lease.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../services/event-store/sqlite-store.ts';
import { TEST_SECRET } from '../support/test-app.ts';
import { sleep } from './subscription-helpers.ts';

const INTERVAL_MS = 40;
const TTL_MS = 200;

describe('deadline service: one replica elected by a lease in the SQLite store', () => {
  let dir: string;
  let stores: SqliteEventStore[];
  let services: DeadlineService[];

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rrc-lease-'));
    stores = [];
    services = [];
  });

  afterEach(async () => {
    for (const s of services) await s.stop();
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A replica: its own connection to the shared file, a deadline service counting its runs. */
  function replica(name: string) {
    const store = openSqliteEventStore(path.join(dir, 'events.sqlite'));
    stores.push(store);
    const runs: string[] = [];
    const service = new DeadlineService({
      commands: {
        applyElapsedDeadlines: () => Promise.resolve(null),
        eraseAfterRetention: () => Promise.reject(new Error('no retention in this spec')),
      },
      dueCases: () => {
        runs.push(name);
        return [];
      },
      clock: () => new Date('2026-12-04T10:00:00Z'),
      intervalMs: INTERVAL_MS,
      lease: new Lease({ register: store.leases, name: 'deadlines', holder: name, ttlMs: TTL_MS }),
    });
    services.push(service);
    return { store, service, runs };
  }

  it('runs deadlines on one of two replicas only', async () => {
    const a = replica('a');
    const b = replica('b');
    a.service.start();
    b.service.start();
    await sleep(TTL_MS * 2); // longer than the ttl: b has watched a renew, not stop
    expect(a.runs.length).toBeGreaterThan(3);
    expect(b.runs).toEqual([]);
    expect([a.service.leading, b.service.leading]).toEqual([true, false]);
  });

  it('hands over when the holder stops renewing (its store connection is gone), after the ttl', async () => {
    const a = replica('a');
    const b = replica('b');
    a.service.start();
    b.service.start();
    await sleep(INTERVAL_MS * 3);
    expect(b.runs).toEqual([]);

    await a.store.close(); // a crashes as far as the store can tell: no more renewals
    const aRunsAtCrash = a.runs.length;
    const crashedAt = Date.now();
    await waitUntil(() => b.runs.length > 0, TTL_MS * 10);
    expect(Date.now() - crashedAt).toBeGreaterThanOrEqual(TTL_MS - INTERVAL_MS);
    expect(a.runs.length).toBe(aRunsAtCrash); // a, unable to renew, ran nothing more
    expect([a.service.leading, b.service.leading]).toEqual([false, true]);
  });

  it('hands over at once when the holder stops gracefully (it releases the lease)', async () => {
    const a = replica('a');
    const b = replica('b');
    a.service.start();
    b.service.start();
    await sleep(INTERVAL_MS * 3);
    await a.service.stop();
    const stoppedAt = Date.now();
    await waitUntil(() => b.runs.length > 0, TTL_MS * 10);
    expect(Date.now() - stoppedAt).toBeLessThan(TTL_MS); // no waiting out the ttl
    // And a restarted a (a new holder) stays a follower now that b holds the lease.
    const again = replica('a-again');
    again.service.start();
    await sleep(INTERVAL_MS * 3);
    expect(again.runs).toEqual([]);
  });

  it('is wired by the container: two sets of services on one data dir elect one deadline runner', async () => {
    const config = loadConfig({ RRC_DATA_DIR: dir, RRC_AUTH_SECRET: TEST_SECRET });
    const one = await createServices(config);
    const two = await createServices(config);
    try {
      one.deadlines.start();
      two.deadlines.start();
      await waitUntil(() => one.deadlines.leading || two.deadlines.leading, 2_000);
      await sleep(100);
      expect([one.deadlines.leading, two.deadlines.leading].filter(Boolean)).toHaveLength(1);
    } finally {
      await one.close();
      await two.close();
    }
  });
});

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}
