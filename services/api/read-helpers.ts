import type { Role } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import { ForbiddenError, InvalidInputError, ReadModelsBehindError } from '../commands/errors.ts';

/** Helpers of the read-model routes: role checks, read-your-writes, keyset cursors. */

/** How long a query with `minPosition` waits for the read models (api.md: at most 5 s). */
export const MIN_POSITION_WAIT_MS = 5_000;

export function requireRole(principal: Principal, roles: readonly Role[], what: string): void {
  if (!principal.roles.some((r) => roles.includes(r)))
    throw new ForbiddenError(`${what} is for ${roles.join(' and ')} roles.`);
}

/** The caller's State, required for caseworker and liaison lists. */
export function stateOf(principal: Principal): string {
  if (principal.state === undefined) throw new ForbiddenError('Your token names no State.');
  return principal.state;
}

export async function consistentWith(
  projections: { waitFor(position: number, timeoutMs: number): Promise<boolean> },
  minPosition: number | undefined,
): Promise<void> {
  if (minPosition === undefined) return;
  if (!(await projections.waitFor(minPosition, MIN_POSITION_WAIT_MS))) throw new ReadModelsBehindError(minPosition);
}

/**
 * Opaque keyset cursors: the sort key of the last item of a page, so the next page starts
 * right after it however the list changed in between. Clients must not rely on the shape.
 */
export const encodeKeyset = (key: readonly string[] | null): string | null =>
  key === null ? null : Buffer.from(JSON.stringify(['k1', ...key])).toString('base64url');

export function decodeKeyset<T extends readonly string[]>(
  cursor: string | undefined,
  length: T['length'],
): T | undefined {
  if (!cursor) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== 'k1' ||
    parsed.length !== length + 1 ||
    !parsed.every((v) => typeof v === 'string' && v.length <= 200)
  ) {
    throw new InvalidInputError([{ path: 'cursor', message: 'not a cursor from this list' }]);
  }
  return parsed.slice(1) as unknown as T;
}
