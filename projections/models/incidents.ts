import type { CaseEventOf } from '../../contracts/index.ts';
import { caseIdOf, flag, isCaseStream, parseJson, Table, utcOf, type Value } from '../tables.ts';
import type { Db, ReadModel } from '../types.ts';
import { prepared } from './query.ts';

/**
 * Use-of-force reports and safeguard concerns, for the monitor's incident list and the
 * safeguards report. Techniques, severities and times only: justifications, injuries and
 * concern texts are free text and stay in the case (the monitor reads them there).
 */
export interface ForceReportRow {
  [column: string]: Value;
  case_id: string;
  report_id: string;
  origin_state: string;
  destination_state: string;
  occurred_at: string;
  occurred_utc: string;
  /** JSON list of the techniques used. */
  techniques: string;
  /** JSON list of those that are prohibited. */
  prohibited: string;
  duration_minutes: number;
  injuries_reported: number;
  reported_by: string;
}

export interface ConcernRow {
  [column: string]: Value;
  case_id: string;
  concern_id: string;
  origin_state: string;
  destination_state: string;
  severity: string;
  source: string;
  raised_at: string;
  raised_utc: string;
  responded_at: string | null;
  responded_utc: string | null;
  closed_at: string | null;
}

interface IncidentCaseRow {
  [column: string]: Value;
  case_id: string;
  origin_state: string;
  destination_state: string;
  /** JSON list of the case's use-of-force reports (erasure rewrites them). */
  force_report_ids: string;
}

export const forceReportsTable = new Table<ForceReportRow>({
  name: 'rm_force_reports',
  columns: {
    case_id: 'TEXT NOT NULL',
    report_id: 'TEXT NOT NULL',
    origin_state: 'TEXT NOT NULL',
    destination_state: 'TEXT NOT NULL',
    occurred_at: 'TEXT NOT NULL',
    occurred_utc: 'TEXT NOT NULL',
    techniques: 'TEXT NOT NULL',
    prohibited: 'TEXT NOT NULL',
    duration_minutes: 'INTEGER NOT NULL',
    injuries_reported: 'INTEGER NOT NULL',
    reported_by: 'TEXT NOT NULL',
  },
  primaryKey: ['case_id', 'report_id'],
  indexes: { rm_force_reports_time: 'occurred_utc' },
});

export const concernsTable = new Table<ConcernRow>({
  name: 'rm_concerns',
  columns: {
    case_id: 'TEXT NOT NULL',
    concern_id: 'TEXT NOT NULL',
    origin_state: 'TEXT NOT NULL',
    destination_state: 'TEXT NOT NULL',
    severity: 'TEXT NOT NULL',
    source: 'TEXT NOT NULL',
    raised_at: 'TEXT NOT NULL',
    raised_utc: 'TEXT NOT NULL',
    responded_at: 'TEXT',
    responded_utc: 'TEXT',
    closed_at: 'TEXT',
  },
  primaryKey: ['case_id', 'concern_id'],
  indexes: { rm_concerns_time: 'raised_utc' },
});

const incidentCasesTable = new Table<IncidentCaseRow>({
  name: 'rm_incident_cases',
  columns: {
    case_id: 'TEXT NOT NULL',
    origin_state: 'TEXT NOT NULL',
    destination_state: 'TEXT NOT NULL',
    force_report_ids: 'TEXT NOT NULL',
  },
  primaryKey: ['case_id'],
});

export const incidentsModel: ReadModel = {
  name: 'incidents',
  version: 2,
  tables: [forceReportsTable.name, concernsTable.name, incidentCasesTable.name],
  // "Injuries reported" is read off the injuries text (a personal field).
  personalDataOf: new Set(['UseOfForceReported']),
  setup(db) {
    forceReportsTable.setup(db);
    concernsTable.setup(db);
    incidentCasesTable.setup(db);
  },
  apply(db, e) {
    if (!isCaseStream(e.streamId)) return;
    const caseId = caseIdOf(e.streamId);
    switch (e.type) {
      case 'CaseOpened': {
        const d = e.data as CaseEventOf<'CaseOpened'>['data'];
        incidentCasesTable.put(db, {
          case_id: caseId,
          origin_state: d.originState,
          destination_state: d.destinationState,
          force_report_ids: '[]',
        });
        return;
      }
      case 'UseOfForceReported': {
        const c = incidentCasesTable.get(db, caseId);
        if (!c) return;
        const d = e.data as CaseEventOf<'UseOfForceReported'>['data'];
        forceReportsTable.put(db, {
          case_id: caseId,
          report_id: d.reportId,
          origin_state: c.origin_state,
          destination_state: c.destination_state,
          occurred_at: d.occurredAt,
          occurred_utc: utcOf(d.occurredAt),
          techniques: JSON.stringify(d.techniques),
          prohibited: JSON.stringify(d.prohibitedTechniques),
          duration_minutes: d.durationMinutes,
          injuries_reported: flag(d.injuries !== undefined && d.injuries !== null && String(d.injuries).trim() !== ''),
          reported_by: e.metadata.actor.role,
        });
        const ids = parseJson<string[]>(c.force_report_ids, []);
        if (!ids.includes(d.reportId)) {
          ids.push(d.reportId);
          incidentCasesTable.put(db, { ...c, force_report_ids: JSON.stringify(ids) });
        }
        return;
      }
      case 'SafeguardConcernRaised': {
        const c = incidentCasesTable.get(db, caseId);
        if (!c) return;
        const d = e.data as CaseEventOf<'SafeguardConcernRaised'>['data'];
        concernsTable.put(db, {
          case_id: caseId,
          concern_id: d.concernId,
          origin_state: c.origin_state,
          destination_state: c.destination_state,
          severity: d.severity,
          source: d.source,
          raised_at: d.raisedAt,
          raised_utc: utcOf(d.raisedAt),
          responded_at: null,
          responded_utc: null,
          closed_at: null,
        });
        return;
      }
      case 'ConcernResponded': {
        const d = e.data as CaseEventOf<'ConcernResponded'>['data'];
        // The first response is the one the time to response is measured to.
        const k = concernsTable.get(db, caseId, d.concernId);
        if (k !== undefined && k.responded_at === null)
          concernsTable.put(db, { ...k, responded_at: d.respondedAt, responded_utc: utcOf(d.respondedAt) });
        return;
      }
      case 'PersonalDataErased': {
        // "Injuries reported" is read off a free text, which erasure shreds: as a rebuild would see it.
        const c = incidentCasesTable.get(db, caseId);
        for (const reportId of parseJson<string[]>(c?.force_report_ids ?? null, [])) {
          const u = forceReportsTable.get(db, caseId, reportId);
          if (u !== undefined && u.injuries_reported !== 0) forceReportsTable.put(db, { ...u, injuries_reported: 0 });
        }
        return;
      }
      case 'SafeguardConcernClosed': {
        const d = e.data as CaseEventOf<'SafeguardConcernClosed'>['data'];
        const k = concernsTable.get(db, caseId, d.concernId);
        if (k !== undefined && k.closed_at === null) concernsTable.put(db, { ...k, closed_at: d.closedAt });
        return;
      }
      default:
        return;
    }
  },
};

// ---------------------------------------------------------------------------------------
// Queries

export type Incident =
  | {
      kind: 'use-of-force';
      caseId: string;
      id: string;
      at: string;
      destinationState: string;
      originState: string;
      techniques: string[];
      prohibitedTechniques: string[];
      prohibited: boolean;
      durationMinutes: number;
      injuriesReported: boolean;
      reportedBy: string;
    }
  | {
      kind: 'concern';
      caseId: string;
      id: string;
      at: string;
      destinationState: string;
      originState: string;
      severity: string;
      source: string;
      respondedAt: string | null;
      closedAt: string | null;
      /** open | responded | closed */
      status: string;
    };

/** Use-of-force reports and concerns together, the newest first. */
export function incidents(
  db: Db,
  f: {
    kind?: 'use-of-force' | 'concern' | undefined;
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
    after?: readonly [string, string, string, string] | undefined;
  },
): { items: Incident[]; next: [string, string, string, string] | null } {
  const rows = prepared(
    db,
    `SELECT * FROM (
       SELECT 'use-of-force' AS kind, case_id, report_id AS id, occurred_at AS at, occurred_utc AS at_utc,
              destination_state, origin_state, techniques, prohibited, duration_minutes, injuries_reported, reported_by,
              NULL AS severity, NULL AS source, NULL AS responded_at, NULL AS closed_at
       FROM rm_force_reports
       UNION ALL
       SELECT 'concern', case_id, concern_id, raised_at, raised_utc, destination_state, origin_state,
              NULL, NULL, NULL, NULL, NULL, severity, source, responded_at, closed_at
       FROM rm_concerns
     )
     WHERE (@kind IS NULL OR kind = @kind)
       AND (@from IS NULL OR substr(at, 1, 10) >= @from) AND (@to IS NULL OR substr(at, 1, 10) <= @to)
       AND (@a IS NULL OR at_utc < @a OR (at_utc = @a AND (kind, case_id, id) > (@k, @b, @c)))
     ORDER BY at_utc DESC, kind, case_id, id LIMIT @limit`,
  ).all({
    kind: f.kind ?? null,
    from: f.from ?? null,
    to: f.to ?? null,
    a: f.after?.[0] ?? null,
    k: f.after?.[1] ?? null,
    b: f.after?.[2] ?? null,
    c: f.after?.[3] ?? null,
    limit: f.limit + 1,
  }) as Record<string, Value>[];
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r): Incident => {
      const common = {
        caseId: String(r.case_id),
        id: String(r.id),
        at: String(r.at),
        destinationState: String(r.destination_state),
        originState: String(r.origin_state),
      };
      if (r.kind === 'use-of-force') {
        const prohibited = parseJson<string[]>(r.prohibited ?? null, []);
        return {
          kind: 'use-of-force',
          ...common,
          techniques: parseJson<string[]>(r.techniques ?? null, []),
          prohibitedTechniques: prohibited,
          prohibited: prohibited.length > 0,
          durationMinutes: Number(r.duration_minutes),
          injuriesReported: r.injuries_reported === 1,
          reportedBy: String(r.reported_by),
        };
      }
      const respondedAt = (r.responded_at as string | null) ?? null;
      const closedAt = (r.closed_at as string | null) ?? null;
      return {
        kind: 'concern',
        ...common,
        severity: String(r.severity),
        source: String(r.source),
        respondedAt,
        closedAt,
        status: closedAt !== null ? 'closed' : respondedAt !== null ? 'responded' : 'open',
      };
    }),
    next: more && last ? [String(last.at_utc), String(last.kind), String(last.case_id), String(last.id)] : null,
  };
}

type Range = { from?: string | undefined; to?: string | undefined };

export function forceReportRows(db: Db, f: Range): ForceReportRow[] {
  return prepared(
    db,
    `SELECT * FROM rm_force_reports WHERE (@from IS NULL OR substr(occurred_at, 1, 10) >= @from)
       AND (@to IS NULL OR substr(occurred_at, 1, 10) <= @to)`,
  ).all({ from: f.from ?? null, to: f.to ?? null }) as ForceReportRow[];
}

export function concernRows(db: Db, f: Range): ConcernRow[] {
  return prepared(
    db,
    `SELECT * FROM rm_concerns WHERE (@from IS NULL OR substr(raised_at, 1, 10) >= @from)
       AND (@to IS NULL OR substr(raised_at, 1, 10) <= @to)`,
  ).all({ from: f.from ?? null, to: f.to ?? null }) as ConcernRow[];
}
