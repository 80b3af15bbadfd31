import Database from 'better-sqlite3';
import {
  ConcurrencyError,
  DEFAULT_READ_ALL_LIMIT,
  IdempotencyConflictError,
  type AppendResult,
  type ChainLinkOptions,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type StoredEvent,
  type SubscribeOptions,
  type Subscription,
} from './port.ts';
import { eventHash, GENESIS_HASH, storedJson, type ChainLink } from './chain.ts';
import { LiveSubscription, type Page, type PageSource } from './live-subscription.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';
import { WalSync, type SyncStats } from './wal-sync.ts';
import { SqliteLeaseRegister } from './sqlite-lease.ts';
import { NO_STREAM_REVISION, normaliseAfter, normaliseLimit, satisfies, validateAppend } from './revisions.ts';

export interface SqliteEventStoreOptions {
  /**
   * FULL (default): a commit is fsynced before `append` resolves, so an acknowledged event
   * survives a power cut (the fsync runs off the event loop, see WalSync; the connection
   * itself runs NORMAL). NORMAL: no fsync at all; in WAL mode it only loses the last commits on
   * power loss (never on a process crash); for benchmarks and disposable data.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** How often an idle subscription looks for events written by another process. */
  pollIntervalMs?: number;
  /** Events per page when a subscription catches up. */
  pageSize?: number;
  /** How long a write waits for another process's write lock before failing. */
  busyTimeoutMs?: number;
  /**
   * Checkpoint the WAL from a worker thread instead of inside the commit that fills it (see
   * WalCheckpointer): for a long-running server, whose latency tail those checkpoints are.
   */
  backgroundCheckpoints?: boolean;
}

/** Rows per page when `chainLinks` walks the file. */
const CHAIN_PAGE = 1000;

/** 2: every event carries its predecessor's hash and its own (see chain.ts). */
const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position   INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT    NOT NULL UNIQUE,
  stream_id  TEXT    NOT NULL,
  revision   INTEGER NOT NULL,
  type       TEXT    NOT NULL,
  data       TEXT,
  metadata   TEXT,
  created_at TEXT    NOT NULL,
  prev_hash  TEXT,
  hash       TEXT,
  UNIQUE (stream_id, revision)
);
`;

interface EventRow {
  position: number;
  id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string | null;
  metadata: string | null;
  created_at: string;
  prev_hash: string | null;
  hash: string | null;
}

interface ExistingRow {
  id: string;
  stream_id: string;
  revision: number;
  position: number;
}

interface AppendRequest {
  streamId: string;
  events: readonly NewEvent[];
  expected: ExpectedRevision;
}

interface AppendOutcome {
  result: AppendResult;
  /** False for a no-op (an idempotent retry, or no events): nobody needs waking. */
  wrote: boolean;
}

/** An append waiting for the next group commit. */
interface PendingAppend {
  request: AppendRequest;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

/** One append's part of a group commit: its outcome, or the error that rolled back its savepoint. */
type GroupOutcome = { ok: true; outcome: AppendOutcome } | { ok: false; error: unknown };

/** Embedded event store: one SQLite file in WAL mode, written by better-sqlite3. */
export class SqliteEventStore implements EventStore, PageSource {
  readonly kind = 'sqlite' as const;
  readonly #db: Database.Database;
  readonly #pollIntervalMs: number;
  readonly #pageSize: number;
  readonly #subscriptions = new Set<LiveSubscription>();
  readonly #stmt: ReturnType<typeof prepareStatements>;
  readonly #appendTx: (request: AppendRequest) => AppendOutcome;
  readonly #groupTx: (batch: readonly PendingAppend[]) => GroupOutcome[];
  /** Appends made since the last commit, committed together on the next turn of the event loop. */
  #pending: PendingAppend[] = [];
  readonly #checkpointer: WalCheckpointer | undefined;
  /** FULL: commits run NORMAL and are made durable by an fdatasync of the WAL off the event loop. */
  readonly #walSync: WalSync | undefined;
  /** Every event at or below this position is on disk; reads show no event above it. */
  #durableThrough = Number.MAX_SAFE_INTEGER;
  /** A failed fsync: nothing written since can be trusted to be on disk, so the store refuses appends. */
  #failure: Error | undefined;
  #closed = false;
  /** Leases (the deadline service's leader election) as rows of this file: see sqlite-lease.ts. */
  readonly leases: SqliteLeaseRegister;
  #appends = 0;
  #commits = 0;

  constructor(
    readonly file: string,
    options: SqliteEventStoreOptions = {},
  ) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 200;
    this.#pageSize = options.pageSize ?? 500;
    this.#db = new Database(file);
    try {
      // WAL: readers (subscriptions, other processes) never block the writer, and a commit is
      // one sequential append to the WAL file.
      this.#db.pragma('journal_mode = WAL');
      // FULL would fsync inside every commit, on the event loop. Instead the connection runs
      // NORMAL and WalSync fdatasyncs the WAL on the thread pool before an append resolves:
      // the same durability, shared by every commit made while one fsync runs.
      const durable = (options.synchronous ?? 'FULL') === 'FULL';
      this.#db.pragma(`synchronous = NORMAL`);
      this.#walSync = durable ? new WalSync(file) : undefined;
      this.#db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
      this.#migrate();
      this.#stmt = prepareStatements(this.#db);
      this.leases = new SqliteLeaseRegister(this.#db);
      // `.immediate` takes the write lock at BEGIN, so the revision we check cannot change
      // before we insert, even when another process writes the same file.
      const tx = this.#db.transaction((request: AppendRequest) => this.#appendWithin(request));
      this.#appendTx = (request) => tx.immediate(request);
      // Group commit: one IMMEDIATE transaction, each append in a savepoint of its own (a nested
      // better-sqlite3 transaction), so one append's conflict rolls back only that append.
      const group = this.#db.transaction((batch: readonly PendingAppend[]) =>
        batch.map((p): GroupOutcome => {
          try {
            return { ok: true, outcome: tx(p.request) };
          } catch (error) {
            // An error SQLite answered by rolling back the whole transaction (I/O, disk full)
            // fails the batch; anything else (a conflict) failed only this savepoint.
            if (!this.#db.inTransaction) throw error;
            return { ok: false, error };
          }
        }),
      );
      this.#groupTx = (batch) => group.immediate(batch);
      this.#checkpointer = options.backgroundCheckpoints ? new WalCheckpointer(file, this.#db) : undefined;
      if (this.#walSync) {
        // What an earlier process left in the WAL is made durable before anyone reads it.
        this.#walSync.syncNow();
        this.#durableThrough = this.#head();
      }
    } catch (error) {
      this.#walSync?.close();
      this.#db.close();
      throw error;
    }
  }

  /**
   * Appends made in the same turn of the event loop (concurrent requests, say) are committed in
   * one transaction; each still gets its own revision check, result or error. On FULL an
   * append resolves once its commit is on disk; the fsync runs off the event loop and is
   * shared by every commit made while the previous one ran.
   */
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      this.#assertOpen();
      if (this.#failure !== undefined) throw this.#failure;
      validateAppend(streamId, events, expected);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.#pending.push({ request: { streamId, events, expected }, resolve, reject });
      if (this.#pending.length === 1) setImmediate(() => this.#flush());
    });
  }

  /** Commits every pending append: one transaction (and one fsync) for all of them. */
  #flush(): void {
    const batch = this.#pending;
    if (batch.length === 0) return;
    this.#pending = [];
    if (this.#closed) {
      for (const p of batch) p.reject(new Error('event store is closed'));
      return;
    }
    this.#appends += batch.length;
    this.#commits += 1;
    let outcomes: GroupOutcome[];
    try {
      // A lone append needs no savepoint: its error rolls back the whole (its own) transaction.
      outcomes = batch.length === 1 ? [{ ok: true, outcome: this.#appendTx(batch[0]!.request) }] : this.#groupTx(batch);
    } catch (error) {
      // The commit itself failed (or the lone append did): nothing of the batch was written.
      for (const p of batch) p.reject(error);
      return;
    }
    const done: [PendingAppend, AppendResult][] = [];
    outcomes.forEach((o, i) => {
      const p = batch[i]!;
      if (o.ok) done.push([p, o.outcome.result]);
      else p.reject(o.error); // nothing of it was written: no need to wait for the disk
    });
    if (this.#walSync === undefined) {
      if (outcomes.some((o) => o.ok && o.outcome.wrote)) this.#notifySubscribers();
      for (const [p, result] of done) p.resolve(result);
      return;
    }
    // Acknowledged once on disk (an idempotent repeat too: the first append may still be on its way).
    this.#syncThrough(this.#head()).then(
      () => done.forEach(([p, result]) => p.resolve(result)),
      (error: unknown) => done.forEach(([p]) => p.reject(error)),
    );
  }

  /**
   * Resolves once every event up to `position` is on disk (one fdatasync of the WAL, shared),
   * then lets reads and subscribers see them.
   */
  #syncThrough(position: number): Promise<void> {
    if (this.#walSync === undefined || position <= this.#durableThrough) return Promise.resolve();
    return this.#walSync.synced().then(
      () => {
        if (position > this.#durableThrough) {
          this.#durableThrough = position;
          this.#notifySubscribers();
        }
      },
      (error: unknown) => {
        this.#failure ??= error instanceof Error ? error : new Error(String(error));
        throw this.#failure;
      },
    );
  }

  /** Reads show only events on disk: one read just committed (by us or another process) waits for the fsync. */
  async #durable(rows: readonly EventRow[]): Promise<void> {
    let last = 0;
    for (const row of rows) last = Math.max(last, row.position);
    if (last > this.#durableThrough) await this.#syncThrough(Math.max(last, this.#head()));
  }

  async readStream(streamId: string, fromRevision = 0): Promise<StoredEvent[]> {
    this.#assertOpen();
    const rows = this.#stmt.readStream.all(streamId, Math.max(0, fromRevision));
    await this.#durable(rows);
    return rows.map(toStoredEvent);
  }

  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.#assertOpen();
    const after = normaliseAfter(options.after);
    const limit = normaliseLimit(options.limit, DEFAULT_READ_ALL_LIMIT);
    const rows = this.#readRows(after, Number.MAX_SAFE_INTEGER, options.streamPrefixes, limit);
    await this.#durable(rows);
    return rows.map(toStoredEvent);
  }

  async headPosition(): Promise<number> {
    this.#assertOpen();
    const head = this.#head();
    await this.#syncThrough(head);
    return head;
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.#assertOpen();
    const subscription = new LiveSubscription(
      this,
      normaliseAfter(options.after),
      options.streamPrefixes,
      this.#pollIntervalMs,
    );
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** Ends every subscription's loop, then closes the file. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush(); // appends already made are committed, not dropped
    this.#closed = true;
    await this.#syncThrough(this.#head()).catch(() => undefined); // and acknowledged
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
    await this.#checkpointer?.stop();
    this.#db.close();
    this.#walSync?.close();
  }

  /**
   * What the file is running with (for a readiness report, and to test the defaults).
   * `synchronous` is the durability appends get: FULL when every acknowledged append was
   * fsynced (by WalSync, the connection itself running NORMAL), else the connection's level.
   */
  diagnostics(): { file: string; journalMode: string; synchronous: 'FULL' | 'NORMAL' | 'OFF' | 'EXTRA' } {
    this.#assertOpen();
    const journalMode = this.#db.pragma('journal_mode', { simple: true }) as string;
    const level = this.#db.pragma('synchronous', { simple: true }) as number;
    const synchronous = this.#walSync ? 'FULL' : ((['OFF', 'NORMAL', 'FULL', 'EXTRA'] as const)[level] ?? 'FULL');
    return { file: this.file, journalMode, synchronous };
  }

  /** Appends and the transactions that committed them, since the store was opened. */
  stats(): { appends: number; commits: number } {
    return { appends: this.#appends, commits: this.#commits };
  }

  /** The WAL's fdatasyncs that appends waited for (none unless durable), since the start or the last reset. */
  syncStats(options: { reset?: boolean } = {}): SyncStats {
    return this.#walSync?.stats(options) ?? { count: 0, totalMs: 0, maxMs: 0, over5Ms: 0 };
  }

  /** PageSource: one page after `after`, read synchronously so no append can interleave. */
  readPage(after: number, streamPrefixes: readonly string[] | undefined): Page {
    if (this.#closed) return { events: [], scannedTo: after, reachedHead: true };
    // Read the head first: rows at or below it are all committed (positions are handed out
    // under the write lock), so a short page means everything up to `head` has been seen.
    // Only events on disk are delivered; later ones wake the subscription when their fsync is done.
    const committed = this.#head();
    const head = Math.min(committed, this.#durableThrough);
    if (committed > head) void this.#syncThrough(committed).catch(() => undefined);
    const rows = this.#readRows(after, head, streamPrefixes, this.#pageSize);
    const reachedHead = rows.length < this.#pageSize;
    const last = rows.at(-1);
    return {
      events: rows.map(toStoredEvent),
      scannedTo: reachedHead ? Math.max(after, head) : (last?.position ?? after),
      reachedHead,
    };
  }

  detach(subscription: LiveSubscription): void {
    this.#subscriptions.delete(subscription);
  }

  /** SQLite's `data_version`: changes when another connection commits to the file, not on our own commits. */
  othersWrites(): number {
    this.#assertOpen();
    return this.#stmt.dataVersion.get() as number;
  }

  #head(): number {
    return this.#stmt.head.get()?.head ?? 0;
  }

  #readRows(after: number, upTo: number, prefixes: readonly string[] | undefined, limit: number): EventRow[] {
    if (prefixes === undefined || prefixes.length === 0) return this.#stmt.readAll.all(after, upTo, limit);
    return this.#stmt.readAllFiltered.all(after, upTo, JSON.stringify(prefixes), limit);
  }

  /** The body of one append; runs inside the caller's IMMEDIATE transaction. */
  #appendWithin({ streamId, events, expected }: AppendRequest): AppendOutcome {
    const last = this.#stmt.lastRevision.get(streamId);
    const current = last?.revision ?? NO_STREAM_REVISION;

    if (events.length === 0) {
      if (!satisfies(expected, current)) throw new ConcurrencyError(streamId, expected, current);
      return {
        result: { revision: current, position: this.#stmt.lastPosition.get(streamId)?.position ?? 0 },
        wrote: false,
      };
    }

    // Idempotency comes before the revision check: a retry of an acknowledged append carries
    // the expectation it had then, which the stream has since moved past.
    // (One event, the usual append, by plain key lookup: json_each costs more than the search.)
    const existing =
      events.length === 1
        ? this.#stmt.existingOne.all(events[0]!.id)
        : this.#stmt.existing.all(JSON.stringify(events.map((e) => e.id)));
    if (existing.length > 0) {
      if (existing.length === events.length && existing.every((row) => row.stream_id === streamId)) {
        return {
          result: {
            revision: Math.max(...existing.map((row) => row.revision)),
            position: Math.max(...existing.map((row) => row.position)),
          },
          wrote: false,
        };
      }
      throw new IdempotencyConflictError(
        streamId,
        existing.map((row) => row.id),
      );
    }

    if (!satisfies(expected, current)) throw new ConcurrencyError(streamId, expected, current);

    const createdAt = new Date().toISOString();
    let position = 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    events.forEach((event, i) => {
      const fields = {
        streamId,
        revision: current + 1 + i,
        id: event.id,
        type: event.type,
        data: storedJson(event.data),
        metadata: storedJson(event.metadata),
        createdAt,
      };
      const hash = eventHash(prevHash, fields);
      const info = this.#stmt.insert.run(
        fields.id,
        streamId,
        fields.revision,
        fields.type,
        fields.data,
        fields.metadata,
        createdAt,
        prevHash,
        hash,
      );
      prevHash = hash;
      position = Number(info.lastInsertRowid);
    });
    return { result: { revision: current + events.length, position }, wrote: true };
  }

  #notifySubscribers(): void {
    for (const subscription of this.#subscriptions) subscription.notify();
  }

  /**
   * The chain links straight from the rows, text as stored (no JSON parse on the way): a byte
   * edited in the file, even one that breaks the JSON, shows as that event's `content-changed`.
   * Paged by position, so no statement stays open across the consumer's awaits.
   */
  async *chainLinks(options: ChainLinkOptions = {}): AsyncGenerator<ChainLink> {
    let after = 0;
    for (;;) {
      this.#assertOpen();
      const rows = this.#readRows(after, Number.MAX_SAFE_INTEGER, options.streamPrefixes, CHAIN_PAGE);
      await this.#durable(rows); // as every read: no event before its fsync is done
      for (const row of rows) yield toLink(row);
      if (rows.length < CHAIN_PAGE) return;
      after = rows.at(-1)!.position;
    }
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(`${this.file} has event-store schema ${version}; this build knows up to ${SCHEMA_VERSION}`);
    }
    this.#db.exec(SCHEMA);
    if (version === 1) this.#db.transaction(() => chainExistingEvents(this.#db)).immediate();
    if (version < SCHEMA_VERSION) this.#db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('event store is closed');
  }
}

export function openSqliteEventStore(file: string, options: SqliteEventStoreOptions = {}): SqliteEventStore {
  return new SqliteEventStore(file, options);
}

function prepareStatements(db: Database.Database) {
  const filter = `EXISTS (SELECT 1 FROM json_each(?) AS p WHERE substr(e.stream_id, 1, length(p.value)) = p.value)`;
  return {
    insert: db.prepare(
      `INSERT INTO events (id, stream_id, revision, type, data, metadata, created_at, prev_hash, hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    lastRevision: db.prepare<[string], { revision: number; hash: string | null }>(
      `SELECT revision, hash FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1`,
    ),
    lastPosition: db.prepare<[string], { position: number }>(
      `SELECT position FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1`,
    ),
    existing: db.prepare<[string], ExistingRow>(
      `SELECT id, stream_id, revision, position FROM events WHERE id IN (SELECT value FROM json_each(?))`,
    ),
    existingOne: db.prepare<[string], ExistingRow>(`SELECT id, stream_id, revision, position FROM events WHERE id = ?`),
    readStream: db.prepare<[string, number], EventRow>(
      `SELECT * FROM events WHERE stream_id = ? AND revision >= ? ORDER BY revision`,
    ),
    readAll: db.prepare<[number, number, number], EventRow>(
      `SELECT * FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?`,
    ),
    readAllFiltered: db.prepare<[number, number, string, number], EventRow>(
      `SELECT * FROM events AS e WHERE position > ? AND position <= ? AND ${filter} ORDER BY position LIMIT ?`,
    ),
    head: db.prepare<[], { head: number }>(`SELECT COALESCE(MAX(position), 0) AS head FROM events`),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
  };
}

/**
 * A file written before schema 2 gets its chains now: they attest to the record as it stood
 * at the upgrade, and to every change since.
 */
function chainExistingEvents(db: Database.Database): void {
  db.exec(`ALTER TABLE events ADD COLUMN prev_hash TEXT; ALTER TABLE events ADD COLUMN hash TEXT;`);
  const update = db.prepare(`UPDATE events SET prev_hash = ?, hash = ? WHERE position = ?`);
  let streamId: string | undefined;
  let prevHash = GENESIS_HASH;
  for (const row of db.prepare<[], EventRow>(`SELECT * FROM events ORDER BY stream_id, revision`).all()) {
    if (row.stream_id !== streamId) [streamId, prevHash] = [row.stream_id, GENESIS_HASH];
    const hash = eventHash(prevHash, toLink(row));
    update.run(prevHash, hash, row.position);
    prevHash = hash;
  }
}

function toLink(row: EventRow): ChainLink {
  return {
    streamId: row.stream_id,
    revision: row.revision,
    position: row.position,
    id: row.id,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    createdAt: row.created_at,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    streamId: row.stream_id,
    type: row.type,
    revision: row.revision,
    position: row.position,
    data: row.data === null ? null : (JSON.parse(row.data) as unknown),
    metadata: row.metadata === null ? null : (JSON.parse(row.metadata) as unknown),
    createdAt: row.created_at,
    ...(row.hash === null || row.prev_hash === null ? {} : { chain: { prevHash: row.prev_hash, hash: row.hash } }),
  };
}
