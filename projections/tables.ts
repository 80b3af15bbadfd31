import type { Statement } from 'better-sqlite3';
import type { Db } from './types.ts';
import { latestBirthDate } from '../domain/dates.ts';

/**
 * A read model's table: its DDL, and a row read and upsert by primary key so that each model
 * can write its fold as `evolve(row, event)`: read the row, compute the next one, upsert it.
 * Statements are prepared on first use per database (after `setup` created the table) and
 * survive a drop and re-create (SQLite re-prepares them on a schema change).
 *
 * Inside a batch (`beginBatch` … `flushBatch`, the runner's transaction) rows are read once and
 * written once: `get` keeps what it read, `put` and `delete` only change that copy, and
 * `flushBatch` writes the changed rows. A case's events mostly sit close together in the log,
 * so this turns a read and an upsert per event into one of each per case and batch. During a
 * batch a model must therefore read and change its rows through its `Table`s only (plain SQL
 * would not see the rows not yet written).
 */
export type Value = string | number | null;
export type Row = Record<string, Value>;

export interface TableSpec {
  name: string;
  /** Column name → SQL type (and constraints), in order. */
  columns: Record<string, string>;
  primaryKey: readonly string[];
  /** Extra index definitions: name → column list. */
  indexes?: Record<string, string>;
}

/** Something holding a batch's changes in memory until the batch ends. */
export interface BatchPart {
  /** Parts flush in stage order: rows first (0), then what is derived from their changes (1). */
  readonly stage: number;
  /** Writes the changes (inside the batch's transaction). */
  flush(db: Db): void;
  /** Forgets what was kept for the batch (after the flush, or after a rollback). */
  discard(db: Db): void;
}

const openBatches = new WeakMap<Db, Set<BatchPart>>();

/** Starts keeping rows in memory for `db` (the runner, before applying a batch in its transaction). */
export function beginBatch(db: Db): void {
  if (openBatches.has(db)) throw new Error('a batch is already open on this database');
  openBatches.set(db, new Set());
}

/** Writes every change of the open batch; call inside the transaction, before its commit. */
export function flushBatch(db: Db): void {
  const parts = [...(openBatches.get(db) ?? [])];
  for (const stage of [0, 1]) for (const part of parts) if (part.stage === stage) part.flush(db);
  // Parts that joined while the rows flushed (counters a row change touched first).
  for (const part of openBatches.get(db) ?? []) if (!parts.includes(part)) part.flush(db);
}

/** Closes the batch and forgets its rows, whether it was flushed (committed) or rolled back. */
export function endBatch(db: Db): void {
  const parts = openBatches.get(db);
  openBatches.delete(db);
  for (const part of parts ?? []) part.discard(db);
}

/** Registers `part` with the batch open on `db`; false when there is none (write through). */
export function joinBatch(db: Db, part: BatchPart): boolean {
  const parts = openBatches.get(db);
  if (parts === undefined) return false;
  parts.add(part);
  return true;
}

interface Statements {
  get: Statement;
  put: Statement;
  del: Statement;
  /** Multi-row upserts by their number of rows. */
  putMany: Map<number, Statement>;
}

/** Rows per multi-row upsert, largest first (64 rows of the widest table, ~30 columns, stay far below SQLite's 32,766 variables). */
export const CHUNK_SIZES = [64, 16, 4, 1] as const;

/** `rows` tuples of `columns` `?` parameters: "(?, ?), (?, ?)". Placeholders only, never a value. */
export const placeholderRows = (rows: number, columns: number): string =>
  Array.from({ length: rows }, () => `(${Array.from({ length: columns }, () => '?').join(', ')})`).join(', ');

function upsertClause(primaryKey: readonly string[], names: readonly string[]): string {
  const updates = names.filter((c) => !primaryKey.includes(c)).map((c) => `${c} = excluded.${c}`);
  return updates.length > 0
    ? ` ON CONFLICT (${primaryKey.join(', ')}) DO UPDATE SET ${updates.join(', ')}`
    : ' ON CONFLICT DO NOTHING';
}

/** A batch's copy of the rows it touched: `null` for "no row" (absent or deleted). */
interface RowCache<R> {
  rows: Map<string, R | null>;
  /** Changed rows: their primary key, and the row as it was before the batch (`null`: none). */
  dirty: Map<string, { key: Value[]; before: R | null }>;
}

/**
 * Keeps a derived aggregate in step with a table's rows (see facts.ts). Inside a batch it hears
 * of each changed row once, when the batch flushes: the row before the batch, the row after it.
 */
export interface RowObserver<R> {
  changed(db: Db, before: R | undefined, after: R | undefined): void;
}

export class Table<R extends Row> implements BatchPart {
  readonly stage = 0;
  readonly #statements = new WeakMap<Db, Statements>();
  readonly #caches = new WeakMap<Db, RowCache<R>>();
  readonly #observer: RowObserver<R> | undefined;
  readonly #columns: readonly string[];

  constructor(
    readonly spec: TableSpec,
    observer?: RowObserver<R>,
  ) {
    this.#observer = observer;
    this.#columns = Object.keys(spec.columns);
  }

  get name(): string {
    return this.spec.name;
  }

  ddl(): string {
    const { name, columns, primaryKey, indexes = {} } = this.spec;
    const cols = Object.entries(columns).map(([c, type]) => `  ${c} ${type}`);
    return [
      `CREATE TABLE IF NOT EXISTS ${name} (\n${cols.join(',\n')},\n  PRIMARY KEY (${primaryKey.join(', ')})\n) WITHOUT ROWID;`,
      ...Object.entries(indexes).map(([index, on]) => `CREATE INDEX IF NOT EXISTS ${index} ON ${name} (${on});`),
    ].join('\n');
  }

  setup(db: Db): void {
    db.exec(this.ddl());
  }

  get(db: Db, ...key: Value[]): R | undefined {
    const cache = this.#cache(db);
    if (cache === undefined) return this.#prepared(db).get.get(...key) as R | undefined;
    const k = keyOf(key);
    const kept = cache.rows.get(k);
    if (kept !== undefined) return kept ?? undefined;
    const row = this.#prepared(db).get.get(...key) as R | undefined;
    cache.rows.set(k, row ?? null);
    return row;
  }

  /** Insert or replace the whole row (every column must be present). */
  put(db: Db, row: R): void {
    const key = this.spec.primaryKey.map((c) => row[c] ?? null);
    const cache = this.#cache(db);
    if (cache === undefined) {
      this.#observer?.changed(db, this.get(db, ...key), row);
      this.#put(db, row);
      return;
    }
    this.#change(db, cache, key, row);
  }

  delete(db: Db, ...key: Value[]): void {
    const cache = this.#cache(db);
    if (cache === undefined) {
      this.#observer?.changed(db, this.get(db, ...key), undefined);
      this.#prepared(db).del.run(...key);
      return;
    }
    this.#change(db, cache, key, null);
  }

  #change(db: Db, cache: RowCache<R>, key: Value[], row: R | null): void {
    const k = keyOf(key);
    if (!cache.dirty.has(k)) {
      // The row as the batch found it: only an observer needs it (a table read it anyway).
      const before = this.#observer === undefined ? null : (this.get(db, ...key) ?? null);
      cache.dirty.set(k, { key, before });
    }
    cache.rows.set(k, row);
  }

  flush(db: Db): void {
    const cache = this.#caches.get(db);
    if (cache === undefined) return;
    const { del } = this.#prepared(db);
    const puts: R[] = [];
    // In key order: neighbouring rows land on the same pages (the keys are random UUIDs). The
    // default sort compares strings by UTF-16 code units, as `<` does, without a comparator call.
    for (const k of [...cache.dirty.keys()].sort()) {
      const { key, before } = cache.dirty.get(k)!;
      const row = cache.rows.get(k) ?? null;
      if (this.#observer !== undefined) {
        if (row === before) continue; // changed and changed back
        this.#observer.changed(db, before ?? undefined, row ?? undefined);
      }
      if (row) puts.push(row);
      else del.run(...key);
    }
    this.#putMany(db, puts);
    cache.dirty.clear();
  }

  discard(db: Db): void {
    this.#caches.delete(db);
  }

  /** Binds by position (binding by name costs a lookup per column). */
  #put(db: Db, row: R): void {
    const values = this.#columns.map((c) => row[c] ?? null);
    this.#prepared(db).put.run(...values);
  }

  /**
   * Upserts `rows` (distinct keys) many to a statement: one statement of many rows costs one
   * call into SQLite instead of one per row (a rebuild writes about a row per event). Chunks of
   * 64, 16, 4 and 1 rows: four statements per table at most, not one per size.
   */
  #putMany(db: Db, rows: readonly R[]): void {
    const columns = this.#columns;
    let i = 0;
    for (const size of CHUNK_SIZES) {
      for (; rows.length - i >= size; i += size) {
        if (size === 1) {
          this.#put(db, rows[i]!);
          continue;
        }
        const values: Value[] = [];
        for (let j = i; j < i + size; j++) for (const c of columns) values.push(rows[j]![c] ?? null);
        this.#putStatement(db, size).run(...values);
      }
    }
  }

  #putStatement(db: Db, rows: number): Statement {
    const prepared = this.#prepared(db);
    let statement = prepared.putMany.get(rows);
    if (statement === undefined) {
      const { name, columns, primaryKey } = this.spec;
      const names = Object.keys(columns);
      statement = db.prepare(
        `INSERT INTO ${name} (${names.join(', ')}) VALUES ${placeholderRows(rows, names.length)}` +
          upsertClause(primaryKey, names),
      );
      prepared.putMany.set(rows, statement);
    }
    return statement;
  }

  #cache(db: Db): RowCache<R> | undefined {
    let cache = this.#caches.get(db);
    if (cache === undefined && joinBatch(db, this)) {
      cache = { rows: new Map(), dirty: new Map() };
      this.#caches.set(db, cache);
    }
    return cache;
  }

  #prepared(db: Db): Statements {
    let s = this.#statements.get(db);
    if (s === undefined) {
      const { name, columns, primaryKey } = this.spec;
      const names = Object.keys(columns);
      const where = primaryKey.map((k) => `${k} = ?`).join(' AND ');
      s = {
        get: db.prepare(`SELECT * FROM ${name} WHERE ${where}`),
        put: db.prepare(
          `INSERT INTO ${name} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})` +
            upsertClause(primaryKey, names),
        ),
        del: db.prepare(`DELETE FROM ${name} WHERE ${where}`),
        putMany: new Map(),
      };
      this.#statements.set(db, s);
    }
    return s;
  }
}

/** A primary key as a map key: a lone text key as it is, others as JSON (keeps "1" and 1 apart). */
const keyOf = (key: readonly Value[]): string =>
  key.length === 1 && typeof key[0] === 'string' ? key[0] : JSON.stringify(key);

/** Statements a query module prepares once per database. */
export function cached<T>(factory: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let value = cache.get(db);
    if (value === undefined) {
      value = factory(db);
      cache.set(db, value);
    }
    return value;
  };
}

/** `case-<id>` → `<id>`. */
export const caseIdOf = (streamId: string): string => streamId.slice('case-'.length);
export const isCaseStream = (streamId: string): boolean => streamId.startsWith('case-');

export const flag = (b: boolean): number => (b ? 1 : 0);

/**
 * The date a person born on `dateOfBirth` turns 18 (`YYYY-MM-DD`; 29 Feb stays 29 Feb, which compares right).
 * A partly known date (`YYYY`, `YYYY-MM`) is read at its latest possible day, as the domain reads it.
 */
export function majorityOn(dateOfBirth: unknown): string | null {
  if (typeof dateOfBirth !== 'string' || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(dateOfBirth)) return null;
  const born = latestBirthDate(dateOfBirth);
  return `${String(Number(born.slice(0, 4)) + 18).padStart(4, '0')}${born.slice(4)}`;
}

/** An instant as UTC ISO, so that instants written with different offsets sort in time order. */
export const utcOf = (instant: string): string => new Date(instant).toISOString();

export const parseJson = <T>(text: Value, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
