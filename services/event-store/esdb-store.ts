import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AllStreamRecordedEvent,
  type AppendExpectedRevision,
  type AppendResult as EsdbAppendResult,
  type CurrentRevision,
  type JSONType,
  type Position,
  type ReadPosition,
  type RecordedEvent,
} from '@eventstore/db-client';
import {
  ConcurrencyError,
  DEFAULT_READ_ALL_LIMIT,
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
import {
  NO_STREAM_REVISION,
  matchesPrefixes,
  normaliseAfter,
  normaliseLimit,
  satisfies,
  validateAppend,
} from './revisions.ts';
import { isTransient, sleep, type EsdbClient } from './esdb-client.ts';
import { EsdbSubscription, type RecordMapping, type ResubscribeOptions } from './esdb-subscription.ts';
import { EsdbLeaseRegister } from './esdb-lease.ts';
import { GENESIS_HASH, linkOf, type ChainLink } from './chain.ts';
import { chainEvents, unsealMetadata, type ChainedEvent } from './esdb-chain.ts';

/**
 * Streams the adapters write with the raw client, not through `append` (the lease registers,
 * `rrc-lease-…`, and the case keys, `rrc-key-…`): registers beside the record, unchained.
 */
const REGISTER_STREAM_PREFIX = 'rrc-';
/** Events per `readAll` page when `chainLinks` walks the log. */
const CHAIN_PAGE = 1000;
/**
 * How often an `'any'` append links onto a stream again after another writer got in between
 * its read of the stream's last event and its write.
 */
const ANY_APPEND_ATTEMPTS = 8;

/** Client v6 rejects every other scheme (`kurrentdb://` included), so say so up front. */
const CONNECTION_STRING = /^esdb(\+discover)?:\/\//;

export interface EventStoreDbStoreOptions {
  /** Events fetched per round trip when `readAll` and `headPosition` page through $all. */
  readBatchSize?: number;
  /** Tries of an append that failed in transit (leader change, node gone); 1 turns retrying off. */
  appendAttempts?: number;
  /** The first wait between those tries, doubled each time. */
  retryDelayMs?: number;
  /** How subscriptions ride over a dropped connection. */
  resubscribe?: ResubscribeOptions;
}

/**
 * EventStoreDB adapter. Positions are $all commit positions: since 20.x every event of an
 * ordinary append is its own self-committed record, so its commit position is unique, equals
 * its prepare position, and orders the log. Revisions are ESDB's own (already 0-based).
 */
export class EventStoreDbStore implements EventStore {
  readonly kind = 'eventstoredb' as const;
  readonly #client: EsdbClient;
  readonly #batch: number;
  readonly #attempts: number;
  readonly #retryDelayMs: number;
  readonly #resubscribe: ResubscribeOptions | undefined;
  readonly #subscriptions = new Set<EsdbSubscription>();
  #closed = false;
  /** Leases (the deadline service's leader election) in streams of their own: see esdb-lease.ts. */
  readonly leases: EsdbLeaseRegister;

  constructor(client: EsdbClient, options: EventStoreDbStoreOptions = {}) {
    this.#client = client;
    this.#batch = options.readBatchSize ?? 512;
    this.#attempts = Math.max(1, options.appendAttempts ?? 4);
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    this.#resubscribe = options.resubscribe;
    this.leases = new EsdbLeaseRegister(client);
  }

  /**
   * Each event carries its link in the hash chain (esdb-chain.ts). The predecessor's hash comes
   * from a read of the event the expectation names, and the write expects exactly that
   * revision: a writer that got in between makes ESDB refuse it (ConcurrencyError), so no two
   * events ever link onto the same predecessor. `'any'` reads the stream's last event and, on
   * such a conflict, links onto the new last event and tries again.
   */
  async append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.#assertOpen();
    validateAppend(streamId, events, expected);
    const last = events.at(-1);
    if (last === undefined) return this.#checkOnly(streamId, expected);

    for (let attempt = 1; ; attempt += 1) {
      const link = await this.#predecessor(streamId, expected, last.id);
      if ('retried' in link) return link.retried;
      const chained = chainEvents(streamId, link.revision + 1, link.hash, events, new Date().toISOString());
      let result: EsdbAppendResult;
      try {
        result = await this.#appendRetrying(streamId, chained, link.revision, expected);
      } catch (error) {
        if (expected === 'any' && error instanceof ConcurrencyError && attempt < ANY_APPEND_ATTEMPTS) {
          await relinkPause(attempt);
          continue;
        }
        throw error;
      }
      // With `throwOnAppendFailure=false` in the connection string the client resolves a
      // conflict instead of throwing it: that must not pass for a successful append.
      if (!result.success) {
        const actual = toSafeRevision(result.nextExpectedRevision);
        if (expected === 'any' && attempt < ANY_APPEND_ATTEMPTS) {
          await relinkPause(attempt);
          continue;
        }
        throw new ConcurrencyError(streamId, expected, actual);
      }
      // On a retry ESDB answers from the original write (its own id-based dedupe): the
      // revision is that write's last event, and the position is omitted when the server could
      // not look it up. Then we read it back, so a retry returns what the first call returned.
      const revision = toSafeNumber(result.nextExpectedRevision, 'revision');
      const commit = result.position?.commit;
      if (commit !== undefined && isSafePosition(commit)) return { revision, position: Number(commit) };
      return await this.#locate(streamId, last.id, revision);
    }
  }

  /**
   * The event the append links onto: its revision (-1: none) and hash. A numeric expectation
   * reads the event at that revision, not the stream's last, so that a retry of an acknowledged
   * append (the stream has moved on since) sends the same links and ESDB's id check answers it.
   */
  async #predecessor(
    streamId: string,
    expected: ExpectedRevision,
    lastId: string,
  ): Promise<{ revision: number; hash: string } | { retried: AppendResult }> {
    if (expected === 'no-stream' || expected === NO_STREAM_REVISION) return { revision: -1, hash: GENESIS_HASH };
    if (expected === 'any') {
      const tail = await this.#lastEvent(streamId);
      if (tail === undefined) return { revision: -1, hash: GENESIS_HASH };
      // A retry of an acknowledged 'any' append, found while its events are still the stream's
      // last (the write below expects a revision, so ESDB's id check would not catch it).
      if (tail.id === lastId) return { retried: await this.#locate(streamId, tail.id, tail.revision) };
      return { revision: tail.revision, hash: tail.chain?.hash ?? GENESIS_HASH };
    }
    const at = await this.#eventAt(streamId, expected);
    if (at === undefined) {
      throw new ConcurrencyError(streamId, expected, (await this.#lastEvent(streamId))?.revision ?? NO_STREAM_REVISION);
    }
    return { revision: expected, hash: at.chain?.hash ?? GENESIS_HASH };
  }

  /**
   * One append, tried again when it failed in transit: after a leader change the client answers
   * NotLeader (and reconnects to the new leader), a node going away answers Unavailable, and a
   * timeout leaves it unknown whether the write landed. The same event ids and the same exact
   * expected revision make the retry a no-op if it did, so retrying cannot write twice.
   */
  async #appendRetrying(
    streamId: string,
    chained: readonly ChainedEvent[],
    afterRevision: number,
    expected: ExpectedRevision,
  ): Promise<EsdbAppendResult> {
    // `data` is never undefined here (the client JSON-encodes it and cannot encode undefined);
    // the metadata goes as the exact bytes the hash was computed for.
    const payload = chained.map((e) =>
      jsonEvent({ id: e.id, type: e.type, data: e.data as JSONType, metadata: e.metadata }),
    );
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.#client.appendToStream(streamId, payload, {
          expectedRevision: toEsdbExpected(afterRevision),
        });
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          throw new ConcurrencyError(streamId, expected, fromCurrentRevision(error.actualVersion));
        }
        if (!isTransient(error) || attempt >= this.#attempts || this.#closed) throw error;
        await sleep(this.#retryDelayMs * 2 ** (attempt - 1));
      }
    }
  }

  async readStream(streamId: string, fromRevision = 0): Promise<StoredEvent[]> {
    this.#assertOpen();
    const events: StoredEvent[] = [];
    try {
      const read = this.#client.readStream(streamId, {
        fromRevision: BigInt(Math.max(0, fromRevision)),
        direction: FORWARDS,
      });
      for await (const resolved of read) {
        if (resolved.event !== undefined) events.push(toStoredEvent(resolved.event));
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /**
   * Pages $all forwards and filters on this side: client v6 has no server-side filter for
   * reads (subscriptions have one). Fine for pages; long catch-ups should subscribe instead.
   */
  async readAll(options: ReadAllOptions = {}): Promise<StoredEvent[]> {
    this.#assertOpen();
    let floor = normaliseAfter(options.after);
    const limit = normaliseLimit(options.limit, DEFAULT_READ_ALL_LIMIT);
    const out: StoredEvent[] = [];
    let from: ReadPosition = floor === 0 ? START : positionAt(floor);

    while (out.length < limit) {
      // Read whole batches (never `break` out of the stream: that leaves the gRPC call open).
      let seen = 0;
      let lastSeen: Position | undefined;
      for await (const resolved of this.#client.readAll({
        fromPosition: from,
        maxCount: this.#batch,
        direction: FORWARDS,
      })) {
        seen += 1;
        const record = resolved.event;
        if (record === undefined) continue;
        lastSeen = record.position;
        // `fromPosition` is inclusive in ESDB; ours is exclusive.
        if (floor > 0 && record.position.commit <= BigInt(floor)) continue;
        if (isSystemEvent(record) || !matchesPrefixes(record.streamId, options.streamPrefixes)) continue;
        if (out.length < limit) out.push(toLogEvent(record));
      }
      if (seen < this.#batch || lastSeen === undefined) break;
      floor = toSafeNumber(lastSeen.commit, 'position');
      from = lastSeen;
    }
    return out;
  }

  /** The newest non-system event's position: system events never reach subscribers either. */
  async headPosition(): Promise<number> {
    this.#assertOpen();
    let from: ReadPosition = END;
    for (;;) {
      let seen = 0;
      let found: number | undefined;
      let lastSeen: Position | undefined;
      for await (const resolved of this.#client.readAll({
        fromPosition: from,
        maxCount: this.#batch,
        direction: BACKWARDS,
      })) {
        seen += 1;
        const record = resolved.event;
        if (record === undefined) continue;
        lastSeen = record.position;
        if (found === undefined && !isSystemEvent(record)) found = toSafeNumber(record.position.commit, 'position');
      }
      if (found !== undefined) return found;
      if (seen < this.#batch || lastSeen === undefined) return 0;
      from = lastSeen;
    }
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    this.#assertOpen();
    const subscription = new EsdbSubscription(
      this.#client,
      normaliseAfter(options.after),
      options.streamPrefixes,
      RECORDS,
      (s) => this.#subscriptions.delete(s),
      this.#resubscribe,
    );
    this.#subscriptions.add(subscription);
    return subscription;
  }

  /** The log through the port's own reads: the client hands back parsed JSON, re-encoded by `linkOf`. */
  async *chainLinks(options: ChainLinkOptions = {}): AsyncGenerator<ChainLink> {
    let after = 0;
    for (;;) {
      const page = await this.readAll({ after, limit: CHAIN_PAGE, ...options });
      for (const event of page) if (!event.streamId.startsWith(REGISTER_STREAM_PREFIX)) yield linkOf(event);
      if (page.length < CHAIN_PAGE) return;
      after = page.at(-1)!.position;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
    await this.#client.dispose();
  }

  /** An append of no events only checks the expectation (not atomically: nothing is written). */
  async #checkOnly(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    const last = await this.#lastEvent(streamId);
    const current = last?.revision ?? NO_STREAM_REVISION;
    if (!satisfies(expected, current)) throw new ConcurrencyError(streamId, expected, current);
    return { revision: current, position: last?.position ?? 0 };
  }

  async #lastEvent(streamId: string): Promise<StoredEvent | undefined> {
    return this.#readOne(streamId, END, BACKWARDS);
  }

  async #eventAt(streamId: string, revision: number): Promise<StoredEvent | undefined> {
    return this.#readOne(streamId, BigInt(revision), FORWARDS);
  }

  async #readOne(
    streamId: string,
    fromRevision: bigint | typeof END,
    direction: typeof FORWARDS | typeof BACKWARDS,
  ): Promise<StoredEvent | undefined> {
    try {
      for await (const resolved of this.#client.readStream(streamId, { fromRevision, direction, maxCount: 1 })) {
        if (resolved.event !== undefined) return toStoredEvent(resolved.event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }

  /** Finds a stored event by id: first where the server said it is, else anywhere in the stream. */
  async #locate(streamId: string, eventId: string, revision: number): Promise<AppendResult> {
    const atRevision = await this.readStream(streamId, revision);
    const candidates = atRevision[0]?.id === eventId ? atRevision : await this.readStream(streamId);
    const found = candidates.find((e) => e.id === eventId);
    if (found === undefined || found.position < 0) {
      throw new Error(`append to ${streamId} was acknowledged but event ${eventId} cannot be found with its position`);
    }
    return { revision: found.revision, position: found.position };
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('event store is closed');
  }
}

export function connectEventStoreDb(
  connectionString: string,
  options: EventStoreDbStoreOptions = {},
): EventStoreDbStore {
  if (!CONNECTION_STRING.test(connectionString)) {
    throw new Error(
      `EventStoreDB connection strings start with esdb:// or esdb+discover:// (client v6), got ${redact(connectionString)}`,
    );
  }
  return new EventStoreDbStore(EventStoreDBClient.connectionString(connectionString), options);
}

/** A short random pause before linking again, so writers racing on one stream spread out. */
function relinkPause(attempt: number): Promise<void> {
  return sleep(Math.random() * 5 * attempt);
}

/** Appends always expect the exact revision they link onto (-1: the stream must not exist). */
function toEsdbExpected(afterRevision: number): AppendExpectedRevision {
  return afterRevision === NO_STREAM_REVISION ? NO_STREAM : BigInt(afterRevision);
}

function fromCurrentRevision(current: CurrentRevision): number {
  return current === NO_STREAM ? NO_STREAM_REVISION : toSafeRevision(current);
}

/** A stream revision from the wire; `-1n` (the client's "no stream" when it resolves a failure) stays -1. */
function toSafeRevision(value: bigint): number {
  return value === -1n ? NO_STREAM_REVISION : toSafeNumber(value, 'revision');
}

/** A Number position back into ESDB's pair; ours are always self-committed records (commit = prepare). */
function positionAt(position: number): Position {
  return { commit: BigInt(position), prepare: BigInt(position) };
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Servers send 2^64-1 (or nothing) where they have no position; real ones fit 2^53 (8 PiB of log). */
function isSafePosition(value: bigint): boolean {
  return value >= 0n && value <= MAX_SAFE;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > MAX_SAFE) throw new RangeError(`${what} ${value} does not fit a JS number`);
  return Number(value);
}

/** System streams and events start with `$` (stats, settings, stream metadata, projections). */
function isSystemEvent(record: { streamId: string; type: string }): boolean {
  return record.streamId.startsWith('$') || record.type.startsWith('$');
}

function toStoredEvent(record: RecordedEvent | AllStreamRecordedEvent): StoredEvent {
  // Stream reads carry the $all position on servers >= 22.6; older ones send none (or 2^64-1).
  const commit = record.position?.commit;
  const position = commit !== undefined && isSafePosition(commit) ? Number(commit) : -1;
  // An event without a link (written before chains) has the caller's metadata as its own,
  // and none at all ("none" reads back as undefined) when that was null.
  const { metadata, createdAt, chain } = unsealMetadata(record.metadata);
  return {
    id: record.id,
    streamId: record.streamId,
    type: record.type,
    revision: toSafeNumber(record.revision, 'revision'),
    position,
    data: record.data,
    metadata,
    createdAt: createdAt ?? record.created.toISOString(),
    ...(chain === undefined ? {} : { chain }),
  };
}

/**
 * An event read from $all: its position is what readers checkpoint and compare, so one that a
 * JS number cannot hold exactly is an error, never a rounded or missing (-1) position.
 */
function toLogEvent(record: AllStreamRecordedEvent): StoredEvent {
  const event = toStoredEvent(record);
  if (event.position < 0) throw new RangeError(`position ${record.position.commit} does not fit a JS number`);
  return event;
}

const RECORDS: RecordMapping = { isSystem: isSystemEvent, toStored: toLogEvent, positionAt };

function redact(connectionString: string): string {
  return connectionString.replace(/\/\/[^@/]*@/, '//***@');
}
