import { AbortReason, ObstacleType, PROHIBITED_MEASURES, RejectionReason } from '../contracts/index.ts';
import { agreementTitles } from './models/agreements.ts';
import { concernRows, forceReportRows } from './models/incidents.ts';
import { prepared } from './models/query.ts';
import { median, percentile, round2, share } from './stats.ts';
import type { Db } from './types.ts';

/**
 * The analyst's reports: counts, rates and durations only (no names, no dates of birth, no
 * free text). Figures are exact (stats.ts). "Overdue" and "days open" are worked out against
 * `today`, the day of the query, from the due dates the read models store.
 *
 * Each fact counts in the period by its own date: a request by its submission date (and all
 * its answers, deadlines and travel document with it), an obstacle by its opening date, a
 * planned removal by its departure date, a departure by the date it left, a return by the
 * arrival date, an abort by the date of the abort.
 */
export interface ReportRange {
  originState?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  today: string;
}

type Counts<K extends string> = Record<K, number>;
const zeros = <K extends string>(keys: readonly K[]): Counts<K> =>
  Object.fromEntries(keys.map((k) => [k, 0])) as Counts<K>;

export interface ObstacleFigures {
  count: number;
  open: number;
  /** Days from opening to resolution, or to today while open; median over every obstacle counted. */
  medianDaysOpen: number | null;
}

export interface ReadmissionObstaclesRow {
  originState: string;
  /** null: facts of cases with no readmission request yet. */
  agreementId: string | null;
  agreementTitle: string | null;
  requests: {
    submitted: number;
    accepted: number;
    deemedAccepted: number;
    rejected: number;
    rejectedByReason: Counts<RejectionReason>;
    pending: number;
    overdue: number;
    /** Pending when the case closed (the request lapsed unanswered). */
    withdrawn: number;
    extensions: number;
  };
  replies: {
    /** Explicit answers (accepted or rejected); a deemed acceptance is silence, not a reply. */
    answered: number;
    medianDays: number | null;
    p90Days: number | null;
    answeredOnTime: number;
    /** Requests whose reply was due: answered, deemed accepted, or pending past the (extended) deadline. */
    due: number;
    shareOnTime: number | null;
  };
  travelDocuments: {
    issued: number;
    issuedOnTime: number;
    /** Accepted, no document, no valid passport, and the issue deadline passed. */
    overdue: number;
    /** issuedOnTime / (issued + overdue) */
    shareOnTime: number | null;
  };
  obstacles: Record<ObstacleType, ObstacleFigures>;
  removals: {
    planned: number;
    departed: number;
    returned: number;
    aborted: number;
    abortedByReason: Counts<AbortReason>;
  };
}

const REJECTION_REASONS = RejectionReason.options;
const OBSTACLE_TYPES = ObstacleType.options;
const ABORT_REASONS = AbortReason.options;

function emptyRow(originState: string, agreementId: string | null, title: string | null): ReadmissionObstaclesRow {
  return {
    originState,
    agreementId,
    agreementTitle: title,
    requests: {
      submitted: 0,
      accepted: 0,
      deemedAccepted: 0,
      rejected: 0,
      rejectedByReason: zeros(REJECTION_REASONS),
      pending: 0,
      overdue: 0,
      withdrawn: 0,
      extensions: 0,
    },
    replies: { answered: 0, medianDays: null, p90Days: null, answeredOnTime: 0, due: 0, shareOnTime: null },
    travelDocuments: { issued: 0, issuedOnTime: 0, overdue: 0, shareOnTime: null },
    obstacles: Object.fromEntries(
      OBSTACLE_TYPES.map((t) => [t, { count: 0, open: 0, medianDaysOpen: null }]),
    ) as Record<ObstacleType, ObstacleFigures>,
    removals: { planned: 0, departed: 0, returned: 0, aborted: 0, abortedByReason: zeros(ABORT_REASONS) },
  };
}

/** Aggregates run in SQL; only the values that medians need come back one by one (as numbers). */
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

export function readmissionObstaclesReport(db: Db, f: ReportRange): ReadmissionObstaclesRow[] {
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

  return [...rows.values()].sort(
    (a, b) =>
      a.originState.localeCompare(b.originState) ||
      (a.agreementId === null ? 1 : 0) - (b.agreementId === null ? 1 : 0) ||
      (a.agreementTitle ?? '').localeCompare(b.agreementTitle ?? '') ||
      (a.agreementId ?? '').localeCompare(b.agreementId ?? ''),
  );
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

// ---------------------------------------------------------------------------------------

export interface SafeguardsReport {
  from: string | null;
  to: string | null;
  children: {
    /** Children (under 18 on the day) in departures of the period. */
    removed: number;
    /** Of those, with a positive best-interests assessment by an independent body dated on or before the departure. */
    assessedBeforeRemoval: number;
    share: number | null;
  };
  escortedRemovals: { departed: number; withMonitor: number; share: number | null };
  useOfForce: {
    reports: number;
    withProhibitedTechniques: number;
    prohibitedByTechnique: Record<string, number>;
    injuriesReported: number;
  };
  criticalConcerns: {
    raised: number;
    responded: number;
    unanswered: number;
    closedWithoutResponse: number;
    /** Hours from raising to the first caseworker response. */
    hoursToResponse: { median: number | null; p90: number | null };
  };
  aborts: { total: number; byReason: Counts<AbortReason> };
}

export function safeguardsReport(db: Db, f: ReportRange): SafeguardsReport {
  const report: SafeguardsReport = {
    from: f.from ?? null,
    to: f.to ?? null,
    children: { removed: 0, assessedBeforeRemoval: 0, share: null },
    escortedRemovals: { departed: 0, withMonitor: 0, share: null },
    useOfForce: {
      reports: 0,
      withProhibitedTechniques: 0,
      prohibitedByTechnique: zeros(PROHIBITED_MEASURES),
      injuriesReported: 0,
    },
    criticalConcerns: {
      raised: 0,
      responded: 0,
      unanswered: 0,
      closedWithoutResponse: 0,
      hoursToResponse: { median: null, p90: null },
    },
    aborts: { total: 0, byReason: zeros(ABORT_REASONS) },
  };
  const params = { origin: null, from: f.from ?? null, to: f.to ?? null };
  const departures = prepared(
    db,
    `SELECT COALESCE(SUM(json_array_length(minors)), 0) AS children,
            COALESCE(SUM(minors_assessed_at_departure), 0) AS assessed,
            COALESCE(SUM(mode = 'escorted'), 0) AS escorted,
            COALESCE(SUM(mode = 'escorted' AND monitor_at_departure = 1), 0) AS monitored
     FROM rm_removals WHERE departed_date IS NOT NULL AND ${RANGE('departed_date')}`,
  ).get(params) as { children: number; assessed: number; escorted: number; monitored: number };
  report.children.removed = departures.children;
  report.children.assessedBeforeRemoval = departures.assessed;
  report.escortedRemovals.departed = departures.escorted;
  report.escortedRemovals.withMonitor = departures.monitored;
  report.children.share = share(report.children.assessedBeforeRemoval, report.children.removed);
  report.escortedRemovals.share = share(report.escortedRemovals.withMonitor, report.escortedRemovals.departed);

  for (const u of forceReportRows(db, f)) {
    report.useOfForce.reports += 1;
    const prohibited = JSON.parse(u.prohibited) as string[];
    if (prohibited.length > 0) report.useOfForce.withProhibitedTechniques += 1;
    for (const t of prohibited)
      report.useOfForce.prohibitedByTechnique[t] = (report.useOfForce.prohibitedByTechnique[t] ?? 0) + 1;
    if (u.injuries_reported === 1) report.useOfForce.injuriesReported += 1;
  }

  const hours: number[] = [];
  for (const k of concernRows(db, f)) {
    if (k.severity !== 'critical') continue;
    const c = report.criticalConcerns;
    c.raised += 1;
    if (k.responded_utc !== null) {
      c.responded += 1;
      hours.push(round2((Date.parse(k.responded_utc) - Date.parse(k.raised_utc)) / 3_600_000));
    } else if (k.closed_at !== null) {
      c.closedWithoutResponse += 1;
    } else {
      c.unanswered += 1;
    }
  }
  report.criticalConcerns.hoursToResponse = { median: median(hours), p90: percentile(hours, 90) };

  for (const [reason, n] of prepared(
    db,
    `SELECT reason, COUNT(*) FROM rm_aborts WHERE ${RANGE('aborted_date')} GROUP BY 1`,
  )
    .raw()
    .all(params) as [string, number][]) {
    report.aborts.total += n;
    if (reason in report.aborts.byReason) report.aborts.byReason[reason as AbortReason] = n;
  }
  return report;
}

/** A nested report row as flat `a.b.c` columns, for CSV. */
export function flatten(value: unknown, prefix = '', into: Record<string, string | number | boolean | null> = {}) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, into);
  } else {
    into[prefix] = Array.isArray(value) ? value.join(' ') : (value as string | number | boolean | null);
  }
  return into;
}

/** The CSV columns of the readmission-obstacles report, fixed whatever the data. */
export const READMISSION_OBSTACLES_COLUMNS: readonly string[] = Object.keys(flatten(emptyRow('', null, null)));
