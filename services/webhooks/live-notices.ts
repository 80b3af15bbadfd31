import type { LiveNotice } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import { CASE_STREAM_PREFIX, type EventStore, type Subscription } from '../event-store/port.ts';
import { caseIdOf, type CaseStates, type CaseStatesLookup } from './case-scope.ts';

/**
 * What a liaison hears of: the events of a request addressed to its State (its inbox), which
 * exist only once a request was made. Not the closure: a case closed before any request would
 * tell the origin State of a case it may not know of. Nothing about protection, health,
 * holds, incidents or removals planned: the same allow-list spirit as the liaison view.
 */
const LIAISON_EVENTS = new Set([
  'ReadmissionRequestSubmitted',
  'ReadmissionRequestAcknowledged',
  'IdentificationInterviewRequested',
  'IdentificationInterviewRecorded',
  'ReadmissionReplyExtended',
  'ReadmissionAccepted',
  'ReadmissionDeemedAccepted',
  'ReadmissionRejected',
  'TravelDocumentIssued',
  'ArrivalConfirmed',
]);

/** The roles the stream serves: those with a worklist, an inbox or monitoring pages. */
export const LIVE_ROLES = ['caseworker', 'liaison', 'monitor'] as const;

/**
 * Whether a caller hears of an event, scoped as the read models are: a caseworker its own
 * State's cases, a liaison the requests addressed to its State, a monitor every case.
 */
export function hearsOf(principal: Principal, type: string, states: CaseStates): boolean {
  return principal.roles.some((role) => {
    switch (role) {
      case 'caseworker':
        return principal.state === states.destinationState;
      case 'liaison':
        return principal.state === states.originState && LIAISON_EVENTS.has(type);
      case 'monitor':
        return true;
      default:
        return false;
    }
  });
}

type Listener = { principal: Principal; send: (notice: LiveNotice) => void };

/**
 * One live subscription to the log for every open stream of this process: started when the
 * first client connects (from the head: a notice says "look again", history is the read
 * models' job), closed when the last one leaves.
 */
export class LiveNotices {
  readonly #listeners = new Set<Listener>();
  #subscription: Subscription | undefined;
  #running: Promise<void> | undefined;
  #closed = false;

  constructor(
    private readonly store: EventStore,
    private readonly states: CaseStatesLookup,
  ) {}

  /** Adds a listener; answers the function that removes it. */
  async listen(principal: Principal, send: (notice: LiveNotice) => void): Promise<() => void> {
    const listener = { principal, send };
    this.#listeners.add(listener);
    await this.#ensureFollowing();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) void this.#subscription?.close();
    };
  }

  listeners(): number {
    return this.#listeners.size;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    await this.#subscription?.close();
    await this.#running;
  }

  async #ensureFollowing(): Promise<void> {
    if (this.#running || this.#closed) return;
    const after = await this.store.headPosition();
    if (!this.#running && !this.#closed && this.#listeners.size > 0) this.#running = this.#follow(after);
  }

  async #follow(after: number): Promise<void> {
    const subscription = this.store.subscribe({ after, streamPrefixes: [CASE_STREAM_PREFIX] });
    this.#subscription = subscription;
    try {
      for await (const stored of subscription) {
        if (this.#listeners.size === 0) break;
        this.states.remember(stored);
        const caseId = caseIdOf(stored);
        const states = caseId === undefined ? undefined : await this.states.of(caseId);
        if (caseId === undefined || !states) continue;
        const notice: LiveNotice = { position: stored.position, caseId, type: stored.type };
        for (const l of this.#listeners) if (hearsOf(l.principal, stored.type, states)) l.send(notice);
      }
    } catch {
      // The store dropped the subscription (an EventStoreDB reconnect): follow again below.
    } finally {
      await subscription.close();
      this.#subscription = undefined;
      this.#running = undefined;
    }
    // A client came while the last one was leaving, or the store dropped us: follow again.
    if (this.#listeners.size > 0) await this.#ensureFollowing();
  }
}
