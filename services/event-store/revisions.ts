import type { ExpectedRevision, NewEvent } from './port.ts';

/** The revision a stream has before its first event. */
export const NO_STREAM_REVISION = -1;

/** Rejects expectations no store could ever meet, so a caller bug fails loudly, not as a conflict. */
export function assertValidExpected(expected: ExpectedRevision): void {
  if (expected === 'any' || expected === 'no-stream') return;
  if (!Number.isSafeInteger(expected) || expected < NO_STREAM_REVISION) {
    throw new RangeError(`expected revision must be 'any', 'no-stream' or an integer >= -1, got ${String(expected)}`);
  }
}

/** Does a stream at `actual` (-1: none) satisfy the expectation? A numeric -1 means 'no-stream'. */
export function satisfies(expected: ExpectedRevision, actual: number): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return actual === NO_STREAM_REVISION;
  return actual === expected;
}

/** Stream filter shared by both adapters: absent or empty prefixes match every stream. */
export function matchesPrefixes(streamId: string, prefixes: readonly string[] | undefined): boolean {
  if (prefixes === undefined || prefixes.length === 0) return true;
  return prefixes.some((p) => streamId.startsWith(p));
}

/** Normalise an optional `after` to a non-negative integer position. */
export function normaliseAfter(after: number | undefined): number {
  if (after === undefined) return 0;
  if (!Number.isSafeInteger(after) || after < 0) throw new RangeError(`after must be an integer >= 0, got ${after}`);
  return after;
}

export function normaliseLimit(limit: number | undefined, fallback: number): number {
  if (limit === undefined) return fallback;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be an integer >= 1, got ${limit}`);
  return limit;
}

/** Caller mistakes, checked the same way by both adapters before anything is sent. */
export function validateAppend(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): void {
  if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('streamId must be a non-empty string');
  assertValidExpected(expected);
  const ids = new Set<string>();
  for (const event of events) {
    if (typeof event.id !== 'string' || event.id.length === 0) throw new TypeError('every event needs an id');
    if (ids.has(event.id)) throw new TypeError(`event id ${event.id} appears twice in one append`);
    ids.add(event.id);
  }
}
