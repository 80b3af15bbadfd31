import type { CaseEventOf } from '../../contracts/index.ts';
import { dateOf } from '../../domain/index.ts';
import { caseIdOf, isCaseStream, parseJson, Table, type Value } from '../tables.ts';
import type { Db, ReadModel } from '../types.ts';
import { prepared } from './query.ts';

/**
 * Return statistics on the definitions of Regulation (EC) No 862/2007 art. 7 as amended by
 * Regulation (EU) 2020/851: third-country nationals ordered to leave and returned, per quarter,
 * reporting State and citizenship; the returned also by type of return (enforced, voluntary),
 * assistance (assisted, non-assisted) and destination. Running counts only (projections/README.md
 * "Eurostat return statistics" has the definitions).
 *
 * Citizenship is the principal's `nationality`, a personal field of `CaseOpened`: only its code
 * is kept, per case, and when the case's data are erased the case's counts move to `UNK`, as a
 * rebuild from the shredded log (which no longer holds the nationality) would find them. The
 * persons stay counted; only their citizenship becomes unknown.
 */
export const UNKNOWN_CITIZENSHIP = 'UNK';

/** What a case counted, by quarter and metric (so erasure can move it to `UNK`). */
type Counted = [quarter: string, metric: Metric, persons: number][];
/** Planned removals: removal id → [members who travel, assisted 0|1, counted 0|1]. */
type Removals = Record<string, [number, number, number]>;

export type Metric =
  'ordered' | 'enforced-assisted' | 'enforced-non-assisted' | 'voluntary-assisted' | 'voluntary-non-assisted';

interface EurostatCaseRow {
  [column: string]: Value;
  case_id: string;
  reporting_state: string;
  returned_to: string;
  citizenship: string;
  /** The principal and the household members the case was opened with. */
  persons: number;
  /** Voluntary departure granted with assistance (an AVR programme): 1, else 0. */
  assisted: number;
  removals: string;
  counted: string;
}

interface CountRow {
  [column: string]: Value;
  reporting_state: string;
  quarter: string;
  citizenship: string;
  returned_to: string;
  metric: string;
  n: number;
}

const casesTable = new Table<EurostatCaseRow>({
  name: 'rm_eurostat_cases',
  columns: {
    case_id: 'TEXT NOT NULL',
    reporting_state: 'TEXT NOT NULL',
    returned_to: 'TEXT NOT NULL',
    citizenship: 'TEXT NOT NULL',
    persons: 'INTEGER NOT NULL',
    assisted: 'INTEGER NOT NULL',
    removals: 'TEXT NOT NULL',
    counted: 'TEXT NOT NULL',
  },
  primaryKey: ['case_id'],
});

const countsTable = new Table<CountRow>({
  name: 'rm_eurostat_counts',
  columns: {
    reporting_state: 'TEXT NOT NULL',
    quarter: 'TEXT NOT NULL',
    citizenship: 'TEXT NOT NULL',
    returned_to: 'TEXT NOT NULL',
    metric: 'TEXT NOT NULL',
    n: 'INTEGER NOT NULL',
  },
  primaryKey: ['quarter', 'reporting_state', 'citizenship', 'returned_to', 'metric'],
});

/** `YYYY-MM-DD` → `YYYY-Qn`. */
export const quarterOf = (date: string): string =>
  `${date.slice(0, 4)}-Q${String(Math.ceil(Number(date.slice(5, 7)) / 3))}`;

function addCount(db: Db, c: EurostatCaseRow, citizenship: string, quarter: string, metric: Metric, n: number): void {
  const key = [quarter, c.reporting_state, citizenship, c.returned_to, metric] as const;
  const row = countsTable.get(db, ...key);
  const next = (row?.n ?? 0) + n;
  if (next === 0) countsTable.delete(db, ...key);
  else
    countsTable.put(db, {
      quarter,
      reporting_state: c.reporting_state,
      citizenship,
      returned_to: c.returned_to,
      metric,
      n: next,
    });
}

/** Counts `persons` for the case and remembers it on the case's row. */
function count(db: Db, c: EurostatCaseRow, date: string, metric: Metric, persons: number): EurostatCaseRow {
  if (persons <= 0) return c;
  const quarter = quarterOf(date);
  addCount(db, c, c.citizenship, quarter, metric, persons);
  const counted = parseJson<Counted>(c.counted, []);
  counted.push([quarter, metric, persons]);
  return { ...c, counted: JSON.stringify(counted) };
}

const EVENTS = new Set([
  'CaseOpened',
  'VoluntaryDepartureGranted',
  'VoluntaryDepartureRecorded',
  'RemovalPlanned',
  'DepartureRecorded',
  'PersonalDataErased',
]);

export const eurostatModel: ReadModel = {
  name: 'eurostat',
  version: 1,
  tables: [casesTable.name, countsTable.name],
  // Citizenship: the principal's nationality, inside `person` (a personal field).
  personalDataOf: new Set(['CaseOpened']),
  setup(db) {
    casesTable.setup(db);
    countsTable.setup(db);
  },
  apply(db, e) {
    if (!EVENTS.has(e.type) || !isCaseStream(e.streamId)) return;
    const caseId = caseIdOf(e.streamId);
    if (e.type === 'CaseOpened') {
      const d = e.data as CaseEventOf<'CaseOpened'>['data'];
      const nationality = (d.person as { nationality?: unknown } | undefined)?.nationality;
      const c: EurostatCaseRow = {
        case_id: caseId,
        reporting_state: d.destinationState,
        returned_to: d.originState,
        citizenship: typeof nationality === 'string' ? nationality : UNKNOWN_CITIZENSHIP,
        persons: 1 + (d.household ?? []).length,
        assisted: 0,
        removals: '{}',
        counted: '[]',
      };
      casesTable.put(db, count(db, c, d.returnDecision.issuedOn, 'ordered', c.persons));
      return;
    }
    const c = casesTable.get(db, caseId);
    if (c === undefined) return;
    switch (e.type) {
      case 'VoluntaryDepartureGranted': {
        const d = e.data as CaseEventOf<'VoluntaryDepartureGranted'>['data'];
        casesTable.put(db, { ...c, assisted: d.assisted ? 1 : 0 });
        return;
      }
      case 'VoluntaryDepartureRecorded': {
        // A verified departure within (or after) the period: the whole household leaves.
        const d = e.data as CaseEventOf<'VoluntaryDepartureRecorded'>['data'];
        const metric = c.assisted ? 'voluntary-assisted' : 'voluntary-non-assisted';
        casesTable.put(db, count(db, c, d.departedOn, metric, c.persons));
        return;
      }
      case 'RemovalPlanned': {
        const d = e.data as CaseEventOf<'RemovalPlanned'>['data'];
        const removals = parseJson<Removals>(c.removals, {});
        removals[d.removalId] = [d.members.length, d.mode === 'voluntary-assisted' ? 1 : 0, 0];
        casesTable.put(db, { ...c, removals: JSON.stringify(removals) });
        return;
      }
      case 'DepartureRecorded': {
        // Counted by the day it left as written (its local date), the members who travel.
        const d = e.data as CaseEventOf<'DepartureRecorded'>['data'];
        const removals = parseJson<Removals>(c.removals, {});
        const r = removals[d.removalId];
        if (r === undefined || r[2] === 1) return;
        removals[d.removalId] = [r[0], r[1], 1];
        const metric = r[1] ? 'enforced-assisted' : 'enforced-non-assisted';
        casesTable.put(db, count(db, { ...c, removals: JSON.stringify(removals) }, dateOf(d.departedAt), metric, r[0]));
        return;
      }
      case 'PersonalDataErased': {
        if (c.citizenship === UNKNOWN_CITIZENSHIP) return;
        for (const [quarter, metric, n] of parseJson<Counted>(c.counted, [])) {
          addCount(db, c, c.citizenship, quarter, metric, -n);
          addCount(db, c, UNKNOWN_CITIZENSHIP, quarter, metric, n);
        }
        casesTable.put(db, { ...c, citizenship: UNKNOWN_CITIZENSHIP });
        return;
      }
      default:
        return;
    }
  },
};

// ---------------------------------------------------------------------------------------
// Query

export interface EurostatReturnsRow {
  reportingState: string;
  quarter: string;
  citizenship: string;
  orderedToLeave: number;
  returned: number;
  returnedEnforced: number;
  returnedVoluntary: number;
  returnedAssisted: number;
  returnedNonAssisted: number;
  /** Returned persons by country of destination (the origin State), in code order. */
  returnedByDestination: Record<string, number>;
}

/** The fixed CSV columns; `returnedByDestination.XX` columns follow, one per destination in the answer. */
export const EUROSTAT_RETURNS_COLUMNS: readonly string[] = [
  'reportingState',
  'quarter',
  'citizenship',
  'orderedToLeave',
  'returned',
  'returnedEnforced',
  'returnedVoluntary',
  'returnedAssisted',
  'returnedNonAssisted',
];

/**
 * One row per reporting State, quarter and citizenship with a figure in `[from, to]` (quarters
 * `YYYY-Qn`, inclusive, either open), ordered by reporting State, quarter and citizenship.
 */
export function eurostatReturnsReport(db: Db, range: { from?: string | undefined; to?: string | undefined }) {
  const counts = prepared(
    db,
    `SELECT reporting_state, quarter, citizenship, returned_to, metric, n FROM rm_eurostat_counts
     WHERE (@from IS NULL OR quarter >= @from) AND (@to IS NULL OR quarter <= @to)
     ORDER BY reporting_state, quarter, citizenship, returned_to, metric`,
  ).all({ from: range.from ?? null, to: range.to ?? null }) as CountRow[];
  const rows = new Map<string, EurostatReturnsRow>();
  for (const c of counts) {
    const key = JSON.stringify([c.reporting_state, c.quarter, c.citizenship]);
    let row = rows.get(key);
    if (row === undefined) {
      row = {
        reportingState: c.reporting_state,
        quarter: c.quarter,
        citizenship: c.citizenship,
        orderedToLeave: 0,
        returned: 0,
        returnedEnforced: 0,
        returnedVoluntary: 0,
        returnedAssisted: 0,
        returnedNonAssisted: 0,
        returnedByDestination: {},
      };
      rows.set(key, row);
    }
    const metric = c.metric as Metric;
    if (metric === 'ordered') {
      row.orderedToLeave += c.n;
      continue;
    }
    row.returned += c.n;
    if (metric.startsWith('enforced')) row.returnedEnforced += c.n;
    else row.returnedVoluntary += c.n;
    if (metric.endsWith('non-assisted')) row.returnedNonAssisted += c.n;
    else row.returnedAssisted += c.n;
    row.returnedByDestination[c.returned_to] = (row.returnedByDestination[c.returned_to] ?? 0) + c.n;
  }
  return [...rows.values()];
}

/** The CSV of `rows`: the fixed columns, then `returnedByDestination.XX` per destination present. */
export function eurostatReturnsCsvRows(rows: readonly EurostatReturnsRow[]): {
  columns: string[];
  records: Record<string, string | number>[];
} {
  const destinations = [...new Set(rows.flatMap((r) => Object.keys(r.returnedByDestination)))].sort();
  const columns = [...EUROSTAT_RETURNS_COLUMNS, ...destinations.map((s) => `returnedByDestination.${s}`)];
  const records = rows.map(({ returnedByDestination, ...fixed }) => {
    const record: Record<string, string | number> = { ...fixed };
    for (const s of destinations) record[`returnedByDestination.${s}`] = returnedByDestination[s] ?? 0;
    return record;
  });
  return { columns, records };
}
