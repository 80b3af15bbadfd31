import type { CaseEventOf } from '../../contracts/index.ts';
import { dateOf } from '../../domain/index.ts';
import { FactTable, type Fact } from '../facts.ts';
import { caseIdOf, flag, isCaseStream, majorityOn, parseJson, Table, utcOf, type Value } from '../tables.ts';
import type { Db, ReadModel } from '../types.ts';
import { prepared } from './query.ts';

/**
 * Removals and their safeguards: one row per planned removal, one per abort, and per case the
 * safeguard facts a removal is checked against (monitor, use-of-force assessment, fitness
 * certificates, best-interests assessments). Serves the monitor's list of planned removals and
 * the removal and safeguard figures of the reports.
 *
 * Who is a child is worked out when a removal is planned, from the date each traveller turns
 * 18; those dates are derived from dates of birth, so they (and the child counts derived from
 * them) are wiped when the case's personal data are erased, exactly as a rebuild from the
 * shredded log would find them.
 */
export interface SafeguardCaseRow {
  [column: string]: Value;
  case_id: string;
  origin_state: string;
  destination_state: string;
  agreement_id: string | null;
  monitor_assigned: number;
  force_assessed: number;
  /** JSON `{memberId: [fit 0|1, examinedOn, validUntil]}`. */
  fitness: string;
  /** JSON `{memberId: [positive 0|1, assessedOn]}`: the latest assessment of each member. */
  best_interests: string;
  /** JSON `{memberId: date turning 18 | null}`, in household order, the principal first. */
  majority: string;
  aborts: number;
  /** JSON list of the case's planned removals (erasure rewrites their child counts). */
  removal_ids: string;
}

export interface RemovalRow {
  [column: string]: Value;
  case_id: string;
  removal_id: string;
  origin_state: string;
  destination_state: string;
  agreement_id: string | null;
  departure_at: string;
  departure_utc: string;
  /** The departure's date as written (its local date). */
  departure_date: string;
  mode: string;
  transport_kind: string;
  travellers: number;
  /** JSON list of the member ids under 18 on the departure date. */
  minors: string;
  family_separation: number;
  /** planned | departed | aborted | returned */
  status: string;
  departed_date: string | null;
  aborted_date: string | null;
  abort_reason: string | null;
  arrival_date: string | null;
  monitor_at_departure: number | null;
  minors_assessed_at_departure: number | null;
}

export interface AbortRow {
  [column: string]: Value;
  case_id: string;
  abort_no: number;
  removal_id: string | null;
  origin_state: string;
  destination_state: string;
  agreement_id: string | null;
  aborted_date: string;
  reason: string;
}

export const safeguardCasesTable = new Table<SafeguardCaseRow>({
  name: 'rm_safeguard_cases',
  columns: {
    case_id: 'TEXT NOT NULL',
    origin_state: 'TEXT NOT NULL',
    destination_state: 'TEXT NOT NULL',
    agreement_id: 'TEXT',
    monitor_assigned: 'INTEGER NOT NULL',
    force_assessed: 'INTEGER NOT NULL',
    fitness: 'TEXT NOT NULL',
    best_interests: 'TEXT NOT NULL',
    majority: 'TEXT NOT NULL',
    aborts: 'INTEGER NOT NULL',
    removal_ids: 'TEXT NOT NULL',
  },
  primaryKey: ['case_id'],
});

/** The report's running counts of removals and aborts (facts.ts), each by its own date. */
export const removalFacts = new FactTable('rm_removal_facts');

export function removalFactsOf(r: RemovalRow): Fact[] {
  const at = { originState: r.origin_state, agreementId: r.agreement_id ?? '', value: '' };
  const facts: Fact[] = [{ ...at, metric: 'planned', day: r.departure_date }];
  if (r.departed_date !== null) facts.push({ ...at, metric: 'departed', day: r.departed_date });
  if (r.arrival_date !== null) facts.push({ ...at, metric: 'returned', day: r.arrival_date });
  return facts;
}

export function abortFactsOf(a: AbortRow): Fact[] {
  return [
    {
      metric: 'aborted',
      originState: a.origin_state,
      agreementId: a.agreement_id ?? '',
      day: a.aborted_date,
      value: a.reason,
    },
  ];
}

export const removalsTable = new Table<RemovalRow>(
  {
    name: 'rm_removals',
    columns: {
      case_id: 'TEXT NOT NULL',
      removal_id: 'TEXT NOT NULL',
      origin_state: 'TEXT NOT NULL',
      destination_state: 'TEXT NOT NULL',
      agreement_id: 'TEXT',
      departure_at: 'TEXT NOT NULL',
      departure_utc: 'TEXT NOT NULL',
      departure_date: 'TEXT NOT NULL',
      mode: 'TEXT NOT NULL',
      transport_kind: 'TEXT NOT NULL',
      travellers: 'INTEGER NOT NULL',
      minors: 'TEXT NOT NULL',
      family_separation: 'INTEGER NOT NULL',
      status: 'TEXT NOT NULL',
      departed_date: 'TEXT',
      aborted_date: 'TEXT',
      abort_reason: 'TEXT',
      arrival_date: 'TEXT',
      monitor_at_departure: 'INTEGER',
      minors_assessed_at_departure: 'INTEGER',
    },
    primaryKey: ['case_id', 'removal_id'],
    indexes: { rm_removals_monitoring: 'departure_utc, case_id, removal_id' },
  },
  removalFacts.of(removalFactsOf),
);

export const abortsTable = new Table<AbortRow>(
  {
    name: 'rm_aborts',
    columns: {
      case_id: 'TEXT NOT NULL',
      abort_no: 'INTEGER NOT NULL',
      removal_id: 'TEXT',
      origin_state: 'TEXT NOT NULL',
      destination_state: 'TEXT NOT NULL',
      agreement_id: 'TEXT',
      aborted_date: 'TEXT NOT NULL',
      reason: 'TEXT NOT NULL',
    },
    primaryKey: ['case_id', 'abort_no'],
    indexes: { rm_aborts_report: 'origin_state, agreement_id, aborted_date' },
  },
  removalFacts.of(abortFactsOf),
);

type Fitness = Record<string, [number, string, string]>;
type BestInterests = Record<string, [number, string]>;
type Majority = Record<string, string | null>;

const SAFEGUARD_EVENTS = new Set([
  'ReadmissionRequestSubmitted',
  'MonitorAssigned',
  'UseOfForceRiskAssessed',
  'FitnessToTravelCertified',
  'BestInterestsAssessmentRecorded',
  'RemovalPlanned',
  'DepartureRecorded',
  'RemovalAborted',
  'ArrivalConfirmed',
  'PersonalDataErased',
]);

export const removalsModel: ReadModel = {
  name: 'removals',
  version: 2,
  tables: [removalsTable.name, abortsTable.name, safeguardCasesTable.name, removalFacts.name],
  // Ages: the dates of birth in the case's opening (personal fields).
  personalDataOf: new Set(['CaseOpened']),
  setup(db) {
    safeguardCasesTable.setup(db);
    removalsTable.setup(db);
    abortsTable.setup(db);
    removalFacts.setup(db);
  },
  apply(db, e) {
    if (!isCaseStream(e.streamId)) return;
    const caseId = caseIdOf(e.streamId);
    if (e.type === 'CaseOpened') {
      const d = e.data as CaseEventOf<'CaseOpened'>['data'];
      const majority: Majority = {
        principal: majorityOn((d.person as { dateOfBirth?: unknown } | undefined)?.dateOfBirth),
      };
      for (const m of d.household ?? []) majority[m.memberId] = majorityOn(m.dateOfBirth);
      safeguardCasesTable.put(db, {
        case_id: caseId,
        origin_state: d.originState,
        destination_state: d.destinationState,
        agreement_id: null,
        monitor_assigned: 0,
        force_assessed: 0,
        fitness: '{}',
        best_interests: '{}',
        majority: JSON.stringify(majority),
        aborts: 0,
        removal_ids: '[]',
      });
      return;
    }
    if (!SAFEGUARD_EVENTS.has(e.type)) return;
    const c = safeguardCasesTable.get(db, caseId);
    if (c === undefined) return;
    switch (e.type) {
      case 'ReadmissionRequestSubmitted':
        safeguardCasesTable.put(db, {
          ...c,
          agreement_id: (e.data as CaseEventOf<'ReadmissionRequestSubmitted'>['data']).agreementId,
        });
        return;
      case 'MonitorAssigned':
        if (!c.monitor_assigned) safeguardCasesTable.put(db, { ...c, monitor_assigned: 1 });
        return;
      case 'UseOfForceRiskAssessed':
        if (!c.force_assessed) safeguardCasesTable.put(db, { ...c, force_assessed: 1 });
        return;
      case 'FitnessToTravelCertified': {
        const d = e.data as CaseEventOf<'FitnessToTravelCertified'>['data'];
        const fitness = parseJson<Fitness>(c.fitness, {});
        fitness[d.memberId] = [flag(d.fit), d.examinedOn, d.validUntil];
        safeguardCasesTable.put(db, { ...c, fitness: JSON.stringify(fitness) });
        return;
      }
      case 'BestInterestsAssessmentRecorded': {
        const d = e.data as CaseEventOf<'BestInterestsAssessmentRecorded'>['data'];
        const bia = parseJson<BestInterests>(c.best_interests, {});
        bia[d.memberId] = [
          flag(d.independentOfEnforcement && d.conclusion === 'return-in-best-interests'),
          d.assessedOn,
        ];
        safeguardCasesTable.put(db, { ...c, best_interests: JSON.stringify(bia) });
        return;
      }
      case 'PersonalDataErased': {
        // Ages came from dates of birth: forget them, and what was derived from them, as a
        // rebuild from the shredded log would.
        const majority = parseJson<Majority>(c.majority, {});
        for (const k of Object.keys(majority)) majority[k] = null;
        safeguardCasesTable.put(db, { ...c, majority: JSON.stringify(majority) });
        for (const removalId of parseJson<string[]>(c.removal_ids, [])) {
          const r = removalsTable.get(db, caseId, removalId);
          if (r === undefined) continue;
          removalsTable.put(db, {
            ...r,
            minors: '[]',
            minors_assessed_at_departure: r.minors_assessed_at_departure === null ? null : 0,
          });
        }
        return;
      }
      case 'RemovalPlanned': {
        const d = e.data as CaseEventOf<'RemovalPlanned'>['data'];
        const on = dateOf(d.departureAt);
        const majority = parseJson<Majority>(c.majority, {});
        // Counted as children: travellers known to be under 18 on the day. (The domain treats an
        // unknown age as a child's when it checks a plan; a report cannot count what it does not know.)
        const minors = d.members.filter((m) => {
          const adultOn = majority[m];
          return typeof adultOn === 'string' && on < adultOn;
        });
        const ids = parseJson<string[]>(c.removal_ids, []);
        if (!ids.includes(d.removalId)) {
          ids.push(d.removalId);
          safeguardCasesTable.put(db, { ...c, removal_ids: JSON.stringify(ids) });
        }
        removalsTable.put(db, {
          case_id: caseId,
          removal_id: d.removalId,
          origin_state: c.origin_state,
          destination_state: c.destination_state,
          agreement_id: c.agreement_id,
          departure_at: d.departureAt,
          departure_utc: utcOf(d.departureAt),
          departure_date: on,
          mode: d.mode,
          transport_kind: d.transport.kind,
          travellers: d.members.length,
          minors: JSON.stringify(minors),
          family_separation: flag(d.familySeparation !== undefined),
          status: 'planned',
          departed_date: null,
          aborted_date: null,
          abort_reason: null,
          arrival_date: null,
          monitor_at_departure: null,
          minors_assessed_at_departure: null,
        });
        return;
      }
      case 'DepartureRecorded': {
        const d = e.data as CaseEventOf<'DepartureRecorded'>['data'];
        const r = removalsTable.get(db, caseId, d.removalId);
        if (!r) return;
        const on = dateOf(d.departedAt);
        const bia = parseJson<BestInterests>(c.best_interests, {});
        const assessed = parseJson<string[]>(r.minors, []).filter((m) => {
          const a = bia[m];
          return a !== undefined && a[0] === 1 && a[1] <= on;
        }).length;
        removalsTable.put(db, {
          ...r,
          status: 'departed',
          departed_date: on,
          monitor_at_departure: c.monitor_assigned,
          minors_assessed_at_departure: assessed,
        });
        return;
      }
      case 'RemovalAborted': {
        const d = e.data as CaseEventOf<'RemovalAborted'>['data'];
        const on = dateOf(d.abortedAt);
        abortsTable.put(db, {
          case_id: caseId,
          abort_no: c.aborts + 1,
          removal_id: d.removalId,
          origin_state: c.origin_state,
          destination_state: c.destination_state,
          agreement_id: c.agreement_id,
          aborted_date: on,
          reason: d.reason,
        });
        safeguardCasesTable.put(db, { ...c, aborts: c.aborts + 1 });
        if (d.removalId !== null) {
          const r = removalsTable.get(db, caseId, d.removalId);
          if (r && r.status !== 'aborted')
            removalsTable.put(db, { ...r, status: 'aborted', aborted_date: on, abort_reason: d.reason });
        }
        return;
      }
      case 'ArrivalConfirmed': {
        const d = e.data as CaseEventOf<'ArrivalConfirmed'>['data'];
        const r = removalsTable.get(db, caseId, d.removalId);
        if (r) removalsTable.put(db, { ...r, status: 'returned', arrival_date: dateOf(d.arrivedAt) });
        return;
      }
      default:
        return;
    }
  },
};

// ---------------------------------------------------------------------------------------
// Queries

export interface MonitoredRemoval {
  caseId: string;
  removalId: string;
  destinationState: string;
  originState: string;
  departureAt: string;
  mode: string;
  transport: string;
  travellers: number;
  familySeparation: boolean;
  /** planned | departed | aborted | returned */
  status: string;
  abortReason: string | null;
  safeguards: {
    monitorAssigned: boolean;
    useOfForceAssessed: boolean;
    /** A fit-to-travel certificate valid on the departure date, and no member certified unfit. */
    fitToTravelCertified: boolean;
    children: number;
    childrenAssessed: number;
    openCriticalConcerns: number;
    unansweredCriticalConcerns: number;
  };
}

export function monitoredRemovals(
  db: Db,
  f: {
    from?: string | undefined;
    to?: string | undefined;
    limit: number;
    after?: readonly [string, string, string] | undefined;
  },
): { items: MonitoredRemoval[]; next: [string, string, string] | null } {
  const rows = prepared(
    db,
    `SELECT r.*, c.monitor_assigned, c.force_assessed, c.fitness, c.best_interests,
       (SELECT COUNT(*) FROM rm_concerns k WHERE k.case_id = r.case_id AND k.severity = 'critical' AND k.closed_at IS NULL) AS open_critical,
       (SELECT COUNT(*) FROM rm_concerns k WHERE k.case_id = r.case_id AND k.severity = 'critical' AND k.closed_at IS NULL
          AND k.responded_at IS NULL) AS unanswered_critical
     FROM rm_removals r JOIN rm_safeguard_cases c ON c.case_id = r.case_id
     WHERE (@from IS NULL OR r.departure_date >= @from) AND (@to IS NULL OR r.departure_date <= @to)
       AND (@a IS NULL OR (r.departure_utc, r.case_id, r.removal_id) > (@a, @b, @c))
     ORDER BY r.departure_utc, r.case_id, r.removal_id LIMIT @limit`,
  ).all({
    from: f.from ?? null,
    to: f.to ?? null,
    a: f.after?.[0] ?? null,
    b: f.after?.[1] ?? null,
    c: f.after?.[2] ?? null,
    limit: f.limit + 1,
  }) as (RemovalRow & SafeguardCaseRow & { open_critical: number; unanswered_critical: number })[];
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => {
      const minors = parseJson<string[]>(r.minors, []);
      const bia = parseJson<BestInterests>(r.best_interests, {});
      return {
        caseId: r.case_id,
        removalId: r.removal_id,
        destinationState: r.destination_state,
        originState: r.origin_state,
        departureAt: r.departure_at,
        mode: r.mode,
        transport: r.transport_kind,
        travellers: r.travellers,
        familySeparation: r.family_separation === 1,
        status: r.status,
        abortReason: r.abort_reason,
        safeguards: {
          monitorAssigned: r.monitor_assigned === 1,
          useOfForceAssessed: r.force_assessed === 1,
          fitToTravelCertified: fitOn(parseJson<Fitness>(r.fitness, {}), r.departure_date),
          children: minors.length,
          childrenAssessed: minors.filter((m) => bia[m]?.[0] === 1).length,
          openCriticalConcerns: r.open_critical,
          unansweredCriticalConcerns: r.unanswered_critical,
        },
      };
    }),
    next: more && last ? [last.departure_utc, last.case_id, last.removal_id] : null,
  };
}

function fitOn(fitness: Fitness, on: string): boolean {
  const principal = fitness.principal;
  const valid = principal !== undefined && principal[0] === 1 && principal[1] <= on && principal[2] >= on;
  const anyUnfit = Object.values(fitness).some(([fit, , validUntil]) => fit === 0 && validUntil >= on);
  return valid && !anyUnfit;
}
