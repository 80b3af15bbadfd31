import type { Role, ThreadEvent, ThreadSide } from '../contracts/index.ts';
import { mayKnowOf, readAccess, roleReaches, type Principal } from './access.ts';
import { isBlank } from './removal-rules.ts';
import type { RuleId } from './rules.ts';
import type { CaseData } from './state.ts';

/**
 * Messages between the two authorities about one readmission request (contracts/messages.ts).
 * Pure: who may read and write a request's thread, the fold of the thread stream, what a post
 * and a read append. The service (services/messages/) does the I/O.
 *
 * - Writers: the caseworkers of the case's destination State (side `destination`) and the
 *   liaison of the request's origin State (side `origin`). Monitors read every thread
 *   ("monitors see every safeguard record"), never write, and their reads mark nothing read.
 *   Analysts and bare admins do not read case records: 403 from the role alone.
 * - A case the caller may not know of, or a request the case never made, is a 404.
 */

/** The role that speaks for each side. */
export const SIDE_ROLE: Record<ThreadSide, 'caseworker' | 'liaison'> = { destination: 'caseworker', origin: 'liaison' };
const ROLE_SIDE: Partial<Record<Role, ThreadSide>> = { caseworker: 'destination', liaison: 'origin' };

type Scope = Pick<CaseData, 'destinationState' | 'originState' | 'requestCount'>;

/** The case made this request: ids are `q1…` up to the number of requests submitted. */
export const caseHasRequest = (c: Pick<CaseData, 'requestCount'>, requestId: string): boolean =>
  /^q[1-9]\d{0,5}$/.test(requestId) && Number(requestId.slice(1)) <= c.requestCount;

export type ThreadAccess =
  { ok: true; role: Role; side: ThreadSide | null } | { ok: false; status: 403 | 404; detail: string };

const THREAD_READERS: readonly Role[] = ['caseworker', 'liaison', 'monitor'];

/** Before the case is loaded: a role that reads no case record at all is a 403 whatever the id. */
export const readsThreads = (p: Principal): boolean => p.roles.some((r) => THREAD_READERS.includes(r));

/** Reading a request's thread: as the case view's reader (readAccess), the side it speaks for. */
export function threadReadAccess(p: Principal, c: Scope, requestId: string): ThreadAccess {
  if (!readsThreads(p)) return { ok: false, status: 403, detail: 'Your role does not read case records.' };
  const access = readAccess(p, c);
  if (!access.ok) return { ok: false, status: access.status, detail: 'No such case.' };
  if (!caseHasRequest(c, requestId)) return { ok: false, status: 404, detail: 'No such readmission request.' };
  return { ok: true, role: access.role, side: ROLE_SIDE[access.role] ?? null };
}

/** Writing to a request's thread: a caseworker of the destination State or the origin State's liaison. */
export function threadPostAccess(p: Principal, c: Scope, requestId: string): ThreadAccess {
  const role = (['caseworker', 'liaison'] as const).find((r) => p.roles.includes(r) && roleReaches(r, p, c));
  if (role === undefined) {
    return mayKnowOf(p, c)
      ? { ok: false, status: 403, detail: 'Only the two authorities write messages about a request.' }
      : { ok: false, status: 404, detail: 'No such case.' };
  }
  if (!caseHasRequest(c, requestId)) return { ok: false, status: 404, detail: 'No such readmission request.' };
  return { ok: true, role, side: ROLE_SIDE[role]! };
}

// ---------------------------------------------------------------------------------------
// The thread stream, folded

export interface ThreadMessage {
  messageId: string;
  requestId: string;
  side: ThreadSide;
  sentAt: string;
  /** Absent once the case's data key is destroyed (erasure). */
  text: string | undefined;
}

export interface Thread {
  /** Every message of the case, all requests, in stream order. */
  messages: ThreadMessage[];
  /** Per request and side: how many of the request's messages that side had read. */
  readCount: Record<string, Partial<Record<ThreadSide, number>>>;
}

export const emptyThread = (): Thread => ({ messages: [], readCount: {} });

export function evolveThread(t: Thread, e: ThreadEvent): Thread {
  switch (e.type) {
    case 'MessagePosted': {
      const { messageId, requestId, side, sentAt, text } = e.data;
      return { ...t, messages: [...t.messages, { messageId, requestId, side, sentAt, text }] };
    }
    case 'MessagesRead': {
      const { requestId, side } = e.data;
      const count = t.messages.filter((m) => m.requestId === requestId).length;
      return { ...t, readCount: { ...t.readCount, [requestId]: { ...t.readCount[requestId], [side]: count } } };
    }
    default: {
      const unknownEvent: never = e;
      return unknownEvent;
    }
  }
}

export const foldThread = (events: readonly ThreadEvent[]): Thread => events.reduce(evolveThread, emptyThread());

export const messagesOf = (t: Thread, requestId: string): ThreadMessage[] =>
  t.messages.filter((m) => m.requestId === requestId);

/** Messages of the other side that `side` has not read yet (its own are never unread). */
export function unreadFor(t: Thread, requestId: string, side: ThreadSide): number {
  const read = t.readCount[requestId]?.[side] ?? 0;
  return messagesOf(t, requestId)
    .slice(read)
    .filter((m) => m.side !== side).length;
}

// ---------------------------------------------------------------------------------------
// Deciding

export type ThreadDecision = { ok: true; events: ThreadEvent[] } | { ok: false; rules: RuleId[] };

/**
 * A post: refused on a closed case (`case-closed`: the request it is about is over), on a case
 * whose personal data were erased (`wrong-stage`: the text could not be kept), and for a text of
 * white space only (`reasons-required`, as for every other text). Every failing rule is listed.
 */
export function decidePostMessage(
  c: Pick<CaseData, 'outcome' | 'personalDataErased'>,
  t: Thread,
  post: { requestId: string; side: ThreadSide; text: string; now: Date },
): ThreadDecision {
  const rules: RuleId[] = [];
  if (c.outcome !== undefined) rules.push('case-closed');
  if (c.personalDataErased) rules.push('wrong-stage');
  if (isBlank(post.text)) rules.push('reasons-required');
  if (rules.length > 0) return { ok: false, rules };
  const messageId = `msg${t.messages.length + 1}`;
  return {
    ok: true,
    events: [
      {
        type: 'MessagePosted',
        data: {
          messageId,
          requestId: post.requestId,
          side: post.side,
          text: post.text,
          sentAt: post.now.toISOString(),
        },
      },
    ],
  };
}

/** A read by a side: marks the request's thread read when the other side wrote since its last read. */
export function decideMarkRead(t: Thread, requestId: string, side: ThreadSide): ThreadEvent[] {
  if (unreadFor(t, requestId, side) === 0) return [];
  const last = messagesOf(t, requestId).at(-1)!;
  return [{ type: 'MessagesRead', data: { requestId, side, upToMessageId: last.messageId } }];
}
