import { randomUUID } from 'node:crypto';
import { caseReferenceStream, ConcurrencyError, type EventStore } from '../event-store/port.ts';
import { conflictBackoff } from './conflict-backoff.ts';
import { BusyError } from './errors.ts';
import { KeyedLock } from './keyed-lock.ts';

/** Tries to take a number before the opening is refused as busy (the waits add up to 1.5 s at most). */
const MAX_ATTEMPTS = 20;

/**
 * Human case references, `DE-2026-000123`: the destination State, the year, and the number of
 * the case in that State's year. Unique across replicas because each number is an append to
 * the State's and year's counter stream at an expected revision: two replicas racing for one
 * number conflict, and the loser takes the next. The counter stream names the case each
 * number went to, so a number whose case then failed to open is a visible gap, never reused.
 * In one process the openings of a State queue for their numbers; across replicas the loser of
 * a race waits a little before the next try, and one that still loses every try is told the
 * State's references are busy (503, Retry-After), with nothing recorded, rather than a 500.
 */
export class CaseReferences {
  /** The last revision seen of each counter stream: a guess, corrected by a conflict. */
  private readonly last = new Map<string, number>();

  /** Openings in one State take their numbers in turn in this process, so only other replicas conflict. */
  private readonly turns = new KeyedLock();

  constructor(private readonly store: EventStore) {}

  next(caseId: string, destinationState: string, now: Date): Promise<string> {
    const year = now.getUTCFullYear();
    const stream = caseReferenceStream(destinationState, year);
    return this.turns.run(stream, () => this.take(stream, caseId, destinationState, year, now));
  }

  private async take(stream: string, caseId: string, destinationState: string, year: number, now: Date) {
    for (let attempt = 1; ; attempt++) {
      const known = this.last.get(stream);
      const number = (known ?? -1) + 2; // revision r holds number r + 1
      const reference = formatReference(destinationState, year, number);
      try {
        const { revision } = await this.store.append(
          stream,
          [
            {
              id: randomUUID(),
              type: 'CaseReferenceGiven',
              data: { caseId, reference },
              metadata: { recordedAt: now.toISOString() },
            },
          ],
          known ?? 'no-stream',
        );
        this.last.set(stream, revision);
        return reference;
      } catch (error) {
        if (!(error instanceof ConcurrencyError)) throw error;
        if (attempt >= MAX_ATTEMPTS)
          throw new BusyError({ key: 'references-busy', values: { state: destinationState } });
        this.last.set(stream, error.actual);
        // The first retry is at once (the counter moved on by one, most likely); then wait.
        if (attempt > 1) await conflictBackoff(attempt);
      }
    }
  }
}

export const formatReference = (state: string, year: number, number: number): string =>
  `${state}-${year}-${String(number).padStart(6, '0')}`;
