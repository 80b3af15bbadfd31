import {
  CancelledError,
  DeadlineExceededError,
  NotLeaderError,
  UnavailableError,
  type EventStoreDBClient,
} from '@eventstore/db-client';

/**
 * The part of `@eventstore/db-client`'s client that rrc uses. The adapters take this rather
 * than the whole class, so unit specs can hand them a fake that answers the way the real
 * client does (same error classes, same result shapes) where no server runs. Production code
 * always passes a real `EventStoreDBClient`.
 */
export type EsdbClient = Pick<
  EventStoreDBClient,
  'appendToStream' | 'readStream' | 'readAll' | 'subscribeToAll' | 'setStreamMetadata' | 'tombstoneStream' | 'dispose'
>;

/**
 * Failures where the request may or may not have reached the leader, and where the client has
 * already started reconnecting (it does so on exactly these: a leader change answers
 * NotLeader with the new leader's address; a node going away answers Unavailable or
 * Cancelled). Retrying is safe for appends because event ids make a retry a no-op.
 */
export function isTransient(error: unknown): boolean {
  return (
    error instanceof NotLeaderError ||
    error instanceof UnavailableError ||
    error instanceof CancelledError ||
    error instanceof DeadlineExceededError
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
