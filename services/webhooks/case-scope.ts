import type { EventCodec } from '../commands/event-codec.ts';
import { CASE_STREAM_PREFIX, returnCaseStream, type EventStore, type StoredEvent } from '../event-store/port.ts';

/** The two States of a case: who may hear of it (domain.md's scopes follow these). */
export interface CaseStates {
  destinationState: string;
  originState: string;
}

export const caseIdOf = (stored: StoredEvent): string | undefined =>
  stored.streamId.startsWith(CASE_STREAM_PREFIX) ? stored.streamId.slice(CASE_STREAM_PREFIX.length) : undefined;

/**
 * Which States a case belongs to, from its `CaseOpened` event (read without its personal
 * fields: the States are not personal data). Only `CaseOpened` carries them, so later events
 * look them up here; a bounded cache keeps the lookups off the store for busy cases.
 */
export class CaseStatesLookup {
  readonly #cache = new Map<string, CaseStates>();

  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    private readonly capacity = 10_000,
  ) {}

  /** Learns a case's States from its first event, when the caller has it at hand. */
  remember(stored: StoredEvent): void {
    const caseId = caseIdOf(stored);
    if (caseId === undefined || stored.type !== 'CaseOpened') return;
    const data = this.codec.decodeWithoutPersonalData(stored).event.data as Partial<CaseStates>;
    if (data.destinationState && data.originState) {
      this.#put(caseId, { destinationState: data.destinationState, originState: data.originState });
    }
  }

  async of(caseId: string): Promise<CaseStates | undefined> {
    const known = this.#cache.get(caseId);
    if (known) return known;
    const [first] = await this.store.readStream(returnCaseStream(caseId), 0);
    if (!first) return undefined;
    this.remember(first);
    return this.#cache.get(caseId);
  }

  #put(caseId: string, states: CaseStates): void {
    if (this.#cache.size >= this.capacity) {
      // Oldest first: a Map iterates in insertion order.
      const oldest = this.#cache.keys().next();
      if (!oldest.done) this.#cache.delete(oldest.value);
    }
    this.#cache.set(caseId, states);
  }
}
