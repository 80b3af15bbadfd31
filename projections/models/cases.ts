import type { CaseEventOf, CaseStatus } from '../../contracts/index.ts';
import { nextStage, STAGE_EVENTS } from '../../domain/index.ts';
import { caseIdOf, flag, isCaseStream, parseJson, Table, type Value } from '../tables.ts';
import type { Db, ProjectionEvent, ReadModel } from '../types.ts';
import { unreadByDestination } from './messages.ts';
import { prepared } from './query.ts';

/**
 * One row per case: its status, the deadlines that run, open obstacles and holds. Serves the
 * caseworker's worklist and the deadline service's "what is due". Stores due dates, never
 * "overdue": that depends on the day of the query. No personal data.
 */
export interface CaseRow {
  [column: string]: Value;
  case_id: string;
  /** The human reference (`DE-2026-000123`); null for cases opened before references. */
  reference: string | null;
  destination_state: string;
  origin_state: string;
  status: string;
  opened_on: string;
  closed_on: string | null;
  outcome: string | null;
  /** The end of a voluntary-departure period still running. */
  vd_ends_on: string | null;
  request_id: string | null;
  request_status: string | null;
  reply_due_on: string | null;
  silence_consent: number;
  transfer_by: string | null;
  td_due_on: string | null;
  passport_valid_until: string | null;
  td_issued: number;
  td_delay_auto: number;
  open_claims: number;
  postponed: number;
  absconded: number;
  /** JSON `[[obstacleId, type], …]` of the open obstacles, in opening order. */
  open_obstacles: string;
  next_kind: string | null;
  next_due_on: string | null;
  /** `next_due_on`, or the far future: keeps "no deadline" last in an index. */
  sort_due: string;
  /** The date after which the deadline service has something to turn into events. */
  due_check_on: string | null;
  /** Whether the personal data were erased (so retention leaves the case alone). */
  erased: number;
}

const NO_DEADLINE = '9999-12-31';

export const casesTable = new Table<CaseRow>({
  name: 'rm_cases',
  columns: {
    case_id: 'TEXT NOT NULL',
    reference: 'TEXT',
    destination_state: 'TEXT NOT NULL',
    origin_state: 'TEXT NOT NULL',
    status: 'TEXT NOT NULL',
    opened_on: 'TEXT NOT NULL',
    closed_on: 'TEXT',
    outcome: 'TEXT',
    vd_ends_on: 'TEXT',
    request_id: 'TEXT',
    request_status: 'TEXT',
    reply_due_on: 'TEXT',
    silence_consent: 'INTEGER NOT NULL',
    transfer_by: 'TEXT',
    td_due_on: 'TEXT',
    passport_valid_until: 'TEXT',
    td_issued: 'INTEGER NOT NULL',
    td_delay_auto: 'INTEGER NOT NULL',
    open_claims: 'INTEGER NOT NULL',
    postponed: 'INTEGER NOT NULL',
    absconded: 'INTEGER NOT NULL',
    open_obstacles: 'TEXT NOT NULL',
    next_kind: 'TEXT',
    next_due_on: 'TEXT',
    sort_due: 'TEXT NOT NULL',
    due_check_on: 'TEXT',
    erased: 'INTEGER NOT NULL',
  },
  primaryKey: ['case_id'],
  indexes: {
    rm_cases_worklist: 'destination_state, sort_due, case_id',
    rm_cases_due: 'due_check_on',
  },
});

const accepted = (status: string | null): boolean => status === 'accepted' || status === 'deemed-accepted';

/** The deadlines that run, as `deadlines()` in domain/views.ts lists them, the earliest first. */
export function runningDeadlines(r: CaseRow): { kind: string; dueOn: string }[] {
  if (r.status === 'closed') return [];
  const list: { kind: string; dueOn: string }[] = [];
  const add = (kind: string, dueOn: string | null) => {
    if (dueOn !== null) list.push({ kind, dueOn });
  };
  add('voluntary-departure-ends', r.vd_ends_on);
  if (r.request_status === 'pending') add('readmission-reply', r.reply_due_on);
  if (accepted(r.request_status)) {
    if (!r.td_issued) add('travel-document', r.td_due_on);
    if (r.status !== 'departed') add('transfer', r.transfer_by);
  }
  return list.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}

/**
 * The first date the deadline service must look at the case: the conditions of
 * `decideElapsedDeadlines` (domain/decide.ts), as due dates. Something is due once today is
 * after it.
 */
export function dueCheckOn(r: CaseRow): string | null {
  if (r.status === 'closed') return null;
  const obstacles = r.open_obstacles === '[]' ? [] : parseJson<[string, string][]>(r.open_obstacles, []);
  const candidates: string[] = [];
  if (r.request_status === 'pending' && r.reply_due_on !== null) {
    if (r.silence_consent || !obstacles.some(([, type]) => type === 'no-reply')) candidates.push(r.reply_due_on);
  }
  if (accepted(r.request_status) && r.td_due_on !== null && !r.td_issued && !r.td_delay_auto) {
    // A passport valid on the day stands in for the document: due once both dates passed.
    const p = r.passport_valid_until;
    candidates.push(p !== null && p > r.td_due_on ? p : r.td_due_on);
  }
  if (r.vd_ends_on !== null) candidates.push(r.vd_ends_on);
  return candidates.length === 0 ? null : candidates.sort()[0]!;
}

/** Fills in the derived columns of `r`, a fresh copy (changed in place: no second copy per event). */
function derive(r: CaseRow): CaseRow {
  const next = runningDeadlines(r)[0];
  r.next_kind = next?.kind ?? null;
  r.next_due_on = next?.dueOn ?? null;
  r.sort_due = next?.dueOn ?? NO_DEADLINE;
  r.due_check_on = dueCheckOn(r);
  return r;
}

/** The fold: the next row after one event (undefined: no row, nothing to store). */
export function evolveCase(row: CaseRow | undefined, e: ProjectionEvent): CaseRow | undefined {
  if (e.type === 'CaseOpened') {
    const d = e.data as CaseEventOf<'CaseOpened'>['data'];
    return derive({
      case_id: caseIdOf(e.streamId),
      reference: d.reference ?? null,
      destination_state: d.destinationState,
      origin_state: d.originState,
      status: nextStage('new', e.type),
      opened_on: d.openedOn,
      closed_on: null,
      outcome: null,
      vd_ends_on: null,
      request_id: null,
      request_status: null,
      reply_due_on: null,
      silence_consent: 0,
      transfer_by: null,
      td_due_on: null,
      passport_valid_until: null,
      td_issued: 0,
      td_delay_auto: 0,
      open_claims: 0,
      postponed: 0,
      absconded: 0,
      open_obstacles: '[]',
      next_kind: null,
      next_due_on: null,
      sort_due: NO_DEADLINE,
      due_check_on: null,
      erased: 0,
    });
  }
  if (row === undefined) return undefined;
  const r: CaseRow = { ...row, status: nextStage(row.status as CaseStatus, e.type) };
  switch (e.type) {
    case 'VoluntaryDepartureGranted':
      r.vd_ends_on = (e.data as CaseEventOf<'VoluntaryDepartureGranted'>['data']).endsOn;
      break;
    case 'VoluntaryDeparturePeriodEnded':
      r.vd_ends_on = null;
      break;
    case 'ReadmissionRequestSubmitted': {
      const d = e.data as CaseEventOf<'ReadmissionRequestSubmitted'>['data'];
      r.request_id = d.requestId;
      r.request_status = 'pending';
      r.reply_due_on = d.replyDueOn;
      r.silence_consent = flag(d.terms.silenceMeansConsent);
      r.transfer_by = null;
      r.td_due_on = null;
      r.passport_valid_until = passportValidUntil(d.evidence);
      break;
    }
    case 'ReadmissionReplyExtended':
      r.reply_due_on = (e.data as CaseEventOf<'ReadmissionReplyExtended'>['data']).replyDueOn;
      break;
    case 'ReadmissionAccepted':
    case 'ReadmissionDeemedAccepted': {
      const d = e.data as CaseEventOf<'ReadmissionAccepted'>['data'];
      if (r.request_status !== null) {
        r.request_status = e.type === 'ReadmissionAccepted' ? 'accepted' : 'deemed-accepted';
        r.transfer_by = d.transferBy;
        r.td_due_on = d.travelDocumentDueOn;
      }
      break;
    }
    case 'ReadmissionRejected':
      if (r.request_status !== null) r.request_status = 'rejected';
      break;
    case 'TravelDocumentIssued':
      r.td_issued = 1;
      break;
    case 'ProtectionClaimLodged':
      r.open_claims += 1;
      break;
    case 'ProtectionClaimDecided':
      r.open_claims = Math.max(0, r.open_claims - 1);
      break;
    case 'RemovalPostponed':
      r.postponed = 1;
      break;
    case 'PostponementLifted':
      r.postponed = 0;
      break;
    case 'AbscondingRecorded':
      r.absconded = 1;
      break;
    case 'WhereaboutsKnown':
      r.absconded = 0;
      break;
    case 'ObstacleRecorded': {
      const d = e.data as CaseEventOf<'ObstacleRecorded'>['data'];
      r.open_obstacles = JSON.stringify([
        ...parseJson<[string, string][]>(r.open_obstacles, []),
        [d.obstacleId, d.type],
      ]);
      if (d.type === 'travel-document-delay' && d.automatic) r.td_delay_auto = 1;
      break;
    }
    case 'ObstacleResolved': {
      const id = (e.data as CaseEventOf<'ObstacleResolved'>['data']).obstacleId;
      r.open_obstacles = JSON.stringify(parseJson<[string, string][]>(r.open_obstacles, []).filter(([o]) => o !== id));
      break;
    }
    case 'PersonalDataErased':
      r.erased = 1;
      break;
    case 'CaseClosed': {
      const d = e.data as CaseEventOf<'CaseClosed'>['data'];
      // A second closing fact never rewrites the first outcome (the machine ignores it too).
      if (row.status !== 'closed') {
        r.outcome = d.outcome;
        r.closed_on = d.closedOn;
      }
      break;
    }
    default:
      if (r.status === row.status) return row; // nothing this model keeps changed
  }
  return derive(r);
}

export function passportValidUntil(
  evidence: readonly { type: string; validUntil?: string | undefined }[],
): string | null {
  let latest: string | null = null;
  for (const e of evidence) {
    if (e.type === 'passport' && typeof e.validUntil === 'string' && (latest === null || e.validUntil > latest))
      latest = e.validUntil;
  }
  return latest;
}

/** The events this model's fold looks at: the ones in `evolveCase` and those that change the status. */
const CASE_EVENTS: ReadonlySet<string> = new Set([
  ...STAGE_EVENTS,
  'VoluntaryDepartureGranted',
  'VoluntaryDeparturePeriodEnded',
  'ReadmissionRequestSubmitted',
  'ReadmissionReplyExtended',
  'ReadmissionAccepted',
  'ReadmissionDeemedAccepted',
  'ReadmissionRejected',
  'TravelDocumentIssued',
  'ProtectionClaimLodged',
  'ProtectionClaimDecided',
  'RemovalPostponed',
  'PostponementLifted',
  'AbscondingRecorded',
  'WhereaboutsKnown',
  'ObstacleRecorded',
  'ObstacleResolved',
  'CaseClosed',
  'PersonalDataErased',
]);

export const casesModel: ReadModel = {
  name: 'cases',
  version: 3,
  tables: [casesTable.name],
  setup: (db) => casesTable.setup(db),
  apply(db, e) {
    if (!isCaseStream(e.streamId) || !CASE_EVENTS.has(e.type)) return;
    const id = caseIdOf(e.streamId);
    const before = e.type === 'CaseOpened' ? undefined : casesTable.get(db, id);
    if (before === undefined && e.type !== 'CaseOpened') return;
    const after = evolveCase(before, e);
    if (after !== undefined && after !== before) casesTable.put(db, after);
  },
};

// ---------------------------------------------------------------------------------------
// Queries

export interface WorklistFilter {
  destinationState: string;
  /** A status, `all`, or undefined for every open case. */
  status?: string | undefined;
  originState?: string | undefined;
  overdue?: boolean | undefined;
  today: string;
  limit: number;
  after?: readonly [sortDue: string, caseId: string] | undefined;
}

export interface WorklistItem {
  caseId: string;
  reference: string | null;
  status: string;
  originState: string;
  openedOn: string;
  outcome: string | null;
  nextDeadline: { kind: string; dueOn: string } | null;
  overdue: boolean;
  openObstacles: string[];
  holds: string[];
  /** Messages from the origin State the destination State has not read (all the case's requests). */
  unreadMessages: number;
}

export function worklist(db: Db, f: WorklistFilter): { items: WorklistItem[]; next: [string, string] | null } {
  const where = ['destination_state = @state'];
  if (f.status === undefined) where.push(`status <> 'closed'`);
  else if (f.status !== 'all') where.push('status = @status');
  if (f.originState !== undefined) where.push('origin_state = @origin');
  if (f.overdue === true) where.push('next_due_on < @today');
  if (f.overdue === false) where.push('(next_due_on IS NULL OR next_due_on >= @today)');
  if (f.after !== undefined) where.push('(sort_due, case_id) > (@afterDue, @afterId)');
  const sql = `SELECT * FROM rm_cases WHERE ${where.join(' AND ')} ORDER BY sort_due, case_id LIMIT @limit`;
  const rows = prepared(db, sql).all({
    state: f.destinationState,
    status: f.status ?? null,
    origin: f.originState ?? null,
    today: f.today,
    afterDue: f.after?.[0] ?? null,
    afterId: f.after?.[1] ?? null,
    limit: f.limit + 1,
  }) as CaseRow[];
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const unread = unreadByDestination(
    db,
    page.map((r) => r.case_id),
  );
  return {
    items: page.map((r) => ({ ...toWorklistItem(r, f.today), unreadMessages: unread.get(r.case_id) ?? 0 })),
    next: more && last ? [last.sort_due, last.case_id] : null,
  };
}

export function toWorklistItem(r: CaseRow, today: string): Omit<WorklistItem, 'unreadMessages'> {
  const holds: string[] = [];
  if (r.open_claims > 0) holds.push('protection-claim');
  if (r.postponed) holds.push('postponement');
  if (r.absconded) holds.push('absconding');
  return {
    caseId: r.case_id,
    reference: r.reference,
    status: r.status,
    originState: r.origin_state,
    openedOn: r.opened_on,
    outcome: r.outcome,
    nextDeadline: r.next_kind !== null && r.next_due_on !== null ? { kind: r.next_kind, dueOn: r.next_due_on } : null,
    overdue: r.next_due_on !== null && r.next_due_on < today,
    openObstacles: parseJson<[string, string][]>(r.open_obstacles, []).map(([, type]) => type),
    holds,
  };
}

/** Cases with a deadline that elapsed by `asOf` (something is due once `asOf` is after its date). */
/** Closed cases whose retention period ended: closed before the date, not yet erased. */
export function casesDueForErasure(db: Db, closedBefore: string): string[] {
  return (
    prepared(
      db,
      `SELECT case_id FROM rm_cases WHERE status = 'closed' AND erased = 0 AND closed_on < ? ORDER BY closed_on, case_id`,
    ).all(closedBefore) as { case_id: string }[]
  ).map((r) => r.case_id);
}

export function casesWithDeadlinesDue(db: Db, asOf: string): string[] {
  return (
    prepared(db, `SELECT case_id FROM rm_cases WHERE due_check_on < ? ORDER BY due_check_on, case_id`).all(asOf) as {
      case_id: string;
    }[]
  ).map((r) => r.case_id);
}
