import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

/**
 * Durable commits without holding the event loop for the fsync. The database runs in WAL
 * mode with `synchronous=NORMAL`: a commit appends its frames to the WAL file and returns
 * (SQLite still syncs the WAL before every checkpoint, and its header when it restarts the
 * WAL, so NORMAL never corrupts). `synced()` then fdatasyncs the WAL file on libuv's thread
 * pool: once an fdatasync that started after a commit has finished, that commit is on disk,
 * exactly as `synchronous=FULL` would have made it, but the fsync ran off the main thread,
 * and every commit made while one fsync runs shares the next one (group commit).
 */
/** The fdatasyncs so far: how long commands waited for the disk (they wait off the event loop). */
export interface SyncStats {
  count: number;
  totalMs: number;
  maxMs: number;
  /** fdatasyncs of 5 ms or longer. */
  over5Ms: number;
}

const noSyncs = (): SyncStats => ({ count: 0, totalMs: 0, maxMs: 0, over5Ms: 0 });

export class WalSync {
  readonly #walFile: string;
  #stats = noSyncs();
  #fd: number | undefined;
  #inFlight: Promise<void> | undefined;
  #next: Promise<void> | undefined;

  constructor(databaseFile: string) {
    this.#walFile = `${databaseFile}-wal`;
  }

  /** Resolves once every commit made before the call is on disk. */
  synced(): Promise<void> {
    if (this.#inFlight === undefined) return this.#start();
    // The fsync in flight may have begun before the caller's commit: the next one covers it,
    // and everyone who asks meanwhile shares it.
    this.#next ??= this.#inFlight.then(
      () => this.#startNext(),
      () => this.#startNext(),
    );
    return this.#next;
  }

  /** The blocking form, for the rare commit that cannot wait (it holds the event loop). */
  syncNow(): void {
    const fd = this.#open();
    if (fd !== undefined) fdatasyncSync(fd);
  }

  /** The fdatasyncs since the start or the last reset (the benchmark names its latency tail's causes with it). */
  stats(options: { reset?: boolean } = {}): SyncStats {
    const stats = this.#stats;
    if (options.reset) this.#stats = noSyncs();
    return { ...stats };
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #startNext(): Promise<void> {
    this.#next = undefined;
    return this.#start();
  }

  #start(): Promise<void> {
    const run = this.#sync().finally(() => {
      if (this.#inFlight === run) this.#inFlight = undefined;
    });
    this.#inFlight = run;
    return run;
  }

  async #sync(): Promise<void> {
    // SQLite keeps the WAL file (and so this descriptor's inode) while a connection is open.
    const fd = this.#open();
    if (fd === undefined) return;
    const started = performance.now();
    await new Promise<void>((resolve, reject) => fdatasync(fd, (e) => (e ? reject(e) : resolve())));
    const took = performance.now() - started;
    const stats = this.#stats;
    stats.count += 1;
    stats.totalMs += took;
    stats.maxMs = Math.max(stats.maxMs, took);
    if (took >= 5) stats.over5Ms += 1;
  }

  /** The WAL file, opened once; undefined while there is none (nothing was written to sync). */
  #open(): number | undefined {
    try {
      this.#fd ??= openSync(this.#walFile, 'r+');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return this.#fd;
  }
}
