import type { CaseEventOf } from '../../contracts/index.ts';
import { daysBetween, FactTable, type Fact } from '../facts.ts';
import { caseIdOf, isCaseStream, parseJson, Table, type Value } from '../tables.ts';
import type { Db, ReadModel } from '../types.ts';
import { passportValidUntil } from './cases.ts';
import { unreadByOrigin } from './messages.ts';
import { prepared } from './query.ts';

/**
 * One row per readmission request (a case may make several, one after another). Serves the
 * liaison's inbox and the request figures of the readmission-obstacles report. Holds the
 * request's own facts only: nothing about protection, health, holds or incidents.
 */
export interface RequestRow {
  [column: string]: Value;
  case_id: string;
  /** The case's human reference; null before references. */
  case_reference: string | null;
  request_id: string;
  origin_state: string;
  destination_state: string;
  agreement_id: string;
  procedure: string;
  submitted_on: string;
  initial_reply_due_on: string;
  reply_due_on: string;
  acknowledged_on: string | null;
  extension_days: number | null;
  /** pending | accepted | deemed-accepted | rejected */
  status: string;
  /** The date of an explicit answer (accepted or rejected). */
  answered_on: string | null;
  deemed_on: string | null;
  rejection_reason: string | null;
  transfer_by: string | null;
  td_due_on: string | null;
  td_issued_on: string | null;
  passport_valid_until: string | null;
  /** The case closed (for whatever reason; the reason is not the origin State's business). */
  case_closed: number;
  case_closed_on: string | null;
}

interface RequestCaseRow {
  [column: string]: Value;
  case_id: string;
  case_reference: string | null;
  origin_state: string;
  destination_state: string;
  current_request_id: string | null;
  /** JSON list of every request of the case (closing the case marks them all). */
  request_ids: string;
  closed: number;
  closed_on: string | null;
}

/** The report's running counts of requests (facts.ts), by submission date. */
export const requestFacts = new FactTable('rm_request_facts');

/**
 * What a request row counts for in the readmission-obstacles report. Figures that depend on
 * the day of the query ("overdue", "due") are facts with the due date as their value: the
 * report counts those whose date is before today.
 */
export function requestFactsOf(r: RequestRow): Fact[] {
  const facts: Fact[] = [];
  const fact = (metric: string, value = '') =>
    facts.push({ metric, originState: r.origin_state, agreementId: r.agreement_id, day: r.submitted_on, value });
  const closedOn = r.case_closed_on;
  fact('submitted');
  if (r.extension_days !== null) fact('extended');
  switch (r.status) {
    case 'pending':
      if (r.case_closed) fact('withdrawn');
      else fact('pending', r.reply_due_on); // overdue once that day has passed
      // Due (unanswered) once the deadline passed; a closed case stops the clock on its closing day.
      if (closedOn === null || r.reply_due_on < closedOn) fact('reply-due', r.reply_due_on);
      break;
    case 'deemed-accepted':
      fact('deemed');
      break;
    case 'accepted':
    case 'rejected':
      if (r.status === 'accepted') fact('accepted');
      else fact('rejected', r.rejection_reason ?? '');
      if (r.answered_on !== null) {
        fact('answered', String(daysBetween(r.submitted_on, r.answered_on)));
        if (r.answered_on <= r.reply_due_on) fact('answered-on-time');
      }
      break;
  }
  if (r.status === 'accepted' || r.status === 'deemed-accepted') {
    if (r.td_issued_on !== null) {
      fact('td-issued');
      if (r.td_due_on !== null && r.td_issued_on <= r.td_due_on) fact('td-issued-on-time');
    } else if (
      r.td_due_on !== null &&
      !(r.passport_valid_until !== null && r.passport_valid_until >= r.td_due_on) &&
      (closedOn === null || r.td_due_on < closedOn)
    ) {
      fact('td-due', r.td_due_on); // overdue once that day has passed
    }
  }
  return facts;
}

export const requestsTable = new Table<RequestRow>(
  {
    name: 'rm_requests',
    columns: {
      case_id: 'TEXT NOT NULL',
      case_reference: 'TEXT',
      request_id: 'TEXT NOT NULL',
      origin_state: 'TEXT NOT NULL',
      destination_state: 'TEXT NOT NULL',
      agreement_id: 'TEXT NOT NULL',
      procedure: 'TEXT NOT NULL',
      submitted_on: 'TEXT NOT NULL',
      initial_reply_due_on: 'TEXT NOT NULL',
      reply_due_on: 'TEXT NOT NULL',
      acknowledged_on: 'TEXT',
      extension_days: 'INTEGER',
      status: 'TEXT NOT NULL',
      answered_on: 'TEXT',
      deemed_on: 'TEXT',
      rejection_reason: 'TEXT',
      transfer_by: 'TEXT',
      td_due_on: 'TEXT',
      td_issued_on: 'TEXT',
      passport_valid_until: 'TEXT',
      case_closed: 'INTEGER NOT NULL',
      case_closed_on: 'TEXT',
    },
    primaryKey: ['case_id', 'request_id'],
    indexes: { rm_requests_inbox: 'origin_state, reply_due_on, case_id, request_id' },
  },
  requestFacts.of(requestFactsOf),
);

const requestCasesTable = new Table<RequestCaseRow>({
  name: 'rm_request_cases',
  columns: {
    case_id: 'TEXT NOT NULL',
    case_reference: 'TEXT',
    origin_state: 'TEXT NOT NULL',
    destination_state: 'TEXT NOT NULL',
    current_request_id: 'TEXT',
    request_ids: 'TEXT NOT NULL',
    closed: 'INTEGER NOT NULL',
    closed_on: 'TEXT',
  },
  primaryKey: ['case_id'],
});

export const requestsModel: ReadModel = {
  name: 'requests',
  version: 3,
  tables: [requestsTable.name, requestCasesTable.name, requestFacts.name],
  setup(db) {
    requestsTable.setup(db);
    requestCasesTable.setup(db);
    requestFacts.setup(db);
  },
  apply(db, e) {
    if (!isCaseStream(e.streamId)) return;
    const caseId = caseIdOf(e.streamId);
    if (e.type === 'CaseOpened') {
      const d = e.data as CaseEventOf<'CaseOpened'>['data'];
      requestCasesTable.put(db, {
        case_id: caseId,
        case_reference: d.reference ?? null,
        origin_state: d.originState,
        destination_state: d.destinationState,
        current_request_id: null,
        request_ids: '[]',
        closed: 0,
        closed_on: null,
      });
      return;
    }
    if (!REQUEST_EVENTS.has(e.type)) return;
    const c = requestCasesTable.get(db, caseId);
    if (c === undefined) return;
    if (e.type === 'ReadmissionRequestSubmitted') {
      const d = e.data as CaseEventOf<'ReadmissionRequestSubmitted'>['data'];
      requestsTable.put(db, {
        case_id: caseId,
        case_reference: c.case_reference,
        request_id: d.requestId,
        origin_state: c.origin_state,
        destination_state: c.destination_state,
        agreement_id: d.agreementId,
        procedure: d.procedure,
        submitted_on: d.submittedOn,
        initial_reply_due_on: d.replyDueOn,
        reply_due_on: d.replyDueOn,
        acknowledged_on: null,
        extension_days: null,
        status: 'pending',
        answered_on: null,
        deemed_on: null,
        rejection_reason: null,
        transfer_by: null,
        td_due_on: null,
        td_issued_on: null,
        passport_valid_until: passportValidUntil(d.evidence),
        case_closed: c.closed,
        case_closed_on: c.closed_on,
      });
      const ids = parseJson<string[]>(c.request_ids, []);
      if (!ids.includes(d.requestId)) ids.push(d.requestId);
      requestCasesTable.put(db, { ...c, current_request_id: d.requestId, request_ids: JSON.stringify(ids) });
      return;
    }
    if (e.type === 'CaseClosed') {
      if (c.closed) return;
      const on = (e.data as CaseEventOf<'CaseClosed'>['data']).closedOn;
      requestCasesTable.put(db, { ...c, closed: 1, closed_on: on });
      for (const requestId of parseJson<string[]>(c.request_ids, [])) {
        const r = requestsTable.get(db, caseId, requestId);
        if (r !== undefined) requestsTable.put(db, { ...r, case_closed: 1, case_closed_on: on });
      }
      return;
    }
    // Answers name their request; a travel document goes with the request in force.
    const requestId = (e.data as { requestId?: string }).requestId ?? c.current_request_id;
    if (requestId === null) return;
    const r = requestsTable.get(db, caseId, requestId);
    if (r === undefined) return;
    const next = evolveRequest(r, e.type, e.data);
    if (next !== r) requestsTable.put(db, next);
  },
};

const REQUEST_EVENTS = new Set([
  'ReadmissionRequestSubmitted',
  'ReadmissionRequestAcknowledged',
  'ReadmissionReplyExtended',
  'ReadmissionAccepted',
  'ReadmissionDeemedAccepted',
  'ReadmissionRejected',
  'TravelDocumentIssued',
  'CaseClosed',
]);

function evolveRequest(r: RequestRow, type: string, data: unknown): RequestRow {
  switch (type) {
    case 'ReadmissionRequestAcknowledged':
      return { ...r, acknowledged_on: (data as CaseEventOf<'ReadmissionRequestAcknowledged'>['data']).receivedOn };
    case 'ReadmissionReplyExtended': {
      const d = data as CaseEventOf<'ReadmissionReplyExtended'>['data'];
      return { ...r, extension_days: (r.extension_days ?? 0) + d.days, reply_due_on: d.replyDueOn };
    }
    case 'ReadmissionAccepted': {
      const d = data as CaseEventOf<'ReadmissionAccepted'>['data'];
      return {
        ...r,
        status: 'accepted',
        answered_on: d.acceptedOn,
        transfer_by: d.transferBy,
        td_due_on: d.travelDocumentDueOn,
      };
    }
    case 'ReadmissionDeemedAccepted': {
      const d = data as CaseEventOf<'ReadmissionDeemedAccepted'>['data'];
      return {
        ...r,
        status: 'deemed-accepted',
        deemed_on: d.deemedOn,
        transfer_by: d.transferBy,
        td_due_on: d.travelDocumentDueOn,
      };
    }
    case 'ReadmissionRejected': {
      const d = data as CaseEventOf<'ReadmissionRejected'>['data'];
      return { ...r, status: 'rejected', answered_on: d.rejectedOn, rejection_reason: d.reason };
    }
    case 'TravelDocumentIssued':
      return r.td_issued_on === null
        ? { ...r, td_issued_on: (data as CaseEventOf<'TravelDocumentIssued'>['data']).issuedOn }
        : r;
    default:
      return r;
  }
}

// ---------------------------------------------------------------------------------------
// Queries

export type InboxStatus = 'pending' | 'accepted' | 'rejected' | 'all';

export interface InboxItem {
  caseId: string;
  reference: string | null;
  requestId: string;
  /** pending | accepted | deemed-accepted | rejected | withdrawn (the case closed unanswered) */
  status: string;
  procedure: string;
  destinationState: string;
  submittedOn: string;
  acknowledgedOn: string | null;
  replyDueOn: string;
  overdue: boolean;
  extensionDays: number | null;
  answeredOn: string | null;
  travelDocumentDueOn: string | null;
  travelDocumentIssuedOn: string | null;
  /** Messages about the request from the destination State the liaison has not read. */
  unreadMessages: number;
}

const pendingNow = (r: RequestRow): boolean => r.status === 'pending' && !r.case_closed;

export function inbox(
  db: Db,
  f: {
    originState: string;
    status: InboxStatus;
    today: string;
    limit: number;
    after?: readonly [string, string, string] | undefined;
  },
): { items: InboxItem[]; next: [string, string, string] | null } {
  const where = ['origin_state = @origin'];
  if (f.status === 'pending') where.push(`status = 'pending' AND case_closed = 0`);
  if (f.status === 'accepted') where.push(`status IN ('accepted', 'deemed-accepted')`);
  if (f.status === 'rejected') where.push(`status = 'rejected'`);
  if (f.after !== undefined) where.push('(reply_due_on, case_id, request_id) > (@a, @b, @c)');
  const rows = prepared(
    db,
    `SELECT * FROM rm_requests WHERE ${where.join(' AND ')} ORDER BY reply_due_on, case_id, request_id LIMIT @limit`,
  ).all({
    origin: f.originState,
    a: f.after?.[0] ?? null,
    b: f.after?.[1] ?? null,
    c: f.after?.[2] ?? null,
    limit: f.limit + 1,
  }) as RequestRow[];
  const more = rows.length > f.limit;
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  const unread = unreadByOrigin(
    db,
    page.map((r) => r.case_id),
  );
  return {
    items: page.map((r) => ({
      caseId: r.case_id,
      reference: r.case_reference,
      requestId: r.request_id,
      status: r.status === 'pending' && r.case_closed ? 'withdrawn' : r.status,
      procedure: r.procedure,
      destinationState: r.destination_state,
      submittedOn: r.submitted_on,
      acknowledgedOn: r.acknowledged_on,
      replyDueOn: r.reply_due_on,
      overdue: pendingNow(r) && r.reply_due_on < f.today,
      extensionDays: r.extension_days,
      answeredOn: r.answered_on ?? r.deemed_on,
      travelDocumentDueOn: r.td_due_on,
      travelDocumentIssuedOn: r.td_issued_on,
      unreadMessages: unread.get(`${r.case_id} ${r.request_id}`) ?? 0,
    })),
    next: more && last ? [last.reply_due_on, last.case_id, last.request_id] : null,
  };
}
