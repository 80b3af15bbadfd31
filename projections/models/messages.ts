import type { ThreadEvent } from '../../contracts/index.ts';
import { Table, type Value } from '../tables.ts';
import type { Db, ReadModel } from '../types.ts';
import { prepared } from './query.ts';

/**
 * Unread messages per readmission request and side (contracts/messages.ts): counts only, from
 * the case's thread stream (`thread-<caseId>`), never a text. Serves `unreadMessages` in the
 * caseworker's worklist (messages from the origin State the destination has not read, summed
 * over the case's requests) and in the liaison's inbox (per request, the other way round).
 *
 * A `MessagesRead` is appended at the revision its reader saw, so it covers every message of
 * the request before it in the stream: the side's read count becomes the other side's count.
 */
export interface ThreadRow {
  [column: string]: Value;
  case_id: string;
  request_id: string;
  from_destination: number;
  from_origin: number;
  /** Messages from the origin State the destination side had read. */
  destination_read: number;
  /** Messages from the destination State the origin side had read. */
  origin_read: number;
}

export const threadsTable = new Table<ThreadRow>({
  name: 'rm_threads',
  columns: {
    case_id: 'TEXT NOT NULL',
    request_id: 'TEXT NOT NULL',
    from_destination: 'INTEGER NOT NULL',
    from_origin: 'INTEGER NOT NULL',
    destination_read: 'INTEGER NOT NULL',
    origin_read: 'INTEGER NOT NULL',
  },
  primaryKey: ['case_id', 'request_id'],
});

const THREAD_PREFIX = 'thread-';

export function evolveThreadRow(row: ThreadRow, e: ThreadEvent): ThreadRow {
  switch (e.type) {
    case 'MessagePosted':
      return e.data.side === 'destination'
        ? { ...row, from_destination: row.from_destination + 1 }
        : { ...row, from_origin: row.from_origin + 1 };
    case 'MessagesRead':
      return e.data.side === 'destination'
        ? { ...row, destination_read: row.from_origin }
        : { ...row, origin_read: row.from_destination };
    default: {
      const unknownEvent: never = e;
      return unknownEvent;
    }
  }
}

export const messagesModel: ReadModel = {
  name: 'messages',
  version: 1,
  tables: [threadsTable.name],
  setup: (db) => threadsTable.setup(db),
  apply(db, e) {
    if (!e.streamId.startsWith(THREAD_PREFIX)) return;
    if (e.type !== 'MessagePosted' && e.type !== 'MessagesRead') return;
    const event = { type: e.type, data: e.data } as ThreadEvent;
    const caseId = e.streamId.slice(THREAD_PREFIX.length);
    const { requestId } = event.data;
    const before = threadsTable.get(db, caseId, requestId) ?? {
      case_id: caseId,
      request_id: requestId,
      from_destination: 0,
      from_origin: 0,
      destination_read: 0,
      origin_read: 0,
    };
    threadsTable.put(db, evolveThreadRow(before, event));
  },
};

// ---------------------------------------------------------------------------------------
// Queries (outside a batch: plain SQL)

/** Per case: messages from the origin State the destination State's caseworkers have not read. */
export function unreadByDestination(db: Db, caseIds: readonly string[]): Map<string, number> {
  if (caseIds.length === 0) return new Map();
  const rows = prepared(
    db,
    `SELECT case_id, SUM(from_origin - destination_read) AS unread FROM rm_threads
     WHERE case_id IN (SELECT value FROM json_each(?)) GROUP BY case_id`,
  ).all(JSON.stringify(caseIds)) as { case_id: string; unread: number }[];
  return new Map(rows.map((r) => [r.case_id, r.unread]));
}

/** Per request (`caseId requestId`): messages from the destination State the origin State's liaison has not read. */
export function unreadByOrigin(db: Db, caseIds: readonly string[]): Map<string, number> {
  if (caseIds.length === 0) return new Map();
  const rows = prepared(
    db,
    `SELECT case_id, request_id, from_destination - origin_read AS unread FROM rm_threads
     WHERE case_id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(caseIds)) as { case_id: string; request_id: string; unread: number }[];
  return new Map(rows.map((r) => [`${r.case_id} ${r.request_id}`, r.unread]));
}
