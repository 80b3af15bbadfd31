import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import type { EventStore, NewEvent } from '../services/event-store/port.ts';
import { openSqliteEventStore } from '../services/event-store/sqlite-store.ts';
import { load, type LoadResult } from './load.ts';

/**
 * The baselines every rrc figure is compared with: what SQLite, the log and fastify do on
 * this machine with no rrc logic in the way.
 */

/** An event shaped and sized like a command's (a sealed personal field, the usual metadata). */
export function sampleEvent(i: number): NewEvent {
  return {
    id: randomUUID(),
    type: 'ObstacleRecorded',
    data: {
      obstacleId: `o${i % 9}`,
      type: 'no-transport',
      openedOn: '2026-11-02',
      automatic: false,
      $personal: 'x'.repeat(160),
    },
    metadata: {
      actor: { sub: 'bench-caseworker-de', role: 'caseworker', state: 'DE' },
      recordedAt: '2026-11-02T09:00:00.000Z',
      occurredAt: '2026-11-02T09:00:00.000Z',
      statusAfter: 'readmission',
      schemaVersion: 1,
    },
  };
}

/**
 * Appends one event at a time for `seconds`, over 1000 streams, each finished before the next
 * (awaited only when it is asynchronous, so a synchronous append pays no microtask).
 */
async function appendFor(
  seconds: number,
  append: (n: number, stream: string) => void | Promise<void>,
): Promise<{ eventsPerSecond: number; events: number }> {
  const started = performance.now();
  const until = started + seconds * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let k = 0; k < 50; k++, n++) {
      const pending = append(n, `case-raw-${n % 1000}`);
      if (pending) await pending;
    }
  }
  return { eventsPerSecond: n / ((performance.now() - started) / 1000), events: n };
}

/**
 * Raw SQLite appends, straight through better-sqlite3 on the store's own file and schema (the
 * store creates it, then closes): one event per `BEGIN IMMEDIATE … COMMIT`, nothing else (no
 * revision or idempotency check), at the given `synchronous` level, WAL mode, as the store.
 * What SQLite itself does on this machine, whatever the store's code.
 */
export async function rawSqliteAppend(
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  seconds: number,
): Promise<{ eventsPerSecond: number; events: number }> {
  await openSqliteEventStore(file, { synchronous: 'NORMAL' }).close();
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${synchronous}`);
    const insert = db.prepare(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const append = db.transaction((e: NewEvent, stream: string, revision: number) => {
      insert.run(
        e.id,
        stream,
        revision,
        e.type,
        JSON.stringify(e.data),
        JSON.stringify(e.metadata),
        new Date().toISOString(),
      );
    });
    const revisions = new Map<string, number>();
    return await appendFor(seconds, (n, stream) => {
      const revision = (revisions.get(stream) ?? -1) + 1;
      append.immediate(sampleEvent(n), stream, revision);
      revisions.set(stream, revision);
    });
  } finally {
    db.close();
  }
}

/**
 * Appends through `SqliteEventStore`, one event per append, each awaited before the next
 * (so each is its own transaction and, on FULL, its own fsync), over 1000 streams.
 */
export async function storeAppend(
  file: string,
  synchronous: 'FULL' | 'NORMAL',
  seconds: number,
): Promise<{ eventsPerSecond: number; events: number }> {
  const store = openSqliteEventStore(file, { synchronous });
  try {
    const revisions = new Map<string, number>();
    return await appendFor(seconds, async (n, stream) => {
      const r = await store.append(stream, [sampleEvent(n)], revisions.get(stream) ?? 'no-stream');
      revisions.set(stream, r.revision);
    });
  } finally {
    await store.close();
  }
}

/** The whole log through `readAll`, pages of 1000 with no stream filter (JSON parsed, as callers get it). */
export async function rawRead(store: EventStore): Promise<{ eventsPerSecond: number; events: number; ms: number }> {
  const started = performance.now();
  let events = 0;
  for (let after = 0; ;) {
    const page = await store.readAll({ after, limit: 1000 });
    events += page.length;
    if (page.length < 1000) break;
    after = page[page.length - 1]!.position;
  }
  const ms = performance.now() - started;
  return { eventsPerSecond: events / (ms / 1000), events, ms };
}

/** fastify's hello world on 127.0.0.1 under the same autocannon load as the command run. */
export async function helloWorld(connections: number, seconds: number): Promise<LoadResult> {
  const app = Fastify({ logger: false });
  app.get('/', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return await load({ url: `http://127.0.0.1:${port}/`, connections, seconds });
  } finally {
    await app.close();
  }
}
