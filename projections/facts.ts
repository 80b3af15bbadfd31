import type { Statement } from 'better-sqlite3';
import { CHUNK_SIZES, joinBatch, placeholderRows, type BatchPart, type RowObserver, type Row } from './tables.ts';
import type { Db } from './types.ts';

/**
 * Running counts for reports, kept by the projections so that a report reads a few thousand
 * counters instead of every row.
 *
 * A model says which facts each of its rows stands for (`factsOf(row)`: "a request submitted on
 * 2026-03-02", "an answer after 12 days", "a pending request due on 2026-04-01"); whenever a
 * row changes, the facts of the row before are counted down and those of the row after counted
 * up. A counter is therefore always the number of rows showing that fact, whatever order the
 * events came in, and a rebuild gives the same counters as the incremental build.
 *
 * Each fact is counted three times, by the day it happened, by its month and once for all time,
 * so that a report over a period sums whole months and the odd days at either end, and one over
 * all time reads only the all-time counters. `value` keeps what exact medians or "as of today"
 * figures need: a number of whole days (a histogram), or a due date that the report compares
 * with the day of the query.
 */
export interface Fact {
  metric: string;
  originState: string;
  /** '' when there is no agreement (facts of cases before any readmission request). */
  agreementId: string;
  /** The day the fact counts on in a period (`YYYY-MM-DD`). */
  day: string;
  value: string;
}

export type Grain = 'all' | 'month' | 'day';

/** A range of counters of one grain: `period` from `from` to `to` (inclusive). */
export interface PeriodRange {
  grain: Grain;
  from: string;
  to: string;
}

export interface FactCount {
  metric: string;
  originState: string;
  agreementId: string;
  value: string;
  n: number;
}

/** A change to one counter: its primary key, and by how much. */
interface CounterChange {
  key: [Grain, string, string, string, string, string];
  n: number;
}

/** Changes to facts, summed per counter: each fact counts by day, by month and for all time. */
function countersOf(changes: Iterable<{ fact: Fact; n: number }>): Iterable<CounterChange> {
  const counters = new Map<string, CounterChange>();
  const count = (grain: Grain, period: string, f: Fact, n: number) => {
    const k = `${grain}\u0000${period}\u0000${f.metric}\u0000${f.originState}\u0000${f.agreementId}\u0000${f.value}`;
    const c = counters.get(k);
    if (c) c.n += n;
    else counters.set(k, { key: [grain, period, f.metric, f.originState, f.agreementId, f.value], n });
  };
  for (const { fact, n } of changes) {
    if (n === 0) continue;
    count('all', '', fact, n);
    count('month', fact.day.slice(0, 7), fact, n);
    count('day', fact.day, fact, n);
  }
  return counters.values();
}

export class FactTable implements BatchPart {
  readonly stage = 1;
  readonly #statements = new WeakMap<Db, { add: Statement; dropZero: Statement; sum: Statement }>();
  readonly #addManyStatements = new WeakMap<Db, Map<number, Statement>>();
  /** A batch's changes, summed per fact before they are written. */
  readonly #pending = new WeakMap<Db, Map<string, { fact: Fact; n: number }>>();

  constructor(readonly name: string) {}

  setup(db: Db): void {
    db.exec(`CREATE TABLE IF NOT EXISTS ${this.name} (
      grain TEXT NOT NULL,
      period TEXT NOT NULL,
      metric TEXT NOT NULL,
      origin_state TEXT NOT NULL,
      agreement_id TEXT NOT NULL,
      value TEXT NOT NULL,
      n INTEGER NOT NULL,
      PRIMARY KEY (grain, period, metric, origin_state, agreement_id, value)
    ) WITHOUT ROWID;`);
  }

  /** Keeps this table's counters in step with the rows of a table (`new Table(spec, facts.of(...))`). */
  of<R extends Row>(factsOf: (row: R) => readonly Fact[]): RowObserver<R> {
    return {
      changed: (db, before, after) => {
        if (before !== undefined) for (const f of factsOf(before)) this.add(db, f, -1);
        if (after !== undefined) for (const f of factsOf(after)) this.add(db, f, 1);
      },
    };
  }

  add(db: Db, f: Fact, n: number): void {
    let pending = this.#pending.get(db);
    if (pending === undefined) {
      if (!joinBatch(db, this)) {
        this.#write(db, countersOf([{ fact: f, n }]));
        return;
      }
      pending = new Map();
      this.#pending.set(db, pending);
    }
    // Per fact first: a row changing back and forth within a batch cancels out before the
    // fact is spread over its three counters.
    const k = `${f.metric}\u0000${f.originState}\u0000${f.agreementId}\u0000${f.day}\u0000${f.value}`;
    const p = pending.get(k);
    if (p) p.n += n;
    else pending.set(k, { fact: f, n });
  }

  /** Every non-zero counter of the given origin (all when undefined) summed over `ranges`. */
  sum(db: Db, originState: string | undefined, ranges: readonly PeriodRange[]): FactCount[] {
    const totals = new Map<string, FactCount>();
    const { sum } = this.#prepared(db);
    for (const r of ranges) {
      const rows = sum.all({ grain: r.grain, from: r.from, to: r.to, origin: originState ?? null }) as [
        string,
        string,
        string,
        string,
        number,
      ][];
      for (const [metric, originState, agreementId, value, n] of rows) {
        const key = `${metric}\u0000${originState}\u0000${agreementId}\u0000${value}`;
        const total = totals.get(key);
        if (total) total.n += n;
        else totals.set(key, { metric, originState, agreementId, value, n });
      }
    }
    return [...totals.values()].filter((c) => c.n !== 0);
  }

  flush(db: Db): void {
    const pending = this.#pending.get(db);
    if (pending === undefined) return;
    this.#write(db, countersOf(pending.values()));
    pending.clear();
  }

  discard(db: Db): void {
    this.#pending.delete(db);
  }

  /**
   * Adds the changes to their counters, many to a statement (a call into SQLite per counter was
   * a quarter of a rebuild's statements), then drops the counters a decrease took to zero.
   */
  #write(db: Db, changes: Iterable<CounterChange>): void {
    const { add, dropZero } = this.#prepared(db);
    const nonZero = [...changes].filter((c) => c.n !== 0);
    let i = 0;
    for (const size of CHUNK_SIZES) {
      for (; nonZero.length - i >= size; i += size) {
        if (size === 1) {
          add.run(...nonZero[i]!.key, nonZero[i]!.n);
          continue;
        }
        const values: (string | number)[] = [];
        for (let j = i; j < i + size; j++) values.push(...nonZero[j]!.key, nonZero[j]!.n);
        this.#addMany(db, size).run(...values);
      }
    }
    // A counter back at zero goes, so the tables stay as small as the facts they count.
    for (const { key, n } of nonZero) if (n < 0) dropZero.run(...key);
  }

  #addMany(db: Db, rows: number): Statement {
    const byDb = this.#addManyStatements.get(db) ?? new Map<number, Statement>();
    this.#addManyStatements.set(db, byDb);
    let statement = byDb.get(rows);
    if (statement === undefined) {
      statement = db.prepare(
        `INSERT INTO ${this.name} (grain, period, metric, origin_state, agreement_id, value, n)
         VALUES ${placeholderRows(rows, 7)}
         ON CONFLICT (grain, period, metric, origin_state, agreement_id, value) DO UPDATE SET n = n + excluded.n`,
      );
      byDb.set(rows, statement);
    }
    return statement;
  }

  #prepared(db: Db) {
    let s = this.#statements.get(db);
    if (s === undefined) {
      const key = `grain = ? AND period = ? AND metric = ? AND origin_state = ? AND agreement_id = ? AND value = ?`;
      s = {
        add: db.prepare(
          `INSERT INTO ${this.name} (grain, period, metric, origin_state, agreement_id, value, n)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (grain, period, metric, origin_state, agreement_id, value) DO UPDATE SET n = n + excluded.n`,
        ),
        dropZero: db.prepare(`DELETE FROM ${this.name} WHERE ${key} AND n = 0`),
        sum: db
          .prepare(
            `SELECT metric, origin_state, agreement_id, value, SUM(n) FROM ${this.name}
             WHERE grain = @grain AND period BETWEEN @from AND @to AND (@origin IS NULL OR origin_state = @origin)
             GROUP BY metric, origin_state, agreement_id, value`,
          )
          .raw(),
      };
      this.#statements.set(db, s);
    }
    return s;
  }
}

/**
 * The counters that make up the days from `from` to `to` (inclusive; either open): none, all
 * time, or the whole months inside the range plus the days before and after them. Dates are
 * `YYYY-MM-DD` (the API accepts real dates only; facts are dated by real dates).
 */
export function periodRanges(from: string | undefined, to: string | undefined): PeriodRange[] {
  if (from === undefined && to === undefined) return [{ grain: 'all', from: '', to: '' }];
  const first = from ?? '0000-01-01';
  const last = to ?? '9999-12-31';
  if (first > last) return [];
  const firstMonth = first.endsWith('-01') ? first.slice(0, 7) : nextMonth(first.slice(0, 7));
  const lastMonth = last === lastDayOf(last.slice(0, 7)) ? last.slice(0, 7) : previousMonth(last.slice(0, 7));
  if (firstMonth > lastMonth) return [{ grain: 'day', from: first, to: last }];
  const ranges: PeriodRange[] = [{ grain: 'month', from: firstMonth, to: lastMonth }];
  if (first < `${firstMonth}-01`) ranges.push({ grain: 'day', from: first, to: lastDayOf(previousMonth(firstMonth)) });
  if (last > lastDayOf(lastMonth)) ranges.push({ grain: 'day', from: `${nextMonth(lastMonth)}-01`, to: last });
  return ranges;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function nextMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 12 ? `${pad(y + 1, 4)}-01` : `${pad(y, 4)}-${pad(m + 1, 2)}`;
}

function previousMonth(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  return m === 1 ? `${pad(y - 1, 4)}-12` : `${pad(y, 4)}-${pad(m - 1, 2)}`;
}

function lastDayOf(month: string): string {
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  // Day 0 of the next month is the last day of this one (UTC, so no time zone moves it;
  // setUTCFullYear, because Date.UTC reads years below 100 as 19xx).
  const d = new Date(0);
  d.setUTCFullYear(y, m, 0);
  return `${month}-${pad(d.getUTCDate(), 2)}`;
}

/** Whole days from one date to another, as SQLite's `ROUND(julianday(to) - julianday(from))`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);
}
