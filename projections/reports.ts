import { AbortReason, ObstacleType, PROHIBITED_MEASURES, RejectionReason } from '../contracts/index.ts';
import { daysBetween, periodRanges } from './facts.ts';
import { agreementTitles } from './models/agreements.ts';
import { concernRows, forceReportRows } from './models/incidents.ts';
import { obstacleFacts } from './models/obstacles.ts';
import { prepared } from './models/query.ts';
import { removalFacts } from './models/removals.ts';
import { requestFacts } from './models/requests.ts';
import { Histogram, median, percentile, round2, share } from './stats.ts';
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

export function emptyRow(
  originState: string,
  agreementId: string | null,
  title: string | null,
): ReadmissionObstaclesRow {
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

function RANGE(column: string): string {
  return `(@origin IS NULL OR origin_state = @origin) AND (@from IS NULL OR ${column} >= @from) AND (@to IS NULL OR ${column} <= @to)`;
}

/**
 * Read off the running counts the projections keep (facts.ts; what each row counts for is
 * `requestFactsOf`, `obstacleFactsOf`, `removalFactsOf` and `abortFactsOf`): a few thousand
 * counters whatever the number of cases. Medians and p90s are exact: the counts of each whole
 * number of days are a histogram of every value.
 */
export function readmissionObstaclesReport(db: Db, f: ReportRange): ReadmissionObstaclesRow[] {
  const titles = agreementTitles(db);
  const rows = new Map<string, ReadmissionObstaclesRow>();
  const rowFor = (origin: string, agreement: string): ReadmissionObstaclesRow => {
    const key = `${origin}\u0000${agreement}`;
    let row = rows.get(key);
    if (row === undefined) {
      const agreementId = agreement === '' ? null : agreement;
      row = emptyRow(origin, agreementId, agreementId === null ? null : (titles.get(agreementId) ?? null));
      rows.set(key, row);
    }
    return row;
  };
  const ranges = periodRanges(f.from, f.to);
  const before = (date: string) => date < f.today;

  const replyDays = new Histograms();
  for (const c of requestFacts.sum(db, f.originState, ranges)) {
    const row = rowFor(c.originState, c.agreementId);
    const { requests: q, replies, travelDocuments: td } = row;
    switch (c.metric) {
      case 'submitted':
        q.submitted += c.n;
        break;
      case 'accepted':
        q.accepted += c.n;
        break;
      case 'deemed':
        q.deemedAccepted += c.n;
        replies.due += c.n;
        break;
      case 'rejected':
        q.rejected += c.n;
        if (c.value in q.rejectedByReason) q.rejectedByReason[c.value as RejectionReason] += c.n;
        break;
      case 'pending':
        q.pending += c.n;
        if (before(c.value)) q.overdue += c.n;
        break;
      case 'withdrawn':
        q.withdrawn += c.n;
        break;
      case 'reply-due':
        if (before(c.value)) replies.due += c.n;
        break;
      case 'extended':
        q.extensions += c.n;
        break;
      case 'answered':
        replies.answered += c.n;
        replies.due += c.n;
        replyDays.add(row, Number(c.value), c.n);
        break;
      case 'answered-on-time':
        replies.answeredOnTime += c.n;
        break;
      case 'td-issued':
        td.issued += c.n;
        break;
      case 'td-issued-on-time':
        td.issuedOnTime += c.n;
        break;
      case 'td-due':
        if (before(c.value)) td.overdue += c.n;
        break;
    }
  }
  for (const [row, days] of replyDays.entries()) {
    row.replies.medianDays = days.percentile(50);
    row.replies.p90Days = days.percentile(90);
  }

  const daysOpen = new Histograms<ObstacleFigures>();
  for (const c of obstacleFacts.sum(db, f.originState, ranges)) {
    const row = rowFor(c.originState, c.agreementId);
    const [state, type] = c.metric.split(':') as [string, ObstacleType];
    const figures = row.obstacles[type];
    if (figures === undefined) continue;
    figures.count += c.n;
    if (state === 'open') {
      figures.open += c.n;
      daysOpen.add(figures, daysBetween(c.value, f.today), c.n);
    } else {
      daysOpen.add(figures, Number(c.value), c.n);
    }
  }
  for (const [figures, days] of daysOpen.entries()) figures.medianDaysOpen = days.percentile(50);

  for (const c of removalFacts.sum(db, f.originState, ranges)) {
    const removals = rowFor(c.originState, c.agreementId).removals;
    switch (c.metric) {
      case 'planned':
        removals.planned += c.n;
        break;
      case 'departed':
        removals.departed += c.n;
        break;
      case 'returned':
        removals.returned += c.n;
        break;
      case 'aborted':
        removals.aborted += c.n;
        if (c.value in removals.abortedByReason) removals.abortedByReason[c.value as AbortReason] += c.n;
        break;
    }
  }

  for (const row of rows.values()) {
    row.replies.shareOnTime = share(row.replies.answeredOnTime, row.replies.due);
    const td = row.travelDocuments;
    td.shareOnTime = share(td.issuedOnTime, td.issued + td.overdue);
  }
  return [...rows.values()].sort(byOriginAndAgreement);
}

/** The report's row order: by origin State, then agreement (cases with none last), by title. */
export const byOriginAndAgreement = (a: ReadmissionObstaclesRow, b: ReadmissionObstaclesRow): number =>
  a.originState.localeCompare(b.originState) ||
  (a.agreementId === null ? 1 : 0) - (b.agreementId === null ? 1 : 0) ||
  (a.agreementTitle ?? '').localeCompare(b.agreementTitle ?? '') ||
  (a.agreementId ?? '').localeCompare(b.agreementId ?? '');

/** Counts of whole numbers per owner (a report row, an obstacle type's figures). */
class Histograms<K extends object = ReadmissionObstaclesRow> {
  readonly #byOwner = new Map<K, Histogram>();

  add(owner: K, value: number, n: number): void {
    let h = this.#byOwner.get(owner);
    if (h === undefined) this.#byOwner.set(owner, (h = new Histogram()));
    h.add(value, n);
  }

  entries(): IterableIterator<[K, Histogram]> {
    return this.#byOwner.entries();
  }
}

// ---------------------------------------------------------------------------------------

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
