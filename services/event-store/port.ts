import type { ChainLink } from './chain.ts';

/**
 * The event-store port: the only way rrc reads and writes its record. Two adapters
 * implement it (embedded SQLite, EventStoreDB) and pass one contract suite.
 *
 * Revisions and positions mean the same on both stores:
 * - a stream's revision is the 0-based index of its last event (`-1`: no stream yet);
 * - a position is a global, strictly increasing number; reading "from" a position returns
 *   events with a greater position, so a subscriber's checkpoint is the last position it handled.
 */
export type ExpectedRevision = 'no-stream' | 'any' | number;

export interface NewEvent {
  /** Unique id (a UUID). Appending an event whose id is already stored is a no-op. */
  id: string;
  type: string;
  data: unknown;
  metadata: unknown;
}

export interface StoredEvent {
  id: string;
  streamId: string;
  type: string;
  /** 0-based index within the stream. */
  revision: number;
  /** Global position in the log. */
  position: number;
  data: unknown;
  metadata: unknown;
  /** When the store committed it (ISO 8601). */
  createdAt: string;
  /** Its link in the stream's hash chain (see chain.ts), where the store keeps one. */
  chain?: { prevHash: string; hash: string };
}

export interface AppendResult {
  /** The stream's revision after the append. */
  revision: number;
  /** The global position of the last event appended. */
  position: number;
}

export interface ReadAllOptions {
  /** Exclusive: only events with a greater position. Default: from the start. */
  after?: number;
  /** Only streams whose id starts with one of these prefixes (absent or empty: every stream). */
  streamPrefixes?: readonly string[];
  /** Page size; default `DEFAULT_READ_ALL_LIMIT`. Loop until a short page to read everything. */
  limit?: number;
}

export const DEFAULT_READ_ALL_LIMIT = 1000;

export interface ChainLinkOptions {
  /** Only streams whose id starts with one of these prefixes (absent or empty: every stream). */
  streamPrefixes?: readonly string[];
}

export interface SubscribeOptions {
  after?: number;
  streamPrefixes?: readonly string[];
}

/** Catch-up then live: iterate with `for await`; `close()` ends the iteration. */
export interface Subscription extends AsyncIterable<StoredEvent> {
  close(): Promise<void>;
}

export interface EventStore {
  readonly kind: 'sqlite' | 'eventstoredb';
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** All events of a stream from `fromRevision` (inclusive, default 0); `[]` when there is none. */
  readStream(streamId: string, fromRevision?: number): Promise<StoredEvent[]>;
  /** One page of the global log. */
  readAll(options?: ReadAllOptions): Promise<StoredEvent[]>;
  /** The position of the newest event in the log (0 when empty). */
  headPosition(): Promise<number>;
  subscribe(options?: SubscribeOptions): Subscription;
  /**
   * Every event appended through this port, in log order, as its hash-chain link over the
   * bytes as stored (chain.ts `verifyChains` checks them: `rrc verify`). The store's own
   * registers (EventStoreDB's lease and key streams) are not part of the record and are left out.
   */
  chainLinks(options?: ChainLinkOptions): AsyncIterable<ChainLink>;
  close(): Promise<void>;
  /**
   * A number that changes whenever anyone else (another connection, process or replica) may
   * have written since it was last read; this store's own appends leave it alone. Lets a cache
   * of what this process wrote skip re-reading while no one else wrote. Optional: a store that
   * cannot tell leaves it out, and its callers always read.
   */
  othersWrites?(): number;
  /**
   * Compare-and-set registers shared by every process using this store (a row in the SQLite
   * file, a stream on EventStoreDB), for leader election (services/deadlines/lease.ts).
   * Optional: a store without them runs the deadline service on every replica that turns it on.
   */
  readonly leases?: LeaseRegister;
}

/** What a lease register holds: who wrote it last, and how many writes it has seen (from 0). */
export interface LeaseRecord {
  holder: string;
  version: number;
}

export interface LeaseRegister {
  /** The register's current value; `undefined` when it was never written. */
  read(name: string): Promise<LeaseRecord | undefined>;
  /**
   * Writes `holder` if the register is still at `expectedVersion` (-1: never written) and
   * answers the new record; `undefined` when another writer got there first (nothing written).
   */
  write(name: string, holder: string, expectedVersion: number): Promise<LeaseRecord | undefined>;
}

/** Thrown when the stream's revision is not the expected one. */
export class ConcurrencyError extends Error {
  readonly code = 'concurrency';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number,
  ) {
    super(`stream ${streamId} is at revision ${actual}, expected ${String(expected)}`);
    this.name = 'ConcurrencyError';
  }
}

/**
 * Thrown when some, but not all, of an append's event ids are already stored (or stored in
 * another stream): it is neither a fresh append nor a retry of an acknowledged one.
 */
export class IdempotencyConflictError extends Error {
  readonly code = 'idempotency-conflict';
  constructor(
    readonly streamId: string,
    readonly existingIds: readonly string[],
  ) {
    super(`append to ${streamId} repeats only some stored event ids (${existingIds.join(', ')})`);
    this.name = 'IdempotencyConflictError';
  }
}

/** Stream ids come from these functions only. */
export const returnCaseStream = (caseId: string): string => `case-${caseId}`;
export const agreementStream = (agreementId: string): string => `agreement-${agreementId}`;
/** The counter of case references of one destination State and year (one event per reference given). */
export const caseReferenceStream = (state: string, year: number): string => `reference-${state}-${year}`;
export const CASE_STREAM_PREFIX = 'case-';
export const AGREEMENT_STREAM_PREFIX = 'agreement-';
/** Who read which case when (liaisons and monitors): kept apart so reads never move a case's revision. */
export const readAuditStream = (caseId: string): string => `read-audit-${caseId}`;
export const READ_AUDIT_STREAM_PREFIX = 'read-audit-';
/**
 * The messages about a case's readmission requests (contracts/messages.ts): a stream of its own
 * so that a message never moves the case's revision; sealed with the case's data key.
 */
export const messageThreadStream = (caseId: string): string => `thread-${caseId}`;
export const THREAD_STREAM_PREFIX = 'thread-';
/** The case whose data key seals a stream's personal fields (its own stream, or its thread). */
export function caseIdOfSealedStream(streamId: string): string | undefined {
  for (const prefix of [CASE_STREAM_PREFIX, THREAD_STREAM_PREFIX])
    if (streamId.startsWith(prefix)) return streamId.slice(prefix.length);
  return undefined;
}
