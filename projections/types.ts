import type Database from 'better-sqlite3';
import type { EventMetadata } from '../contracts/index.ts';

/**
 * What a read model sees of one event: the decoded (upcast, decrypted) payload with where it
 * sits in the log. Personal fields may be absent after crypto-shredding: models store none.
 */
export interface ProjectionEvent {
  type: string;
  data: unknown;
  metadata: EventMetadata;
  streamId: string;
  revision: number;
  position: number;
}

export type Db = Database.Database;

/**
 * One read model: the tables it owns and the fold that keeps them. `apply` runs inside the
 * runner's transaction, with the checkpoint written in the same transaction, so it must not
 * start transactions of its own. Bump `version` when the tables or the fold change: the
 * runner then drops `tables` and replays the log from the start.
 */
export interface ReadModel {
  readonly name: string;
  readonly version: number;
  /** Every table (and view) the model owns, dropped on a rebuild. */
  readonly tables: readonly string[];
  /**
   * The event types whose personal fields this model reads (it stores none, but may derive a
   * figure from one, e.g. ages from dates of birth). Only these events are decrypted for the
   * read models; every other event reaches them without its personal fields.
   */
  readonly personalDataOf?: ReadonlySet<string>;
  setup(db: Db): void;
  apply(db: Db, event: ProjectionEvent): void;
}

/** The part of a stored event the runner needs; the store's `StoredEvent` fits. */
export interface LogEvent {
  streamId: string;
  type: string;
  revision: number;
  position: number;
}

export interface LogSubscription<E extends LogEvent> extends AsyncIterable<E> {
  close(): Promise<void>;
}

/**
 * The event-store port as the runner uses it, typed here because projections/ may not import
 * services/: the store's adapters satisfy it structurally.
 */
export interface EventLog<E extends LogEvent> {
  readAll(options?: { after?: number; streamPrefixes?: readonly string[]; limit?: number }): Promise<E[]>;
  subscribe(options?: { after?: number; streamPrefixes?: readonly string[] }): LogSubscription<E>;
  headPosition(): Promise<number>;
}

/** The codec's decode: upcasts and decrypts (or, without personal data, only upcasts); may be asynchronous (a key store). */
export type Decode<E> = (
  stored: E,
) =>
  | { event: { type: string; data: unknown }; metadata: EventMetadata }
  | Promise<{ event: { type: string; data: unknown }; metadata: EventMetadata }>;
