import {
  START,
  excludeSystemEvents,
  streamNameFilter,
  type AllStreamRecordedEvent,
  type AllStreamSubscription,
  type Position,
} from '@eventstore/db-client';
import { isTransient, sleep, type EsdbClient } from './esdb-client.ts';
import type { StoredEvent, Subscription } from './port.ts';
import { matchesPrefixes } from './revisions.ts';

export interface ResubscribeOptions {
  /** Consecutive transient failures (with nothing delivered in between) before the loop ends with the error. */
  attempts?: number;
  /** The first wait before subscribing again; doubled on each further failure, up to 5 s. */
  delayMs?: number;
}

/** How the adapter reads records: shared with esdb-store.ts so both map them one way. */
export interface RecordMapping {
  isSystem(record: { streamId: string; type: string }): boolean;
  toStored(record: AllStreamRecordedEvent): StoredEvent;
  positionAt(position: number): Position;
}

/**
 * A catch-up subscription to $all, filtered on the server by stream prefix (or excluding
 * system events). Iterated with `for await` so backpressure holds: the next event is not
 * pulled until the consumer has handled the previous one.
 *
 * When the server drops it for a transient reason (the node went away, a leader change, a
 * cancelled call) it subscribes again by itself from the last event it delivered, after a
 * backoff: the client reconnects to the node its `nodePreference` picks on that next call. The
 * consumer sees one loop with no gap and no duplicate. Anything else, or too many failures in a
 * row, ends the loop with the error (the projection runner then follows again from its checkpoint).
 */
export class EsdbSubscription implements Subscription {
  #closed = false;
  #started = false;
  #inner: AllStreamSubscription | undefined;
  #after: number;
  readonly #attempts: number;
  readonly #delayMs: number;

  constructor(
    private readonly client: EsdbClient,
    after: number,
    private readonly streamPrefixes: readonly string[] | undefined,
    private readonly mapping: RecordMapping,
    private readonly onEnd: (s: EsdbSubscription) => void,
    resubscribe: ResubscribeOptions = {},
  ) {
    this.#after = after;
    this.#attempts = resubscribe.attempts ?? 8;
    this.#delayMs = resubscribe.delayMs ?? 200;
  }

  [Symbol.asyncIterator](): AsyncIterator<StoredEvent> {
    if (this.#started) throw new Error('a subscription can be iterated once; subscribe again instead');
    this.#started = true;
    return this.#run();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.onEnd(this);
    await this.#stop();
  }

  async *#run(): AsyncGenerator<StoredEvent, void, undefined> {
    let failures = 0;
    try {
      while (!this.#closed) {
        const before = this.#after;
        try {
          yield* this.#once();
          return; // the server ended the call without an error: nothing more will come on it
        } catch (error) {
          // Stopping the stream surfaces as a premature close; that is our own close(), not a fault.
          if (this.#closed) return;
          if (!isTransient(error)) throw error;
          failures = this.#after > before ? 1 : failures + 1;
          if (failures > this.#attempts) throw error;
          await this.#stop();
          await sleep(Math.min(5_000, this.#delayMs * 2 ** (failures - 1)));
        }
      }
    } finally {
      const wasClosed = this.#closed;
      this.#closed = true;
      this.onEnd(this);
      if (!wasClosed) await this.#stop();
    }
  }

  async *#once(): AsyncGenerator<StoredEvent, void, undefined> {
    const prefixes = this.streamPrefixes;
    const inner = this.client.subscribeToAll({
      // ESDB starts a subscription *after* the given position, which is our `after` too.
      fromPosition: this.#after === 0 ? START : this.mapping.positionAt(this.#after),
      filter:
        prefixes !== undefined && prefixes.length > 0
          ? streamNameFilter({ prefixes: [...prefixes] })
          : excludeSystemEvents(),
    });
    this.#inner = inner;
    for await (const resolved of inner) {
      if (this.#closed) return;
      const record = resolved.event;
      if (record === undefined || this.mapping.isSystem(record) || !matchesPrefixes(record.streamId, prefixes))
        continue;
      const event = this.mapping.toStored(record);
      if (event.position <= this.#after) continue; // a resubscription may hand back its start
      this.#after = event.position;
      yield event;
    }
  }

  async #stop(): Promise<void> {
    const inner = this.#inner;
    if (inner === undefined) return;
    this.#inner = undefined;
    try {
      // Tearing down: a connection that never came up must not make close() fail.
      await inner.unsubscribe().catch(() => undefined);
    } finally {
      // Cancelling the gRPC call does not end the piped stream; destroying it ends `for await`.
      inner.destroy();
    }
  }
}
