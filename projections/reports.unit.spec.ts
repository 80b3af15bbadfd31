import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AbortReason, ObstacleType, RejectionReason } from '../contracts/index.ts';
import { periodRanges } from './facts.ts';
import { READ_MODELS } from './index.ts';
import { agreementTitles } from './models/agreements.ts';
import { obstaclesTable, type ObstacleRow } from './models/obstacles.ts';
import { prepared } from './models/query.ts';
import { abortsTable, removalsTable, type AbortRow, type RemovalRow } from './models/removals.ts';
import { requestsTable, type RequestRow } from './models/requests.ts';
import {
  byOriginAndAgreement,
  emptyRow,
  readmissionObstaclesReport,
  type ReadmissionObstaclesRow,
  type ReportRange,
} from './reports.ts';
import { openReadModelDb } from './runner.ts';
import { median, percentile, share } from './stats.ts';
import { beginBatch, endBatch, flushBatch } from './tables.ts';
import type { Db } from './types.ts';

/**
 * The readmission-obstacles report reads running counts (facts.ts) that the models keep as their
 * rows change. Here it must give exactly what the straightforward computation over the rows
 * gives (`overRows`, the report as it was computed before the counts existed), for random rows,
 * rows rewritten later (in a batch and outside one), filters and days of the query.
 */

// --- random rows --------------------------------------------------------------------------

const DAY0 = Date.UTC(2025, 10, 20); // a span crossing month and year ends, including 2026-02
const dateArb = fc.integer({ min: 0, max: 120 }).map((d) => new Date(DAY0 + d * 86_400_000).toISOString().slice(0, 10));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const origin = fc.constantFrom('MA', 'TN', 'SN');
const agreement = fc.constantFrom('agr-a', 'agr-b', 'agr-c');

const requestArb = fc.record({
  origin_state: origin,
  agreement_id: agreement,
  submitted_on: dateArb,
  reply_due_on: dateArb,
  extension_days: maybe(fc.integer({ min: 1, max: 30 })),
  status: fc.constantFrom('pending', 'accepted', 'deemed-accepted', 'rejected'),
  answered_on: maybe(dateArb),
  rejection_reason: maybe(fc.constantFrom(...RejectionReason.options)),
  td_due_on: maybe(dateArb),
  td_issued_on: maybe(dateArb),
  passport_valid_until: maybe(dateArb),
  case_closed_on: maybe(dateArb),
});
type RequestFields = typeof requestArb extends fc.Arbitrary<infer T> ? T : never;

const obstacleArb = fc.record({
  origin_state: origin,
  agreement_id: maybe(agreement),
  type: fc.constantFrom(...ObstacleType.options),
  opened_on: dateArb,
  resolved_on: maybe(dateArb),
});
type ObstacleFields = typeof obstacleArb extends fc.Arbitrary<infer T> ? T : never;

const removalArb = fc.record({
  origin_state: origin,
  agreement_id: maybe(agreement),
  departure_date: dateArb,
  departed_date: maybe(dateArb),
  arrival_date: maybe(dateArb),
});
type RemovalFields = typeof removalArb extends fc.Arbitrary<infer T> ? T : never;

const abortArb = fc.record({
  origin_state: origin,
  agreement_id: maybe(agreement),
  aborted_date: dateArb,
  reason: fc.constantFrom(...AbortReason.options),
});

/** Each row, and maybe a later version of it (a change counted down and up again). */
const versions = <T>(arb: fc.Arbitrary<T>) => fc.array(fc.tuple(arb, maybe(arb)), { maxLength: 25 });

const filterArb = fc.record({
  originState: fc.option(origin, { nil: undefined }),
  from: fc.option(dateArb, { nil: undefined }),
  to: fc.option(dateArb, { nil: undefined }),
  today: dateArb,
});

function requestRow(id: number, f: RequestFields): RequestRow {
  return {
    case_id: `case-${id}`,
    case_reference: null,
    request_id: `req-${id}`,
    destination_state: 'DE',
    procedure: 'standard',
    initial_reply_due_on: f.reply_due_on,
    acknowledged_on: null,
    deemed_on: null,
    transfer_by: null,
    ...f,
    case_closed: f.case_closed_on === null ? 0 : 1,
  };
}

const obstacleRow = (id: number, f: ObstacleFields): ObstacleRow => ({
  case_id: `case-${id}`,
  obstacle_id: `obs-${id}`,
  destination_state: 'DE',
  automatic: 0,
  ...f,
});

const removalRow = (id: number, f: RemovalFields): RemovalRow => ({
  case_id: `case-${id}`,
  removal_id: `rem-${id}`,
  destination_state: 'DE',
  departure_at: `${f.departure_date}T10:00:00Z`,
  departure_utc: `${f.departure_date}T10:00:00.000Z`,
  mode: 'escorted',
  transport_kind: 'scheduled-flight',
  travellers: 1,
  minors: '[]',
  family_separation: 0,
  status: 'planned',
  aborted_date: null,
  abort_reason: null,
  monitor_at_departure: null,
  minors_assessed_at_departure: null,
  ...f,
});

function freshDb(): Db {
  const db = openReadModelDb(':memory:');
  for (const model of READ_MODELS) model.setup(db);
  const agreements = db.prepare(
    `INSERT INTO rm_agreements (agreement_id, title, origin_state, kind, revision) VALUES (?, ?, ?, 'agreement', 0)`,
  );
  agreements.run('agr-a', 'Zeta agreement', 'MA');
  agreements.run('agr-b', 'Alpha agreement', 'TN');
  return db;
}

/** Writes every first version, then every second one: half of the writes in a batch, half not. */
function write<T>(db: Db, rows: readonly [T, T | null][], put: (db: Db, id: number, row: T) => void, batched: boolean) {
  const run = (f: () => void) => {
    if (!batched) return f();
    beginBatch(db);
    try {
      f();
      flushBatch(db);
    } finally {
      endBatch(db);
    }
  };
  run(() => rows.forEach(([first], i) => put(db, i, first)));
  run(() => rows.forEach(([, second], i) => second !== null && put(db, i, second)));
}

describe('the readmission-obstacles report from running counts', () => {
  it('equals the computation over every row, whatever the rows, their changes and the filters', () => {
    fc.assert(
      fc.property(
        versions(requestArb),
        versions(obstacleArb),
        versions(removalArb),
        versions(abortArb),
        fc.boolean(),
        fc.array(filterArb, { minLength: 1, maxLength: 4 }),
        (requests, obstacles, removals, aborts, batched, filters) => {
          const db = freshDb();
          try {
            write(db, requests, (d, i, r) => requestsTable.put(d, requestRow(i, r)), batched);
            write(db, obstacles, (d, i, o) => obstaclesTable.put(d, obstacleRow(i, o)), !batched);
            write(db, removals, (d, i, r) => removalsTable.put(d, removalRow(i, r)), batched);
            write(
              db,
              aborts,
              (d, i, a) =>
                abortsTable.put(d, {
                  case_id: `case-${i}`,
                  abort_no: 1,
                  removal_id: null,
                  destination_state: 'DE',
                  ...a,
                } satisfies AbortRow),
              !batched,
            );
            for (const f of [{ today: filters[0]!.today }, ...filters]) {
              expect(readmissionObstaclesReport(db, f)).toEqual(overRows(db, f));
            }
          } finally {
            db.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('splits a period into whole months and the days at either end', () => {
    expect(periodRanges(undefined, undefined)).toEqual([{ grain: 'all', from: '', to: '' }]);
    expect(periodRanges('2026-01-15', '2026-01-10')).toEqual([]);
    expect(periodRanges('2026-01-15', '2026-02-10')).toEqual([{ grain: 'day', from: '2026-01-15', to: '2026-02-10' }]);
    expect(periodRanges('2026-01-15', '2026-04-30')).toEqual([
      { grain: 'month', from: '2026-02', to: '2026-04' },
      { grain: 'day', from: '2026-01-15', to: '2026-01-31' },
    ]);
    expect(periodRanges('2024-01-01', '2024-03-28')).toEqual([
      { grain: 'month', from: '2024-01', to: '2024-02' },
      { grain: 'day', from: '2024-03-01', to: '2024-03-28' },
    ]);
    expect(periodRanges(undefined, '2025-12-31')).toEqual([{ grain: 'month', from: '0000-01', to: '2025-12' }]);
    expect(periodRanges('2025-12-02', undefined)).toEqual([
      { grain: 'month', from: '2026-01', to: '9999-12' },
      { grain: 'day', from: '2025-12-02', to: '2025-12-31' },
    ]);
  });
});

// --- the reference: the report computed over every row ------------------------------------

/** The report as computed before the running counts: aggregates in SQL over every row. */
const REQUEST_FIGURES = `
  SELECT origin_state AS origin, agreement_id AS agreement,
    COUNT(*) AS submitted,
    SUM(status = 'accepted') AS accepted,
    SUM(status = 'deemed-accepted') AS deemed,
    SUM(status = 'rejected') AS rejected,
    SUM(status = 'pending' AND case_closed = 0) AS pending,
    SUM(status = 'pending' AND case_closed = 1) AS withdrawn,
    SUM(status = 'pending' AND case_closed = 0 AND reply_due_on < @today) AS overdue,
    SUM(extension_days IS NOT NULL) AS extensions,
    SUM(status IN ('accepted', 'rejected') AND answered_on IS NOT NULL) AS answered,
    SUM(status IN ('accepted', 'rejected') AND answered_on IS NOT NULL AND answered_on <= reply_due_on) AS on_time,
    SUM((status IN ('accepted', 'rejected') AND answered_on IS NOT NULL) OR status = 'deemed-accepted'
        OR (status = 'pending' AND reply_due_on < ${lapse('@today')})) AS due,
    SUM(status IN ('accepted', 'deemed-accepted') AND td_issued_on IS NOT NULL) AS td_issued,
    SUM(status IN ('accepted', 'deemed-accepted') AND td_issued_on IS NOT NULL AND td_due_on IS NOT NULL
        AND td_issued_on <= td_due_on) AS td_on_time,
    SUM(status IN ('accepted', 'deemed-accepted') AND td_issued_on IS NULL AND td_due_on IS NOT NULL
        AND NOT (passport_valid_until IS NOT NULL AND passport_valid_until >= td_due_on)
        AND td_due_on < ${lapse('@today')}) AS td_overdue
  FROM rm_requests WHERE ${RANGE('submitted_on')}
  GROUP BY origin_state, agreement_id`;

/** A pending request stops running when its case closes: its deadlines count up to then. */
function lapse(today: string): string {
  return `(CASE WHEN case_closed_on IS NOT NULL AND case_closed_on < ${today} THEN case_closed_on ELSE ${today} END)`;
}

function RANGE(column: string): string {
  return `(@origin IS NULL OR origin_state = @origin) AND (@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} <= @to)`;
}

const DAYS = (from: string, to: string): string => `CAST(ROUND(julianday(${to}) - julianday(${from})) AS INTEGER)`;

interface RequestFigures {
  origin: string;
  agreement: string;
  submitted: number;
  accepted: number;
  deemed: number;
  rejected: number;
  pending: number;
  withdrawn: number;
  overdue: number;
  extensions: number;
  answered: number;
  on_time: number;
  due: number;
  td_issued: number;
  td_on_time: number;
  td_overdue: number;
}

function overRows(db: Db, f: ReportRange): ReadmissionObstaclesRow[] {
  const params = { origin: f.originState ?? null, from: f.from ?? null, to: f.to ?? null, today: f.today };
  const titles = agreementTitles(db);
  const rows = new Map<string, ReadmissionObstaclesRow>();
  const keyOf = (origin: string, agreementId: string | null) => `${origin}\u0000${agreementId ?? ''}`;
  const rowFor = (origin: string, agreementId: string | null): ReadmissionObstaclesRow => {
    const key = keyOf(origin, agreementId);
    let row = rows.get(key);
    if (row === undefined) {
      row = emptyRow(origin, agreementId, agreementId === null ? null : (titles.get(agreementId) ?? null));
      rows.set(key, row);
    }
    return row;
  };

  for (const q of prepared(db, REQUEST_FIGURES).all(params) as RequestFigures[]) {
    const row = rowFor(q.origin, q.agreement);
    Object.assign(row.requests, {
      submitted: q.submitted,
      accepted: q.accepted,
      deemedAccepted: q.deemed,
      rejected: q.rejected,
      pending: q.pending,
      overdue: q.overdue,
      withdrawn: q.withdrawn,
      extensions: q.extensions,
    });
    Object.assign(row.replies, {
      answered: q.answered,
      answeredOnTime: q.on_time,
      due: q.due,
      shareOnTime: share(q.on_time, q.due),
    });
    Object.assign(row.travelDocuments, {
      issued: q.td_issued,
      issuedOnTime: q.td_on_time,
      overdue: q.td_overdue,
      shareOnTime: share(q.td_on_time, q.td_issued + q.td_overdue),
    });
  }
  for (const [origin, agreement, reason, n] of prepared(
    db,
    `SELECT origin_state, agreement_id, rejection_reason, COUNT(*) FROM rm_requests
     WHERE status = 'rejected' AND ${RANGE('submitted_on')} GROUP BY 1, 2, 3`,
  )
    .raw()
    .all(params) as [string, string, string, number][]) {
    const byReason = rowFor(origin, agreement).requests.rejectedByReason;
    if (reason in byReason) byReason[reason as RejectionReason] = n;
  }
  for (const [origin, agreement, days] of groupedValues(
    prepared(
      db,
      `SELECT origin_state, agreement_id, ${DAYS('submitted_on', 'answered_on')} FROM rm_requests
       WHERE status IN ('accepted', 'rejected') AND answered_on IS NOT NULL AND ${RANGE('submitted_on')}`,
    )
      .raw()
      .all(params) as [string, string, number][],
  )) {
    const replies = rowFor(origin, agreement).replies;
    replies.medianDays = median(days);
    replies.p90Days = percentile(days, 90);
  }

  const openCounts = new Map<string, number>();
  const obstacleDays = new Map<string, { origin: string; agreement: string | null; type: string; days: number[] }>();
  for (const [origin, agreement, type, days, open] of prepared(
    db,
    `SELECT origin_state, agreement_id, type, ${DAYS('opened_on', 'COALESCE(resolved_on, @today)')}, resolved_on IS NULL
     FROM rm_obstacles WHERE ${RANGE('opened_on')}`,
  )
    .raw()
    .all(params) as [string, string | null, string, number, number][]) {
    const key = `${keyOf(origin, agreement)}\u0000${type}`;
    let entry = obstacleDays.get(key);
    if (entry === undefined) {
      entry = { origin, agreement, type, days: [] };
      obstacleDays.set(key, entry);
    }
    entry.days.push(days);
    if (open) openCounts.set(key, (openCounts.get(key) ?? 0) + 1);
  }
  for (const [key, { origin, agreement, type, days }] of obstacleDays) {
    const figures = rowFor(origin, agreement).obstacles[type as ObstacleType];
    if (figures === undefined) continue;
    figures.count = days.length;
    figures.open = openCounts.get(key) ?? 0;
    figures.medianDaysOpen = median(days);
  }

  const inPeriod = (column: string) =>
    `${column} IS NOT NULL AND (@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} <= @to)`;
  for (const [origin, agreement, planned, departed, returned] of prepared(
    db,
    `SELECT origin_state, agreement_id, SUM(${inPeriod('departure_date')}), SUM(${inPeriod('departed_date')}), SUM(${inPeriod('arrival_date')})
     FROM rm_removals WHERE (@origin IS NULL OR origin_state = @origin) GROUP BY 1, 2`,
  )
    .raw()
    .all(params) as [string, string | null, number, number, number][]) {
    if (planned + departed + returned === 0) continue;
    Object.assign(rowFor(origin, agreement).removals, { planned, departed, returned });
  }
  for (const [origin, agreement, reason, n] of prepared(
    db,
    `SELECT origin_state, agreement_id, reason, COUNT(*) FROM rm_aborts WHERE ${RANGE('aborted_date')} GROUP BY 1, 2, 3`,
  )
    .raw()
    .all(params) as [string, string | null, string, number][]) {
    const removals = rowFor(origin, agreement).removals;
    removals.aborted += n;
    if (reason in removals.abortedByReason) removals.abortedByReason[reason as AbortReason] = n;
  }

  return [...rows.values()].sort(byOriginAndAgreement);
}

/** `[origin, agreement, value]` rows → one list of values per (origin, agreement). */
function groupedValues(rows: readonly [string, string, number][]): [string, string, number[]][] {
  const groups = new Map<string, [string, string, number[]]>();
  for (const [origin, agreement, value] of rows) {
    const key = `${origin}\u0000${agreement}`;
    const group = groups.get(key);
    if (group) group[2].push(value);
    else groups.set(key, [origin, agreement, [value]]);
  }
  return [...groups.values()];
}
