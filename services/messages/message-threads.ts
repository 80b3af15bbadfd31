import type { EventMetadata, MessageItem, ThreadEvent, ThreadSide } from '../../contracts/index.ts';
import {
  decideMarkRead,
  decidePostMessage,
  foldThread,
  messagesOf,
  SIDE_ROLE,
  threadPostAccess,
  threadReadAccess,
  type Principal,
  type Thread,
  type ThreadAccess,
} from '../../domain/index.ts';
import type { CaseRepository } from '../commands/case-repository.ts';
import type { EventCodec } from '../commands/event-codec.ts';
import { conflictBackoff } from '../commands/conflict-backoff.ts';
import {
  BusyError,
  ForbiddenError,
  IdempotencyMismatchError,
  NotFoundError,
  RefusedError,
} from '../commands/errors.ts';
import { KeyedLock } from '../commands/keyed-lock.ts';
import { ConcurrencyError, messageThreadStream, type EventStore } from '../event-store/port.ts';
import type { CaseData } from '../../domain/index.ts';
import type { ReadAudit } from '../privacy/read-audit.ts';

export interface PostedMessageAnswer extends MessageItem {
  caseId: string;
  requestId: string;
  position: number;
}

export interface ThreadAnswer {
  caseId: string;
  requestId: string;
  items: MessageItem[];
  position: number;
}

const MAX_ATTEMPTS = 8;

/** Posts made under an Idempotency-Key, by `sub NUL key`: what a repeat answers from. */
type Keyed = Map<string, { messageId: string; requestHash: string | undefined; position: number }>;

/**
 * The messages of a case's readmission requests, in the case's thread stream
 * (`thread-<caseId>`), sealed with the case's data key by the codec. Posting and marking read
 * append there with the revision read, never to the case stream: a message never moves the
 * case's revision, so a caseworker's `If-Match` is not broken by the liaison writing.
 * Within this process posts to one case queue on a lock; a conflict with another replica is
 * decided again (a message depends on nothing but the thread's length).
 */
export class MessageThreads {
  readonly #lock = new KeyedLock();

  constructor(
    private readonly store: EventStore,
    private readonly repository: CaseRepository,
    private readonly codec: EventCodec,
    private readonly readAudit: ReadAudit,
    private readonly clock: () => Date,
  ) {}

  /**
   * A post. With an `Idempotency-Key`, a repeat by the same caller with the same body answers the
   * first post and appends nothing; the same key with another body is a 422 (as for commands).
   */
  async post(
    principal: Principal,
    caseId: string,
    requestId: string,
    text: string,
    idempotencyKey?: string,
  ): Promise<PostedMessageAnswer> {
    const c = await this.#case(caseId);
    const access = granted(threadPostAccess(principal, c, requestId));
    const side = access.side!;
    const requestHash = idempotencyKey === undefined ? undefined : this.codec.fingerprint(caseId, { requestId, text });
    return this.#lock.run(caseId, () =>
      this.#withRetry(async () => {
        const { thread, revision, keyed } = await this.#load(caseId);
        const first = idempotencyKey === undefined ? undefined : keyed.get(`${principal.sub}\u0000${idempotencyKey}`);
        if (first !== undefined) {
          const m = thread.messages.find((x) => x.messageId === first.messageId);
          if (first.requestHash !== requestHash || m === undefined || m.requestId !== requestId)
            throw new IdempotencyMismatchError();
          return { ...this.#item(c, m), caseId, requestId, position: first.position };
        }
        const now = this.clock();
        const decision = decidePostMessage(c, thread, { requestId, side, text, now });
        if (!decision.ok) throw new RefusedError(decision.rules);
        const keyedBy = idempotencyKey === undefined ? {} : { idempotencyKey, requestHash };
        const { position } = await this.#append(principal, access, caseId, decision.events, revision, now, keyedBy);
        const posted = decision.events[0]!.data as Extract<ThreadEvent, { type: 'MessagePosted' }>['data'];
        return { ...this.#item(c, { ...posted, text }), caseId, requestId, position };
      }),
    );
  }

  /** The request's thread, oldest first; a read by a side marks the thread read for that side. */
  async read(principal: Principal, caseId: string, requestId: string): Promise<ThreadAnswer> {
    const c = await this.#case(caseId, principal);
    const access = granted(threadReadAccess(principal, c, requestId));
    const { role, side } = access;
    await this.readAudit.record(principal, role, caseId, 'messages');
    const { thread, position } = await this.#lock.run(caseId, () =>
      this.#withRetry(async () => {
        const loaded = await this.#load(caseId);
        const events = side === null ? [] : decideMarkRead(loaded.thread, requestId, side);
        if (events.length === 0) return loaded;
        const appended = await this.#append(principal, access, caseId, events, loaded.revision, this.clock());
        return { ...loaded, position: appended.position };
      }),
    );
    const items = messagesOf(thread, requestId).map((m) => this.#item(c, m));
    return { caseId, requestId, items, position };
  }

  /** The case as access needs it; a role that reads no case record is a 403 before the case is looked up. */
  async #case(caseId: string, reader?: Principal): Promise<CaseData> {
    if (reader !== undefined && !reader.roles.some((r) => ['caseworker', 'liaison', 'monitor'].includes(r)))
      throw new ForbiddenError('Your role does not read case records.');
    const c = (await this.repository.load(caseId)).state.data;
    if (c === null) throw new NotFoundError();
    return c;
  }

  async #load(caseId: string): Promise<{ thread: Thread; revision: number; position: number; keyed: Keyed }> {
    const stored = await this.store.readStream(messageThreadStream(caseId));
    const keyed: Keyed = new Map();
    const events = stored.map((s) => {
      const { event, metadata } = this.codec.decode(s);
      if (event.type === 'MessagePosted' && metadata.idempotencyKey !== undefined) {
        const { messageId } = event.data as { messageId: string };
        const key = `${metadata.actor.sub}\u0000${metadata.idempotencyKey}`;
        keyed.set(key, { messageId, requestHash: metadata.requestHash, position: s.position });
      }
      return event as ThreadEvent;
    });
    return {
      keyed,
      thread: foldThread(events),
      revision: stored.length === 0 ? -1 : stored[stored.length - 1]!.revision,
      position: stored.length === 0 ? 0 : stored[stored.length - 1]!.position,
    };
  }

  async #append(
    principal: Principal,
    access: ThreadAccess & { ok: true },
    caseId: string,
    events: readonly ThreadEvent[],
    revision: number,
    now: Date,
    keyedBy: Pick<EventMetadata, 'idempotencyKey' | 'requestHash'> = {},
  ): Promise<{ revision: number; position: number }> {
    const at = now.toISOString();
    const metadata: Omit<EventMetadata, 'schemaVersion'> = {
      actor: { sub: principal.sub, role: access.role, ...(principal.state ? { state: principal.state } : {}) },
      recordedAt: at,
      occurredAt: at,
      ...keyedBy,
    };
    const encoded = events.map((e) => this.codec.encode(e, metadata, caseId));
    return this.store.append(messageThreadStream(caseId), encoded, revision === -1 ? 'no-stream' : revision);
  }

  async #withRetry<T>(attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (e) {
        if (!(e instanceof ConcurrencyError)) throw e;
        if (n >= MAX_ATTEMPTS) throw new BusyError();
        await conflictBackoff(n);
      }
    }
  }

  #item(
    c: CaseData,
    m: { messageId: string; side: ThreadSide; sentAt: string; text: string | undefined },
  ): MessageItem {
    const state = m.side === 'destination' ? c.destinationState : c.originState;
    return {
      messageId: m.messageId,
      from: { role: SIDE_ROLE[m.side], state },
      sentAt: m.sentAt,
      text: c.personalDataErased || typeof m.text !== 'string' ? null : m.text,
    };
  }
}

function granted(access: ThreadAccess): ThreadAccess & { ok: true } {
  if (access.ok) return access;
  throw access.status === 403 ? new ForbiddenError(access.detail) : new NotFoundError(access.detail);
}
