import type { StoredEvent, Subscription } from './port.ts';

/** One page of the log after a cursor, as a subscription needs it. */
export interface Page {
  events: StoredEvent[];
  /**
   * Every position up to here has been looked at (matching or not). With a stream filter this
   * runs ahead of the last delivered event, so an idle subscriber does not rescan the
   * non-matching tail of the log on every poll.
   */
  scannedTo: number;
  /** True when the page reached the head of the log as the read saw it. */
  reachedHead: boolean;
}

export interface PageSource {
  readPage(after: number, streamPrefixes: readonly string[] | undefined): Page;
  detach(subscription: LiveSubscription): void;
}

/**
 * Catch-up then live over a store that can be read synchronously (SQLite). It reads pages
 * until it reaches the head, then sleeps until either the store wakes it (an append made by
 * this process: no delay) or the poll interval elapses (an append made by another process
 * writing the same file).
 */
export class LiveSubscription implements Subscription {
  #closed = false;
  #started = false;
  /** Set by `notify` so a wake-up that arrives while we are busy delivering is not lost. */
  #dirty = false;
  #wake: (() => void) | undefined;
  #cursor: number;

  constructor(
    private readonly source: PageSource,
    after: number,
    private readonly streamPrefixes: readonly string[] | undefined,
    private readonly pollIntervalMs: number,
  ) {
    this.#cursor = after;
  }

  /** Called by the store after a commit. */
  notify(): void {
    this.#dirty = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.source.detach(this);
    this.notify();
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    // One cursor per subscription: a second loop over it would silently split the events.
    if (this.#started) throw new Error('a subscription can be iterated once; subscribe again instead');
    this.#started = true;
    return this.#run();
  }

  async *#run(): AsyncGenerator<StoredEvent, void, undefined> {
    try {
      while (!this.#closed) {
        this.#dirty = false;
        const page = this.source.readPage(this.#cursor, this.streamPrefixes);
        for (const event of page.events) {
          if (this.#closed) return;
          this.#cursor = event.position;
          yield event;
        }
        this.#cursor = Math.max(this.#cursor, page.scannedTo);
        if (page.reachedHead && !this.#dirty && !this.#closed) await this.#sleep();
      }
    } finally {
      // Reached on close(), on `break` in the consumer's loop, and on a read error alike.
      this.#closed = true;
      this.source.detach(this);
    }
  }

  #sleep(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.#wake === done) this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.#wake = done;
    });
  }
}
