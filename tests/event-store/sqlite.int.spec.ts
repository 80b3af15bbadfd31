import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdempotencyConflictError } from '../../services/event-store/port.ts';
import {
  openSqliteEventStore,
  type SqliteEventStore,
  type SqliteEventStoreOptions,
} from '../../services/event-store/sqlite-store.ts';
import { describeEventStoreContract } from './contract.ts';
import { collect, events, newEvent, settlesWithin } from './subscription-helpers.ts';

/** A temp dir with one store file; every store opened on it is closed by `cleanup`. */
function tempStore(options: SqliteEventStoreOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rrc-events-'));
  const file = join(dir, 'events.sqlite');
  const opened: SqliteEventStore[] = [];
  const open = (more: SqliteEventStoreOptions = {}): SqliteEventStore => {
    const store = openSqliteEventStore(file, { pollIntervalMs: 50, ...options, ...more });
    opened.push(store);
    return store;
  };
  return {
    file,
    open,
    async cleanup() {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeEventStoreContract('sqlite', async () => {
  const temp = tempStore();
  return {
    store: temp.open(),
    reopen: async () => temp.open(),
    cleanup: () => temp.cleanup(),
    tamper: async (streamId) => editOneByte(temp.file, streamId),
  };
});

/** Edits one byte of a stream's last stored payload through a connection of its own: a digit, one higher. */
function editOneByte(file: string, streamId: string): number {
  const raw = new Database(file);
  try {
    const row = raw
      .prepare(`SELECT position, revision, data FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1`)
      .get(streamId) as { position: number; revision: number; data: string };
    const i = row.data.search(/\d/);
    const edited = `${row.data.slice(0, i)}${(Number(row.data[i]) + 1) % 10}${row.data.slice(i + 1)}`;
    raw.prepare(`UPDATE events SET data = ? WHERE position = ?`).run(edited, row.position);
    return row.revision;
  } finally {
    raw.close();
  }
}

describe('SQLite event store specifics', () => {
  let temp: ReturnType<typeof tempStore>;
  beforeEach(() => {
    temp = tempStore();
  });
  afterEach(async () => {
    await temp.cleanup();
  });

  it('creates the documented table in WAL mode with synchronous FULL by default', async () => {
    const store = temp.open();
    expect(store.diagnostics()).toEqual({ file: temp.file, journalMode: 'wal', synchronous: 'FULL' });
    expect(temp.open({ synchronous: 'NORMAL' }).diagnostics().synchronous).toBe('NORMAL');

    const raw = new Database(temp.file, { readonly: true });
    try {
      const columns = raw.prepare(`PRAGMA table_info(events)`).all() as { name: string; type: string; pk: number }[];
      expect(columns.map((c) => [c.name, c.type])).toEqual([
        ['position', 'INTEGER'],
        ['id', 'TEXT'],
        ['stream_id', 'TEXT'],
        ['revision', 'INTEGER'],
        ['type', 'TEXT'],
        ['data', 'TEXT'],
        ['metadata', 'TEXT'],
        ['created_at', 'TEXT'],
        ['prev_hash', 'TEXT'],
        ['hash', 'TEXT'],
      ]);
      expect(columns.find((c) => c.pk === 1)?.name).toBe('position');
    } finally {
      raw.close();
    }
  });

  it('numbers positions from 1, so after: 0 reads everything', async () => {
    const store = temp.open();
    expect(await store.headPosition()).toBe(0);
    const result = await store.append('case-1', events(2), 'no-stream');
    expect(result).toEqual({ revision: 1, position: 2 });
    expect((await store.readAll({ after: 0 })).map((e) => e.position)).toEqual([1, 2]);
    expect((await store.readAll()).map((e) => e.position)).toEqual([1, 2]);
  });

  it('names a partial retry an IdempotencyConflictError and writes none of it', async () => {
    const store = temp.open();
    const [a, b] = [newEvent(), newEvent()];
    await store.append('case-1', [a], 'no-stream');
    await expect(store.append('case-1', [a, b], 'any')).rejects.toBeInstanceOf(IdempotencyConflictError);
    // An id stored in another stream is not a retry either.
    await expect(store.append('case-2', [a], 'no-stream')).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await store.readAll()).toHaveLength(1);
  });

  it('rejects malformed appends before touching the file', async () => {
    const store = temp.open();
    const e = newEvent();
    await expect(store.append('case-1', [e, e], 'no-stream')).rejects.toThrow(/twice/);
    await expect(store.append('', [newEvent()], 'no-stream')).rejects.toThrow(/streamId/);
    await expect(store.append('case-1', [newEvent()], -2)).rejects.toThrow(RangeError);
    expect(await store.headPosition()).toBe(0);
  });

  it('delivers an append made by this process at once, not at the next poll', async () => {
    const store = temp.open({ pollIntervalMs: 60_000 });
    const consumer = collect(store.subscribe());
    await new Promise((resolve) => setTimeout(resolve, 20)); // let it reach the head and sleep
    const started = performance.now();
    await store.append('case-1', [newEvent()], 'no-stream');
    await consumer.waitFor(1, 5_000);
    // Typically ~2 ms; the bound only has to sit far below the 60 s poll, with room for a busy CI.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('delivers an append made through another connection (another process) by polling', async () => {
    const reader = temp.open({ pollIntervalMs: 50 });
    const writer = temp.open();
    const consumer = collect(reader.subscribe());
    await writer.append('case-1', events(3), 'no-stream');
    expect((await consumer.waitFor(3, 2_000)).map((e) => e.revision)).toEqual([0, 1, 2]);
  });

  it('tells writes by another connection (othersWrites) from its own, which leave it alone', async () => {
    const mine = temp.open();
    const other = temp.open();
    const before = mine.othersWrites();
    await mine.append('case-1', events(2), 'no-stream');
    expect(mine.othersWrites()).toBe(before);
    await other.append('case-2', events(1), 'no-stream');
    const after = mine.othersWrites();
    expect(after).not.toBe(before);
    expect(mine.othersWrites()).toBe(after);
  });

  it('stops a subscription when the consumer breaks out of its loop', async () => {
    const store = temp.open();
    await store.append('case-1', events(5), 'no-stream');
    const subscription = store.subscribe();
    const seen: number[] = [];
    for await (const event of subscription) {
      seen.push(event.position);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(() => subscription[Symbol.asyncIterator]()).toThrow(/iterated once/);
  });

  it('ends a for-await loop when close() is called from inside it', async () => {
    const store = temp.open();
    await store.append('case-1', events(5), 'no-stream');
    const subscription = store.subscribe();
    const seen: number[] = [];
    const loop = (async () => {
      for await (const event of subscription) {
        seen.push(event.position);
        if (seen.length === 3) await subscription.close();
      }
    })();
    expect(await settlesWithin(loop, 1_000)).toBe(true);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('pages a long catch-up and keeps going live afterwards', async () => {
    const store = temp.open({ pageSize: 7 });
    for (let i = 0; i < 5; i += 1) await store.append(`case-${i}`, events(10), 'no-stream');
    await store.append('agreement-1', events(3), 'no-stream');
    const consumer = collect(store.subscribe({ streamPrefixes: ['agreement-'] }));
    expect((await consumer.waitFor(3)).map((e) => e.position)).toEqual([51, 52, 53]);
    await store.append('agreement-1', events(1), 2);
    expect((await consumer.waitFor(4)).map((e) => e.revision)).toEqual([0, 1, 2, 3]);
  });

  it('refuses a file written by a newer schema', async () => {
    temp.open();
    const raw = new Database(temp.file);
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => temp.open()).toThrow(/schema 99/);
    expect(existsSync(temp.file)).toBe(true);
  });
  it('counts and times the fdatasyncs a durable append waits for, and none without durability', async () => {
    const durable = temp.open();
    durable.syncStats({ reset: true });
    await durable.append('case-s', [newEvent()], 'no-stream');
    await durable.append('case-s', [newEvent()], 0);
    const stats = durable.syncStats({ reset: true });
    expect(stats.count).toBe(2); // one append at a time: each waits for its own
    expect(stats.totalMs).toBeGreaterThanOrEqual(stats.maxMs);
    expect(durable.syncStats()).toEqual({ count: 0, totalMs: 0, maxMs: 0, over5Ms: 0 });
    await durable.close();
    const relaxed = temp.open({ synchronous: 'NORMAL' });
    await relaxed.append('case-n', [newEvent()], 'no-stream');
    expect(relaxed.syncStats().count).toBe(0);
  });

  it('commits the appends of one turn of the event loop together, each with its own outcome', async () => {
    const store = temp.open();
    await store.append('case-a', [newEvent()], 'no-stream');
    const before = store.stats();
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 8 }, (_, i) => store.append(`case-g${i}`, [newEvent(), newEvent()], 'no-stream')),
      store.append('case-a', [newEvent()], 5), // a conflict: rolls back only this append
      store.append('case-a', [newEvent()], 0),
      store.append('case-a', [newEvent()], 1), // sees the append before it in the same transaction
    ]);
    expect(store.stats()).toEqual({ appends: before.appends + 11, commits: before.commits + 1 });
    expect(outcomes.slice(0, 8).map((o) => (o.status === 'fulfilled' ? o.value.revision : o.reason))).toEqual(
      Array(8).fill(1),
    );
    expect(outcomes[8]).toMatchObject({ status: 'rejected', reason: { expected: 5, actual: 0 } });
    expect(outcomes[9]).toMatchObject({ status: 'fulfilled', value: { revision: 1 } });
    expect(outcomes[10]).toMatchObject({ status: 'fulfilled', value: { revision: 2 } });
    expect(await store.readStream('case-a')).toHaveLength(3);
    expect(await store.headPosition()).toBe(19); // 1 + 8 × 2 + 2: the rolled-back append took no position
  });

  it('checkpoints on a worker thread when asked, and keeps every event across a reopen', async () => {
    const store = temp.open({ backgroundCheckpoints: true });
    for (let i = 0; i < 50; i++) await store.append('case-w', [newEvent()], i === 0 ? 'no-stream' : i - 1);
    await store.close();
    const again = temp.open({ backgroundCheckpoints: true });
    expect(await again.readStream('case-w')).toHaveLength(50);
    expect(again.diagnostics().synchronous).toBe('FULL');
  });
});
