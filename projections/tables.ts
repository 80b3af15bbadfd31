import type { Statement } from 'better-sqlite3';
import type { Db } from './types.ts';

/**
 * A read model's table: its DDL, and a row read and upsert by primary key so that each model
 * can write its fold as `evolve(row, event)`: read the row, compute the next one, upsert it.
 * Statements are prepared on first use per database (after `setup` created the table) and
 * survive a drop and re-create (SQLite re-prepares them on a schema change).
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

export class Table<R extends Row> {
  readonly #statements = new WeakMap<Db, { get: Statement; put: Statement; del: Statement }>();

  constructor(readonly spec: TableSpec) {}

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
    return this.#prepared(db).get.get(...key) as R | undefined;
  }

  /** Insert or replace the whole row (every column must be present). */
  put(db: Db, row: R): void {
    this.#prepared(db).put.run(row);
  }

  delete(db: Db, ...key: Value[]): void {
    this.#prepared(db).del.run(...key);
  }

  #prepared(db: Db) {
    let s = this.#statements.get(db);
    if (s === undefined) {
      const { name, columns, primaryKey } = this.spec;
      const names = Object.keys(columns);
      const where = primaryKey.map((k) => `${k} = ?`).join(' AND ');
      const updates = names.filter((c) => !primaryKey.includes(c)).map((c) => `${c} = excluded.${c}`);
      s = {
        get: db.prepare(`SELECT * FROM ${name} WHERE ${where}`),
        put: db.prepare(
          `INSERT INTO ${name} (${names.join(', ')}) VALUES (${names.map((c) => `@${c}`).join(', ')})` +
            (updates.length > 0
              ? ` ON CONFLICT (${primaryKey.join(', ')}) DO UPDATE SET ${updates.join(', ')}`
              : ' ON CONFLICT DO NOTHING'),
        ),
        del: db.prepare(`DELETE FROM ${name} WHERE ${where}`),
      };
      this.#statements.set(db, s);
    }
    return s;
  }
}

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

/** The date a person born on `dateOfBirth` turns 18 (`YYYY-MM-DD`; 29 Feb stays 29 Feb, which compares right). */
export function majorityOn(dateOfBirth: unknown): string | null {
  if (typeof dateOfBirth !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth)) return null;
  return `${String(Number(dateOfBirth.slice(0, 4)) + 18).padStart(4, '0')}${dateOfBirth.slice(4)}`;
}

/** An instant as UTC ISO, so that instants written with different offsets sort in time order. */
export const utcOf = (instant: string): string => new Date(instant).toISOString();

export const parseJson = <T>(text: Value, fallback: T): T =>
  typeof text === 'string' ? (JSON.parse(text) as T) : fallback;
