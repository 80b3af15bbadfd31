import { randomUUID } from 'node:crypto';
import { caseReferenceStream, ConcurrencyError, type EventStore } from '../event-store/port.ts';

/**
 * Human case references, `DE-2026-000123`: the destination State, the year, and the number of
 * the case in that State's year. Unique across replicas because each number is an append to
 * the State's and year's counter stream at an expected revision: two replicas racing for one
 * number conflict, and the loser takes the next. The counter stream names the case each
 * number went to, so a number whose case then failed to open is a visible gap, never reused.
 */
export class CaseReferences {
  /** The last revision seen of each counter stream: a guess, corrected by a conflict. */
  private readonly last = new Map<string, number>();

  constructor(private readonly store: EventStore) {}

  async next(caseId: string, destinationState: string, now: Date): Promise<string> {
    const year = now.getUTCFullYear();
    const stream = caseReferenceStream(destinationState, year);
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
        if (!(error instanceof ConcurrencyError) || attempt >= 50) throw error;
        this.last.set(stream, error.actual);
      }
    }
  }
}

export const formatReference = (state: string, year: number, number: number): string =>
  `${state}-${year}-${String(number).padStart(6, '0')}`;
