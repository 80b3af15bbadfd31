import type { EventMetadata } from '../../contracts/index.ts';
import type { StoredEvent } from '../event-store/port.ts';

/** A point of a case's record: every event at or before a global position, or recorded by an instant. */
export type AsOf = { kind: 'position'; position: number } | { kind: 'instant'; at: string };

/** `asOf` as the API takes it (already checked by `AsOfParam`): digits, an instant, or a date (its end, UTC). */
export function parseAsOf(raw: string): AsOf {
  if (/^\d+$/.test(raw)) return { kind: 'position', position: Number(raw) };
  if (/^\d{4}-\d{2}-\d{2}$/.test(raw)) return { kind: 'instant', at: `${raw}T23:59:59.999Z` };
  return { kind: 'instant', at: new Date(raw).toISOString() };
}

/** Whether a stored event was already part of the record at `asOf`. */
export function recordedBy(asOf: AsOf, stored: StoredEvent): boolean {
  if (asOf.kind === 'position') return stored.position <= asOf.position;
  const recordedAt = (stored.metadata as EventMetadata | null)?.recordedAt ?? stored.createdAt;
  return Date.parse(recordedAt) <= Date.parse(asOf.at);
}

/**
 * The clock of a view as of `asOf`: the instant itself, or for a position the time its last
 * event was recorded (deadlines and "overdue" are judged as they were then, not today).
 */
export function clockAt(asOf: AsOf, included: readonly StoredEvent[], now: Date): Date {
  if (asOf.kind === 'instant') return new Date(Math.min(Date.parse(asOf.at), now.getTime()));
  const last = included.at(-1);
  if (last === undefined) return now;
  const m = last.metadata as EventMetadata | null;
  return new Date(m?.recordedAt ?? last.createdAt);
}
