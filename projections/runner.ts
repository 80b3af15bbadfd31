import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import { beginBatch, endBatch, flushBatch } from './tables.ts';
import type { Db, Decode, EventLog, LogEvent, LogSubscription, ProjectionEvent, ReadModel } from './types.ts';

/**
 * The projection runner: follows the global log from the lowest checkpoint and folds each
 * event into every read model that has not seen it yet. All models share one SQLite file
 * with a `checkpoints` table; a batch of events and the checkpoints it advances commit in
 * ONE transaction, so a crash never applies an event twice nor skips one.
 *
 * Another process (`rrc projections rebuild`) may rewrite the same file: every batch re-reads
 * the checkpoints inside its transaction and, when one is not what this runner last wrote,
 * applies nothing to that model and starts again from the checkpoints on disk.
 */
export const READ_MODELS_FILE = 'read-models.sqlite';
export const PROJECTED_STREAMS: readonly string[] = ['case-', 'agreement-', 'thread-'];

export function openReadModelDb(file: string): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a power cut may lose the newest batches, never half of one, and the
    // checkpoint goes with its rows, so the runner simply replays them from the log.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    // SQLite's page cache for this connection: 16 MB (better-sqlite3's default, set here so it
    // is a decision). At 100,000 cases the read models outgrow any cache that keeps the
    // server under 300 MB RSS; pages beyond it come from the OS page cache, which RSS does
    // not count (64 MB here cost ~50 MB of RSS at 100k cases and bought little when following).
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export interface Progress {
  /** The last position applied. */
  position: number;
  /** The head of the log when the catch-up started. */
  head: number;
  /** Events applied so far by this catch-up. */
  events: number;
}

export interface RunnerOptions<E extends LogEvent> {
  db: Db;
  models: readonly ReadModel[];
  log: EventLog<E>;
  decode: Decode<E>;
  /**
   * The codec's decode without the personal fields (no key looked up, nothing decrypted), for
   * the events no model reads personal data of (`ReadModel.personalDataOf`): most of the log.
   * Without it every event goes through `decode`.
   */
  decodeWithoutPersonalData?: Decode<E>;
  streamPrefixes?: readonly string[];
  /** Events per transaction while following (at most; a batch is what the log has ready). */
  batchSize?: number;
  /**
   * Events per transaction when catching up or rebuilding. Upserts land on keys all over the
   * tables, so fewer, larger transactions write far fewer pages.
   */
  catchUpBatchSize?: number;
  /** How long to wait before following again after a failed batch. */
  retryDelayMs?: number;
  /**
   * While following, how long a batch waits for more events after its first one (the price in
   * read-your-writes latency of committing several appends in one transaction).
   */
  lingerMs?: number;
  /** Called with a failed batch's error (log its name, never its message: it may quote data). */
  onError?: (error: unknown) => void;
}

/**
 * Time the runner's batches held the thread they run on (the server's event loop): what
 * following costs the requests waiting behind a batch (the events' decoding, done as they
 * arrive, is not counted).
 */
export interface BatchStats {
  batches: number;
  events: number;
  /** Total time in batch transactions (apply, flush, commit), ms. */
  totalMs: number;
  /** The longest batch, ms. */
  maxMs: number;
  /** Batches that held the thread 5 ms or longer. */
  over5Ms: number;
}

export interface RunnerStatus {
  following: boolean;
  position: number;
  lastError: string | null;
  projections: { name: string; version: number; position: number }[];
}

function toProjectionEvent(
  stored: LogEvent,
  { event, metadata }: Awaited<ReturnType<Decode<unknown>>>,
): ProjectionEvent {
  return {
    type: event.type,
    data: event.data,
    metadata,
    streamId: stored.streamId,
    revision: stored.revision,
    position: stored.position,
  };
}

/** WAL pages a catch-up lets pile up before SQLite checkpoints inside a commit (see `catchUp`). */
const CATCH_UP_WAL_PAGES = 25_000;

const TICK = Symbol('tick');
const immediate = (): Promise<typeof TICK> => new Promise((resolve) => setImmediate(() => resolve(TICK)));
const linger = (ms: number): Promise<typeof TICK> =>
  ms <= 0 ? immediate() : new Promise((resolve) => setTimeout(() => resolve(TICK), ms));

export class ProjectionRunner<E extends LogEvent> {
  readonly db: Db;
  readonly models: readonly ReadModel[];
  readonly #log: EventLog<E>;
  readonly #decode: Decode<E>;
  readonly #decodeWithoutPersonalData: Decode<E>;
  /** The event types some model reads personal fields of. */
  readonly #personalDataOf: ReadonlySet<string>;
  readonly #prefixes: readonly string[];
  readonly #batchSize: number;
  readonly #catchUpBatchSize: number;
  readonly #retryDelayMs: number;
  readonly #lingerMs: number;
  readonly #onError: ((error: unknown) => void) | undefined;
  readonly #checkpoints = new Map<string, number>();
  readonly #listeners = new Set<() => void>();
  readonly #readCheckpoints: Statement<[], { projection: string; position: number; version: number }>;
  readonly #writeCheckpoint: Statement<[string, number, number]>;
  readonly #applyTx: ReturnType<ProjectionRunner<E>['makeApplyTx']>;
  #following: Promise<void> | undefined;
  #subscription: LogSubscription<E> | undefined;
  #stopping = false;
  #wakeRetry: (() => void) | undefined;
  #lastError: string | null = null;
  #closed = false;
  readonly #batchStats: BatchStats = { batches: 0, events: 0, totalMs: 0, maxMs: 0, over5Ms: 0 };

  constructor(options: RunnerOptions<E>) {
    this.db = options.db;
    this.models = options.models;
    this.#log = options.log;
    this.#decode = options.decode;
    this.#decodeWithoutPersonalData = options.decodeWithoutPersonalData ?? options.decode;
    this.#personalDataOf = new Set(this.models.flatMap((m) => [...(m.personalDataOf ?? [])]));
    this.#prefixes = options.streamPrefixes ?? PROJECTED_STREAMS;
    this.#batchSize = options.batchSize ?? 1000;
    this.#catchUpBatchSize = options.catchUpBatchSize ?? options.batchSize ?? 10_000;
    this.#retryDelayMs = options.retryDelayMs ?? 2000;
    this.#lingerMs = options.lingerMs ?? 5;
    this.#onError = options.onError;
    const names = new Set(this.models.map((m) => m.name));
    if (names.size !== this.models.length) throw new Error('two read models share a name');

    this.db.exec(
      `CREATE TABLE IF NOT EXISTS checkpoints (
         projection TEXT PRIMARY KEY,
         position   INTEGER NOT NULL,
         version    INTEGER NOT NULL
       )`,
    );
    this.#readCheckpoints = this.db.prepare(`SELECT projection, position, version FROM checkpoints`);
    this.#writeCheckpoint = this.db.prepare(
      `INSERT INTO checkpoints (projection, position, version) VALUES (?, ?, ?)
       ON CONFLICT (projection) DO UPDATE SET position = excluded.position, version = excluded.version`,
    );
    this.db
      .transaction(() => {
        const stored = new Map(this.#readCheckpoints.all().map((row) => [row.projection, row]));
        for (const model of this.models) {
          const row = stored.get(model.name);
          if (row === undefined || row.version !== model.version) {
            this.#reset(model);
          } else {
            model.setup(this.db); // idempotent: CREATE … IF NOT EXISTS
          }
        }
      })
      .immediate();
    this.#loadCheckpoints();
    this.#applyTx = this.makeApplyTx();
  }

  /** The lowest checkpoint: every read model has applied the log up to here. */
  position(): number {
    let min = Number.MAX_SAFE_INTEGER;
    for (const model of this.models) min = Math.min(min, this.#checkpoints.get(model.name) ?? 0);
    return this.models.length === 0 ? 0 : min;
  }

  positions(): Record<string, number> {
    return Object.fromEntries(this.models.map((m) => [m.name, this.#checkpoints.get(m.name) ?? 0]));
  }

  /**
   * Positions between the head of the log and the slowest read model; 0 when every event of
   * the followed streams is applied (the log also holds streams no read model follows, such
   * as the read audit, so the head alone would never show "caught up").
   */
  async lag(): Promise<number> {
    return this.#lagFrom(this.position(), await this.#log.headPosition());
  }

  async lagByProjection(): Promise<Record<string, number>> {
    const head = await this.#log.headPosition();
    const lags: Record<string, number> = {};
    for (const m of this.models) lags[m.name] = await this.#lagFrom(this.#checkpoints.get(m.name) ?? 0, head);
    return lags;
  }

  async #lagFrom(position: number, head: number): Promise<number> {
    if (position >= head) return 0;
    const next = await this.#log.readAll({ after: position, streamPrefixes: this.#prefixes, limit: 1 });
    return next.length === 0 || next[0]!.position > head ? 0 : head - position;
  }

  status(): RunnerStatus {
    return {
      following: this.#following !== undefined,
      position: this.position(),
      lastError: this.#lastError,
      projections: this.models.map((m) => ({
        name: m.name,
        version: m.version,
        position: this.#checkpoints.get(m.name) ?? 0,
      })),
    };
  }

  /**
   * Read-your-writes: resolves `true` once every read model has applied the log up to
   * `position` (every followed event at or below it), `false` after the timeout.
   */
  async waitFor(position: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.position() >= position) return true;
      if (this.#closed) return false;
      // Only events of other streams between here and the target: nothing to wait for.
      const head = await this.#log.headPosition();
      if (position <= head) {
        const next = await this.#log.readAll({ after: this.position(), streamPrefixes: this.#prefixes, limit: 1 });
        if (next.length === 0 || next[0]!.position > position) return true;
      }
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await this.#progress(Math.min(left, 250));
    }
  }

  /** Waits until the read models have applied everything the log holds now. */
  async waitForHead(timeoutMs: number): Promise<boolean> {
    return this.waitFor(await this.#log.headPosition(), timeoutMs);
  }

  /** Follows the log in the background (catch up, then live) until `stop()`. */
  start(): void {
    if (this.#closed) throw new Error('the projection runner is closed');
    if (this.#following) return;
    this.#stopping = false;
    this.#following = this.#follow().finally(() => {
      this.#following = undefined;
    });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wakeRetry?.();
    await this.#subscription?.close();
    await this.#following;
  }

  /** Pulls the log up to its current head, a page per transaction (the CLI, and start-up in tests). */
  async catchUp(onProgress?: (progress: Progress) => void): Promise<number> {
    // SQLite checkpoints inside whichever commit takes the WAL past `wal_autocheckpoint`
    // pages, copying pages the next batches rewrite anyway. While catching up, the WAL may
    // grow to CATCH_UP_WAL_PAGES (100 MB) before one: a rebuild of 1.3 million events took
    // 104 s instead of 114 s with SQLite's default 1000 pages (123 s against 95 s with none).
    const autocheckpoint = this.db.pragma('wal_autocheckpoint', { simple: true }) as number;
    const raise = autocheckpoint > 0 && autocheckpoint < CATCH_UP_WAL_PAGES;
    if (raise) this.db.pragma(`wal_autocheckpoint = ${CATCH_UP_WAL_PAGES}`);
    try {
      return await this.#catchUp(onProgress);
    } finally {
      if (raise && this.db.open) this.db.pragma(`wal_autocheckpoint = ${autocheckpoint}`);
    }
  }

  async #catchUp(onProgress?: (progress: Progress) => void): Promise<number> {
    const head = await this.#log.headPosition();
    let after = this.position();
    let applied = 0;
    for (;;) {
      const page = await this.#log.readAll({ after, streamPrefixes: this.#prefixes, limit: this.#catchUpBatchSize });
      if (page.length === 0) break;
      const batch: ProjectionEvent[] = [];
      for (const stored of page) {
        const event = this.#toProjectionEvent(stored);
        batch.push(event instanceof Promise ? await event : event);
      }
      const { resync } = this.#applyBatch(batch);
      applied += batch.length;
      after = resync ? this.position() : page[page.length - 1]!.position;
      onProgress?.({ position: after, head, events: applied });
      await immediate(); // let requests in between pages
      if (page.length < this.#catchUpBatchSize && !resync) break;
    }
    return applied;
  }

  /**
   * Drops the named read model's tables (every model's when no name is given) and replays the
   * log from the start. A following runner stops, rebuilds, and follows again.
   */
  async rebuild(name?: string, onProgress?: (progress: Progress) => void): Promise<void> {
    const models = name === undefined ? this.models : this.models.filter((m) => m.name === name);
    if (models.length === 0) {
      throw new Error(`no read model ${name}; there are ${this.models.map((m) => m.name).join(', ')}`);
    }
    const wasFollowing = this.#following !== undefined;
    if (wasFollowing) await this.stop();
    this.db.transaction(() => models.forEach((m) => this.#reset(m))).immediate();
    this.#loadCheckpoints();
    await this.catchUp(onProgress);
    if (wasFollowing) this.start();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.stop();
    this.#closed = true;
    for (const listener of this.#listeners) listener();
    this.db.close();
  }

  async #follow(): Promise<void> {
    while (!this.#stopping) {
      let subscription: LogSubscription<E> | undefined;
      try {
        subscription = this.#log.subscribe({ after: this.position(), streamPrefixes: this.#prefixes });
        this.#subscription = subscription;
        const outcome = await this.#consume(subscription);
        this.#lastError = null;
        // A subscription that ended by itself (the store dropped it): follow again, gently.
        if (outcome === 'ended' && !this.#stopping) await this.#pause(100);
      } catch (error) {
        // The failed batch rolled back whole: following again from the checkpoints retries it.
        this.#lastError = (error as Error)?.name ?? 'Error';
        this.#onError?.(error);
        if (!this.#stopping) await this.#pause(this.#retryDelayMs);
      } finally {
        this.#subscription = undefined;
        await subscription?.close();
      }
    }
  }

  /** Batches what the subscription delivers within `lingerMs` (up to `batchSize`) into one transaction. */
  async #consume(subscription: LogSubscription<E>): Promise<'stopped' | 'ended' | 'resync'> {
    const iterator = subscription[Symbol.asyncIterator]();
    let pending = iterator.next();
    for (;;) {
      const first = await pending;
      if (this.#stopping) return 'stopped';
      if (first.done) return 'ended';
      const batch = [await this.#toProjectionEvent(first.value)];
      pending = iterator.next();
      // A batch takes what arrives within `lingerMs` of its first event (events the store already
      // holds arrive at once): live appends then commit a few at a time, not one transaction each.
      const tick = linger(this.#lingerMs);
      let ended = false;
      while (batch.length < this.#batchSize) {
        const next = await Promise.race([pending, tick]);
        if (next === TICK) break;
        if (next.done) {
          ended = true;
          break;
        }
        batch.push(await this.#toProjectionEvent(next.value));
        pending = iterator.next();
      }
      if (this.#stopping || this.#closed) return 'stopped';
      const { resync } = this.#applyBatch(batch);
      if (resync) return 'resync';
      if (ended) return 'ended';
      await immediate(); // a long catch-up must not starve requests
    }
  }

  /** Synchronous when the decode is (the usual case: no promise, no microtask per event). */
  #toProjectionEvent(stored: E): ProjectionEvent | Promise<ProjectionEvent> {
    const decode = this.#personalDataOf.has(stored.type) ? this.#decode : this.#decodeWithoutPersonalData;
    const decoded = decode(stored);
    return decoded instanceof Promise
      ? decoded.then((d) => toProjectionEvent(stored, d))
      : toProjectionEvent(stored, decoded);
  }

  /** How long batches held the thread (see `BatchStats`) since the start or the last reset. */
  batchStats(options: { reset?: boolean } = {}): BatchStats {
    const copy = { ...this.#batchStats };
    if (options.reset) Object.assign(this.#batchStats, { batches: 0, events: 0, totalMs: 0, maxMs: 0, over5Ms: 0 });
    return copy;
  }

  #applyBatch(events: readonly ProjectionEvent[]): { resync: boolean } {
    if (events.length === 0) return { resync: false };
    const started = performance.now();
    const result = this.#applyTx.immediate(events);
    this.#loadCheckpoints();
    const took = performance.now() - started;
    const stats = this.#batchStats;
    stats.batches += 1;
    stats.events += events.length;
    stats.totalMs += took;
    stats.maxMs = Math.max(stats.maxMs, took);
    if (took >= 5) stats.over5Ms += 1;
    for (const listener of this.#listeners) listener();
    return result;
  }

  /** @internal */
  private makeApplyTx() {
    return this.db.transaction((events: readonly ProjectionEvent[]) => {
      const stored = new Map(this.#readCheckpoints.all().map((row) => [row.projection, row.position]));
      let resync = false;
      const active: { model: ReadModel; from: number }[] = [];
      for (const model of this.models) {
        const onDisk = stored.get(model.name) ?? 0;
        // Someone else (a rebuild from the command line) moved this checkpoint: leave it alone.
        if (onDisk !== this.#checkpoints.get(model.name)) resync = true;
        else active.push({ model, from: onDisk });
      }
      // Rows are read and written once per batch (tables.ts), then written before the checkpoints.
      beginBatch(this.db);
      try {
        for (const event of events) {
          for (const { model, from } of active) if (event.position > from) model.apply(this.db, event);
        }
        flushBatch(this.db);
      } finally {
        endBatch(this.db);
      }
      const last = events[events.length - 1]!.position;
      for (const { model, from } of active) {
        if (last > from) this.#writeCheckpoint.run(model.name, last, model.version);
      }
      return { resync };
    });
  }

  #reset(model: ReadModel): void {
    for (const table of model.tables) this.db.exec(`DROP TABLE IF EXISTS "${table}"`);
    model.setup(this.db);
    this.#writeCheckpoint.run(model.name, 0, model.version);
  }

  #loadCheckpoints(): void {
    this.#checkpoints.clear();
    for (const row of this.#readCheckpoints.all()) this.#checkpoints.set(row.projection, row.position);
  }

  /** Resolves after the next committed batch, or after `ms`. */
  #progress(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#listeners.add(done);
    });
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wakeRetry = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wakeRetry = done;
    });
  }
}
