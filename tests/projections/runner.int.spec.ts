import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventMetadata } from '../../contracts/index.ts';
import { openReadModelDb, ProjectionRunner, type Db, type EventLog, type ReadModel } from '../../projections/index.ts';
import type { StoredEvent } from '../../services/event-store/port.ts';
import { openSqliteEventStore, type SqliteEventStore } from '../../services/event-store/sqlite-store.ts';

/**
 * The runner's guarantees on a real SQLite store: a batch and its checkpoint commit together
 * (a failure mid-batch leaves neither), redelivered events are never applied twice, a
 * rebuild from another process is noticed, and a version bump replays from the start.
 */
const metadata: EventMetadata = {
  actor: { sub: 'spec', role: 'system' },
  recordedAt: '2026-11-02T09:00:00.000Z',
  occurredAt: '2026-11-02T09:00:00.000Z',
  schemaVersion: 1,
};
const decode = (e: StoredEvent) => ({ event: { type: e.type, data: e.data }, metadata });

/** Counts events per stream; `t_seen`'s primary key makes a second application of an event throw. */
function counter(version = 1, failOn?: { position: number; times: number }): ReadModel {
  return {
    name: 'counter',
    version,
    tables: ['t_counter', 't_seen'],
    setup(db: Db) {
      db.exec(`CREATE TABLE IF NOT EXISTS t_counter (stream TEXT PRIMARY KEY, n INTEGER NOT NULL);
               CREATE TABLE IF NOT EXISTS t_seen (position INTEGER PRIMARY KEY)`);
    },
    apply(db, e) {
      if (failOn && e.position === failOn.position && failOn.times > 0) {
        failOn.times -= 1;
        throw new Error('simulated crash in the middle of a batch');
      }
      db.prepare(`INSERT INTO t_seen (position) VALUES (?)`).run(e.position);
      db.prepare(`INSERT INTO t_counter (stream, n) VALUES (?, 1) ON CONFLICT (stream) DO UPDATE SET n = n + 1`).run(
        e.streamId,
      );
    },
  };
}

const total = (db: Db): number =>
  (db.prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM t_counter`).get() as { n: number }).n;
const checkpoint = (db: Db, name = 'counter'): number =>
  (db.prepare(`SELECT position FROM checkpoints WHERE projection = ?`).get(name) as { position: number }).position;

describe('projection runner', () => {
  let dir: string;
  let store: SqliteEventStore;
  let file: string;
  const runners: ProjectionRunner<StoredEvent>[] = [];

  const runner = (models: ReadModel[], options: { log?: EventLog<StoredEvent>; batchSize?: number } = {}) => {
    const r = new ProjectionRunner<StoredEvent>({
      db: openReadModelDb(file),
      models,
      log: options.log ?? store,
      decode,
      batchSize: options.batchSize ?? 10,
      retryDelayMs: 20,
    });
    runners.push(r);
    return r;
  };
  const append = async (n: number, stream = `case-${randomUUID()}`) => {
    let position = 0;
    for (let i = 0; i < n; i++) {
      const current = (await store.readStream(stream)).length - 1;
      ({ position } = await store.append(
        stream,
        [{ id: randomUUID(), type: 'Probe', data: { i }, metadata }],
        current < 0 ? 'no-stream' : current,
      ));
    }
    return position;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rrc-runner-'));
    store = openSqliteEventStore(path.join(dir, 'events.sqlite'), { synchronous: 'NORMAL', pollIntervalMs: 20 });
    file = path.join(dir, 'read-models.sqlite');
  });
  afterEach(async () => {
    for (const r of runners.splice(0)) await r.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('commits a batch with its checkpoint, or neither: a crash mid-batch applies nothing of it', async () => {
    await append(25);
    const failOn = { position: 15, times: 1 };
    const r = runner([counter(1, failOn)]);
    await expect(r.catchUp()).rejects.toThrow(/simulated crash/);
    // Batch 1-10 committed; batch 11-20 rolled back whole, its checkpoint too.
    expect(total(r.db)).toBe(10);
    expect(checkpoint(r.db)).toBe(10);
    await r.catchUp();
    expect(total(r.db)).toBe(25);
    expect(checkpoint(r.db)).toBe(25);
  });

  it('never applies a redelivered event twice (at-least-once delivery, restart on the same file)', async () => {
    await append(12);
    const first = runner([counter()]);
    await first.catchUp();
    await first.close();
    // A log that ignores `after` redelivers everything from the start, as after a lost checkpoint.
    const replaying: EventLog<StoredEvent> = {
      readAll: (o) => store.readAll({ ...o, after: 0 }),
      subscribe: (o) => store.subscribe({ ...o, after: 0 }),
      headPosition: () => store.headPosition(),
    };
    await append(3);
    const restarted = runner([counter()], { log: replaying, batchSize: 100 });
    await restarted.catchUp();
    expect(total(restarted.db)).toBe(15); // t_seen's primary key would have thrown on a second application
    expect(checkpoint(restarted.db)).toBe(15);
    restarted.start();
    expect(await restarted.waitFor(15, 2_000)).toBe(true);
    expect(total(restarted.db)).toBe(15);
  });

  it('follows the log live and answers waitFor, ignoring streams it does not follow', async () => {
    const r = runner([counter()]);
    r.start();
    const position = await append(7);
    expect(await r.waitFor(position, 5_000)).toBe(true);
    expect(total(r.db)).toBe(7);
    // The read audit (another stream) moves the head; the read models are still caught up.
    const head = await append(3, 'read-audit-x');
    expect(head).toBeGreaterThan(position);
    expect(await r.waitFor(head, 1_000)).toBe(true);
    expect(await r.lag()).toBe(0);
    expect(r.position()).toBe(position);
    // A position not reached within the time: false.
    expect(await r.waitFor(head + 100, 200)).toBe(false);
  });

  it('drops and replays a read model whose version changed', async () => {
    await append(5);
    const v1 = runner([counter(1)]);
    await v1.catchUp();
    v1.db.prepare(`UPDATE t_counter SET n = n + 1000`).run(); // anything v1 left behind must go
    await v1.close();
    const v2 = runner([counter(2)]);
    expect(checkpoint(v2.db)).toBe(0);
    await v2.catchUp();
    expect(total(v2.db)).toBe(5);
    expect(
      (v2.db.prepare(`SELECT version FROM checkpoints WHERE projection = 'counter'`).get() as { version: number })
        .version,
    ).toBe(2);
  });

  it('notices a rebuild by another process on the same file and starts again from its checkpoints', async () => {
    const server = runner([counter()]);
    server.start();
    let position = await append(20);
    expect(await server.waitFor(position, 5_000)).toBe(true);
    // `rrc projections rebuild` in another process drops the tables and resets the checkpoint
    // (it has not replayed anything yet: its log is empty so far).
    const empty: EventLog<StoredEvent> = {
      readAll: async () => [],
      subscribe: (o) => store.subscribe(o),
      headPosition: async () => 0,
    };
    const cli = runner([counter()], { log: empty });
    await cli.rebuild('counter');
    expect(checkpoint(cli.db)).toBe(0);
    // The server's next batch finds the checkpoint moved, applies nothing, and follows again from 0.
    position = await append(5);
    const deadline = Date.now() + 5_000;
    while (checkpoint(server.db) < position && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(checkpoint(server.db)).toBe(position);
    expect(total(server.db)).toBe(25);
    expect(await server.waitFor(position, 2_000)).toBe(true);
  });

  it('times its batches (the bench reads how long following held the event loop), and resets on request', async () => {
    await append(25);
    const r = runner([counter()]); // pages of 10: batches of 10, 10 and 5
    await r.catchUp();
    const stats = r.batchStats({ reset: true });
    expect(stats).toMatchObject({ batches: 3, events: 25 });
    expect(stats.maxMs).toBeGreaterThan(0);
    expect(stats.totalMs).toBeGreaterThanOrEqual(stats.maxMs);
    expect(r.batchStats()).toEqual({ batches: 0, events: 0, totalMs: 0, maxMs: 0, over5Ms: 0 });
  });

  it('refuses to rebuild a read model it does not know', async () => {
    const r = runner([counter()]);
    await expect(r.rebuild('nope')).rejects.toThrow(/no read model nope/);
  });
});
