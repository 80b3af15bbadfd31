import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own default: a checkpoint whenever the WAL passes 1000 pages. */
const AUTOCHECKPOINT_PAGES = 1000;
/** With the worker: the commit that passes 10000 pages (40 MB) finishes the checkpoint (and so restarts the WAL). */
const BACKSTOP_PAGES = 10_000;
const INTERVAL_MS = 100;

/**
 * Moves most of a WAL database's checkpointing off the event loop. better-sqlite3 runs on the
 * calling thread, so SQLite's automatic checkpoint (every 1000 WAL pages, inside whichever
 * commit crosses the mark) holds the event loop for two fsyncs and the page copies: tens of
 * milliseconds on a busy disk, every few hundred commits, which is the latency tail of a
 * server. Here one worker thread (shared by every database of the process, with connections
 * of its own) checkpoints them, PASSIVE, every 100 ms, copying the pages while the server
 * goes on. A PASSIVE checkpoint cannot restart the WAL while commits keep coming, so the
 * connection's own automatic checkpoint stays on, at 10000 pages instead of 1000: it bounds
 * the WAL (40 MB), comes ten times less often, and finds almost every page copied already.
 * Durability is unchanged: a commit is made durable by the WAL as before; a checkpoint only
 * copies it into the main file. Should the worker fail, the default comes back.
 */
export class WalCheckpointer {
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #worker: SharedWorker;
  readonly #user: () => void;
  #stopped: Promise<void> | undefined;

  constructor(file: string, db: Database.Database) {
    this.#db = db;
    this.#file = file;
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.#worker = SharedWorker.acquire();
    this.#user = this.#worker.add(file, () => {
      if (this.#stopped === undefined && db.open) db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
  }

  /** Hands the file back to SQLite's automatic checkpoints, after a last checkpoint. Safe to call twice. */
  stop(): Promise<void> {
    this.#stopped ??= this.#worker.remove(this.#file, this.#user).then(() => {
      if (this.#db.open) this.#db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    });
    return this.#stopped;
  }
}

/** The one checkpoint worker of the process, while any file uses it. */
class SharedWorker {
  static #current: SharedWorker | undefined;
  readonly #worker: Worker;
  readonly #exited: Promise<void>;
  readonly #waiting = new Map<string, () => void>();
  /** Per file, what to do should the worker fail, one entry per connection using it. */
  readonly #users = new Map<string, Set<() => void>>();

  static acquire(): SharedWorker {
    SharedWorker.#current ??= new SharedWorker();
    return SharedWorker.#current;
  }

  private constructor() {
    this.#worker = new Worker(new URL('./wal-checkpoint-worker.mjs', import.meta.url), {
      workerData: { intervalMs: INTERVAL_MS },
    });
    this.#worker.unref();
    this.#worker.on('message', (m: { type: string; file: string }) => {
      if (m.type === 'removed') this.#waiting.get(m.file)?.();
    });
    this.#worker.on('error', () => undefined); // the exit below handles it
    this.#exited = new Promise((resolve) => this.#worker.once('exit', () => resolve()));
    void this.#exited.then(() => {
      if (SharedWorker.#current === this) SharedWorker.#current = undefined;
      for (const users of this.#users.values()) for (const fallBack of users) fallBack();
      for (const done of this.#waiting.values()) done();
    });
  }

  add(file: string, onFailure: () => void): () => void {
    let users = this.#users.get(file);
    if (users === undefined) {
      this.#users.set(file, (users = new Set()));
      this.#worker.postMessage({ type: 'add', file });
    }
    users.add(onFailure);
    return onFailure;
  }

  /** The connection with this `onFailure` is done with the file; the last one closes the worker's. */
  remove(file: string, user: () => void): Promise<void> {
    const users = this.#users.get(file);
    users?.delete(user);
    if (users === undefined || users.size > 0) return Promise.resolve();
    this.#users.delete(file);
    if (this.#users.size === 0 && SharedWorker.#current === this) SharedWorker.#current = undefined;
    return new Promise<void>((resolve) => {
      this.#waiting.set(file, () => {
        this.#waiting.delete(file);
        resolve();
      });
      this.#worker.postMessage({ type: 'remove', file });
    });
  }
}
