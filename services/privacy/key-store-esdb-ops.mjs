// The key-stream operations of the EventStoreDB key store (key-store-esdb.ts), in plain
// JavaScript because its worker (key-store-esdb-worker.mjs) runs them without the TypeScript
// loader; the main thread uses the same functions, so there is one implementation.
import {
  ANY,
  FORWARDS,
  NO_STREAM,
  START,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';

/** One stream per case key: outside every prefix rrc projects, so no read model sees one. */
export const KEY_STREAM_PREFIX = 'rrc-key-';
export const KEY_EVENT_TYPE = 'CaseKeyCreated';
export const keyStream = (caseId) => `${KEY_STREAM_PREFIX}${caseId}`;

/**
 * @param {Pick<import('@eventstore/db-client').EventStoreDBClient, 'appendToStream' | 'readStream' | 'tombstoneStream'>} client
 */
export function keyStreamOps(client) {
  /** `{ state: 'none' }`, `{ state: 'live', wrapped }` (base64) or `{ state: 'destroyed' }`. */
  async function read(caseId) {
    try {
      for await (const resolved of client.readStream(keyStream(caseId), {
        fromRevision: START,
        direction: FORWARDS,
        maxCount: 1,
        // A follower that has not yet seen a key made a moment ago would make us mint a second one.
        requiresLeader: true,
      })) {
        const wrapped = resolved.event?.data?.wrapped;
        if (typeof wrapped === 'string') return { state: 'live', wrapped };
      }
      return { state: 'none' };
    } catch (error) {
      if (error instanceof StreamNotFoundError) return { state: 'none' };
      if (error instanceof StreamDeletedError) return { state: 'destroyed' };
      throw error;
    }
  }

  /** Stores `wrapped` as the case's key unless one exists (or was destroyed): answers the key that stands. */
  async function create(caseId, wrapped) {
    try {
      const result = await client.appendToStream(
        keyStream(caseId),
        jsonEvent({ type: KEY_EVENT_TYPE, data: { wrapped } }),
        { expectedRevision: NO_STREAM, requiresLeader: true },
      );
      // `throwOnAppendFailure=false` resolves the conflict instead of throwing it: same answer.
      if (!result.success) return read(caseId);
      return { state: 'live', wrapped };
    } catch (error) {
      // Another replica made the case's key first: use theirs, so every copy of the case opens.
      if (error instanceof WrongExpectedVersionError) return read(caseId);
      if (error instanceof StreamDeletedError) return { state: 'destroyed' };
      throw error;
    }
  }

  /**
   * Hard-deletes the key stream: it reads as deleted from now on and can never be written again,
   * so no new key is made for an erased case. The bytes stay in the database's chunk files until
   * a scavenge rewrites them (see the README's note on scavenging).
   */
  async function tombstone(caseId) {
    try {
      await client.tombstoneStream(keyStream(caseId), { expectedRevision: ANY, requiresLeader: true });
    } catch (error) {
      if (!(error instanceof StreamDeletedError)) throw error;
    }
    return { state: 'destroyed' };
  }

  return { read, create, tombstone };
}
