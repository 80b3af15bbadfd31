import type { CaseEvent, EventMetadata } from '../../contracts/index.ts';
import { evolve, initialState, type CaseState } from '../../domain/index.ts';
import { returnCaseStream, type EventStore, type StoredEvent } from '../event-store/port.ts';
import { recordedBy, type AsOf } from './as-of.ts';
import type { EventCodec } from './event-codec.ts';

export interface LoadedCase {
  state: CaseState;
  /** The stream's revision (-1: no such case). */
  revision: number;
  /** The events recorded under an Idempotency-Key, in order: what a repeat answers from. */
  keyed: readonly KeyedEvent[];
}

/** Of an event recorded under an Idempotency-Key, what answering a repeat needs (not the whole metadata: less to keep per cached case). */
export interface KeyedEvent {
  revision: number;
  idempotencyKey: string;
  sub: string;
  requestHash: string | undefined;
  statusAfter: string | undefined;
}

export const keyedEvent = (revision: number, m: EventMetadata): KeyedEvent[] =>
  m.idempotencyKey === undefined
    ? []
    : [
        {
          revision,
          idempotencyKey: m.idempotencyKey,
          sub: m.actor.sub,
          requestHash: m.requestHash,
          statusAfter: m.statusAfter,
        },
      ];

/**
 * Loads a case by folding its stream, keeping the folded state of recently used cases so a
 * command reads only the events appended since (a cache keyed by revision, never stale:
 * the append's expected revision catches anything the cache missed).
 *
 * While no one else has written to the store (`othersWrites()` unchanged since the case was
 * last read), the cached case is the whole stream: every append this process makes to a case
 * goes through `CaseCommands`, which remembers it here. Then a load reads nothing at all.
 */
export class CaseRepository {
  private readonly cache = new Map<string, LoadedCase>();
  /** For each cached case: `othersWrites()` as it was when the stream was last read for it. */
  private readonly seen = new WeakMap<LoadedCase, number>();
  /** Loads, and how many found the case's folded state cached (for the benchmark and metrics). */
  readonly stats = { loads: 0, cached: 0 };

  constructor(
    private readonly store: EventStore,
    private readonly codec: EventCodec,
    private readonly maxCached = 5_000,
  ) {}

  async load(caseId: string): Promise<LoadedCase> {
    const cached = this.cache.get(caseId);
    this.stats.loads += 1;
    if (cached) this.stats.cached += 1;
    // Read before the stream, so a write landing in between shows as a change next time.
    const othersWrites = this.store.othersWrites?.();
    if (cached && othersWrites !== undefined && this.seen.get(cached) === othersWrites) {
      this.touch(caseId, cached);
      return cached;
    }
    const from = cached ? cached.revision + 1 : 0;
    const stored = await this.store.readStream(returnCaseStream(caseId), from);
    if (cached && stored.some((e) => e.type === 'PersonalDataErased')) {
      // Erased elsewhere (the command line, another replica): drop what memory still holds.
      this.codec.evictKey(caseId);
      this.cache.delete(caseId);
      return this.load(caseId);
    }
    const loaded = this.foldInto(cached ?? { state: initialState(), revision: -1, keyed: [] }, stored);
    if (othersWrites !== undefined) this.seen.set(loaded, othersWrites);
    this.touch(caseId, loaded);
    return loaded;
  }

  /**
   * Keeps `loaded`, the case after events this process just appended to `basedOn` (a case this
   * repository loaded), so the next load needs no read. It is as fresh as `basedOn` was: had
   * anyone else written to the case since, the append would have failed.
   */
  remember(caseId: string, loaded: LoadedCase, basedOn?: LoadedCase): void {
    const othersWrites = basedOn === undefined ? undefined : this.seen.get(basedOn);
    if (othersWrites !== undefined) this.seen.set(loaded, othersWrites);
    this.touch(caseId, loaded);
  }

  /**
   * The case as it stood at `asOf`: its stream folded up to that point, never cached (the
   * present is what commands act on). `included` are the stored events the fold took.
   */
  async loadAsOf(caseId: string, asOf: AsOf): Promise<{ loaded: LoadedCase; included: StoredEvent[] }> {
    const stored = await this.store.readStream(returnCaseStream(caseId));
    const included = stored.filter((s) => recordedBy(asOf, s));
    return { loaded: this.foldInto({ state: initialState(), revision: -1, keyed: [] }, included), included };
  }

  private touch(caseId: string, loaded: LoadedCase): void {
    this.cache.delete(caseId); // re-insert: Map order is the LRU order
    this.cache.set(caseId, loaded);
    if (this.cache.size > this.maxCached) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }

  forget(caseId: string): void {
    this.cache.delete(caseId);
  }

  foldInto(base: LoadedCase, stored: readonly StoredEvent[]): LoadedCase {
    if (stored.length === 0) return base;
    let state = base.state;
    let keyed = base.keyed;
    for (const s of stored) {
      const { event, metadata } = this.codec.decode(s);
      state = evolve(state, event as CaseEvent);
      if (metadata.idempotencyKey !== undefined) keyed = [...keyed, ...keyedEvent(s.revision, metadata)];
    }
    return { state, revision: stored[stored.length - 1]!.revision, keyed };
  }
}
