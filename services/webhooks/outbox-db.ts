import Database from 'better-sqlite3';
import type { WebhookKind } from '../../contracts/index.ts';

/**
 * `<dataDir>/webhooks.sqlite`: the dispatcher's own file (one per replica that delivers).
 * - `wh_checkpoint`: the last log position turned into deliveries;
 * - `wh_endpoints`: the registrations folded from their streams (`webhook-<id>`), with the
 *   log positions between which each one hears of events;
 * - `wh_deliveries`: the outbox. A delivery is made in the same transaction as the checkpoint
 *   that passes its event, so none is lost in a crash, and its id is derived from the event and
 *   the endpoint, so replaying the log after a crash makes no second one (at least once).
 *
 * The registrations themselves live in the event log: this file is a cache of them plus the
 * state of the deliveries, and may be deleted (it starts again at the head of the log).
 */
export const WEBHOOKS_FILE = 'webhooks.sqlite';

export interface EndpointRow {
  webhook_id: string;
  url: string;
  state: string;
  /** JSON array of WebhookKind. */
  kinds: string;
  sealed_secret: string;
  registered_at: string;
  /** Hears of events after this position (its registration's). */
  since_position: number;
  /** Hears of events up to this position (its deletion's); null while registered. */
  deleted_position: number | null;
}

/** `cancelled`: its endpoint was deleted (and its secret destroyed) before it went out. */
export type DeliveryStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

export interface DeliveryRow {
  delivery_id: string;
  webhook_id: string;
  kind: WebhookKind;
  case_id: string;
  /** The JSON body, made once: a retry sends the same bytes under the same id. */
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  /** Epoch ms of the next attempt (pending only). */
  next_attempt_at: number;
  last_status: number | null;
  last_error: string | null;
  updated_at: string;
}

export type Db = Database.Database;

export function openOutbox(file: string): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`
      CREATE TABLE IF NOT EXISTS wh_checkpoint (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        position INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS wh_endpoints (
        webhook_id TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        state TEXT NOT NULL,
        kinds TEXT NOT NULL,
        sealed_secret TEXT NOT NULL,
        registered_at TEXT NOT NULL,
        since_position INTEGER NOT NULL,
        deleted_position INTEGER
      );
      CREATE TABLE IF NOT EXISTS wh_deliveries (
        delivery_id TEXT PRIMARY KEY,
        webhook_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        case_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_status INTEGER,
        last_error TEXT,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS wh_deliveries_due ON wh_deliveries (status, next_attempt_at);
    `);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The statements the dispatcher and the registry use, prepared once. */
export class Outbox {
  readonly #checkpoint;
  readonly #setCheckpoint;
  readonly #endpoints;
  readonly #upsertEndpoint;
  readonly #markDeleted;
  readonly #insertDelivery;
  readonly #due;
  readonly #dead;
  readonly #update;
  readonly #revive;
  readonly #reviveAll;
  readonly #byId;
  readonly #nextDue;
  readonly #pendingNow;
  readonly #prune;

  constructor(readonly db: Db) {
    this.#checkpoint = db.prepare<[], { position: number }>('SELECT position FROM wh_checkpoint WHERE id = 1');
    this.#setCheckpoint = db.prepare<[number]>(
      `INSERT INTO wh_checkpoint (id, position) VALUES (1, ?)
       ON CONFLICT (id) DO UPDATE SET position = MAX(position, excluded.position)`,
    );
    this.#endpoints = db.prepare<[], EndpointRow>('SELECT * FROM wh_endpoints ORDER BY registered_at, webhook_id');
    // A registration applied twice (by the route for read-your-writes, then by the follower) is one row.
    this.#upsertEndpoint = db.prepare<[EndpointRow]>(
      `INSERT INTO wh_endpoints (webhook_id, url, state, kinds, sealed_secret, registered_at, since_position, deleted_position)
       VALUES (@webhook_id, @url, @state, @kinds, @sealed_secret, @registered_at, @since_position, @deleted_position)
       ON CONFLICT (webhook_id) DO NOTHING`,
    );
    this.#markDeleted = db.prepare<[number, string]>(
      'UPDATE wh_endpoints SET deleted_position = ? WHERE webhook_id = ? AND deleted_position IS NULL',
    );
    this.#insertDelivery = db.prepare<[Omit<DeliveryRow, 'last_status' | 'last_error' | 'attempts' | 'status'>]>(
      `INSERT INTO wh_deliveries (delivery_id, webhook_id, kind, case_id, payload, status, attempts, next_attempt_at, updated_at)
       VALUES (@delivery_id, @webhook_id, @kind, @case_id, @payload, 'pending', 0, @next_attempt_at, @updated_at)
       ON CONFLICT (delivery_id) DO NOTHING`,
    );
    this.#due = db.prepare<[number, number], DeliveryRow>(
      `SELECT * FROM wh_deliveries WHERE status = 'pending' AND next_attempt_at <= ?
       ORDER BY next_attempt_at, delivery_id LIMIT ?`,
    );
    this.#dead = db.prepare<[number], DeliveryRow>(
      `SELECT * FROM wh_deliveries WHERE status = 'dead' ORDER BY updated_at, delivery_id LIMIT ?`,
    );
    this.#update = db.prepare<
      [
        Pick<
          DeliveryRow,
          'delivery_id' | 'status' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'updated_at'
        >,
      ]
    >(
      `UPDATE wh_deliveries SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at,
         last_status = @last_status, last_error = @last_error, updated_at = @updated_at
       WHERE delivery_id = @delivery_id`,
    );
    this.#revive = db.prepare<[number, string, string]>(
      `UPDATE wh_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ?
       WHERE delivery_id = ? AND status = 'dead'`,
    );
    this.#reviveAll = db.prepare<[number, string]>(
      `UPDATE wh_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?, updated_at = ? WHERE status = 'dead'`,
    );
    this.#byId = db.prepare<[string], DeliveryRow>('SELECT * FROM wh_deliveries WHERE delivery_id = ?');
    this.#pendingNow = db.prepare<[number, number]>(
      `UPDATE wh_deliveries SET next_attempt_at = ? WHERE status = 'pending' AND next_attempt_at > ?`,
    );
    this.#prune = db.prepare<[string]>(
      `DELETE FROM wh_deliveries WHERE status IN ('delivered', 'cancelled') AND updated_at < ?`,
    );
    this.#nextDue = db.prepare<[], { at: number | null }>(
      `SELECT MIN(next_attempt_at) AS at FROM wh_deliveries WHERE status = 'pending'`,
    );
  }

  checkpoint(): number | undefined {
    return this.#checkpoint.get()?.position;
  }

  setCheckpoint(position: number): void {
    this.#setCheckpoint.run(position);
  }

  endpoints(): EndpointRow[] {
    return this.#endpoints.all();
  }

  addEndpoint(row: EndpointRow): void {
    this.#upsertEndpoint.run(row);
  }

  deleteEndpoint(webhookId: string, position: number): void {
    this.#markDeleted.run(position, webhookId);
  }

  enqueue(row: Omit<DeliveryRow, 'last_status' | 'last_error' | 'attempts' | 'status'>): void {
    this.#insertDelivery.run(row);
  }

  due(nowMs: number, limit: number): DeliveryRow[] {
    return this.#due.all(nowMs, limit);
  }

  /** Makes every pending delivery due now (after a restart: the outage may have been ours). */
  pendingDueNow(nowMs: number): void {
    this.#pendingNow.run(nowMs, nowMs);
  }

  /**
   * Forgets deliveries done before `before` (ISO). Safe: the checkpoint passed their events in the
   * transaction that made them, so the log is never replayed from before them.
   */
  prune(before: string): number {
    return this.#prune.run(before).changes;
  }

  /** Epoch ms of the earliest pending attempt, if any. */
  nextDueAt(): number | undefined {
    return this.#nextDue.get()?.at ?? undefined;
  }

  dead(limit: number): DeliveryRow[] {
    return this.#dead.all(limit);
  }

  delivery(deliveryId: string): DeliveryRow | undefined {
    return this.#byId.get(deliveryId);
  }

  record(
    row: Pick<
      DeliveryRow,
      'delivery_id' | 'status' | 'attempts' | 'next_attempt_at' | 'last_status' | 'last_error' | 'updated_at'
    >,
  ): void {
    this.#update.run(row);
  }

  /** Dead letters back to pending with a fresh allowance of attempts; answers how many. */
  revive(deliveryId: string | undefined, nowMs: number, at: string): number {
    return deliveryId === undefined
      ? this.#reviveAll.run(nowMs, at).changes
      : this.#revive.run(nowMs, at, deliveryId).changes;
  }

  close(): void {
    this.db.close();
  }
}
