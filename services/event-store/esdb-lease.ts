import {
  BACKWARDS,
  END,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
} from '@eventstore/db-client';
import type { EsdbClient } from './esdb-client.ts';
import type { LeaseRecord, LeaseRegister } from './port.ts';

/** Lease streams: outside every prefix rrc projects or audits, so no read model sees them. */
export const LEASE_STREAM_PREFIX = 'rrc-lease-';
export const LEASE_EVENT_TYPE = 'LeaseWritten';
/**
 * Renewals are small events that only their last one matters: `$maxCount` lets a scavenge drop
 * the rest (from the stream and from $all), so a lease renewed every minute does not grow the log
 * for good. Until a scavenge runs they stay in $all, where the adapter skips them like any other
 * stream no reader asked for.
 */
export const LEASE_MAX_COUNT = 16;

/**
 * A lease register on EventStoreDB: the register is a stream, its version the stream's
 * revision, and a compare-and-set an append with that expected revision. The leader takes the
 * write, so two replicas on different nodes still see one winner.
 */
export class EsdbLeaseRegister implements LeaseRegister {
  constructor(private readonly client: EsdbClient) {}

  async read(name: string): Promise<LeaseRecord | undefined> {
    try {
      for await (const resolved of this.client.readStream(leaseStream(name), {
        fromRevision: END,
        direction: BACKWARDS,
        maxCount: 1,
        // A lease read from a lagging follower could hand the lease to two holders for a while.
        requiresLeader: true,
      })) {
        const event = resolved.event;
        if (event === undefined) continue;
        const holder = (event.data as { holder?: unknown } | null)?.holder;
        return { holder: typeof holder === 'string' ? holder : '', version: Number(event.revision) };
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
    return undefined;
  }

  async write(name: string, holder: string, expectedVersion: number): Promise<LeaseRecord | undefined> {
    const stream = leaseStream(name);
    try {
      const result = await this.client.appendToStream(stream, jsonEvent({ type: LEASE_EVENT_TYPE, data: { holder } }), {
        expectedRevision: expectedVersion < 0 ? NO_STREAM : BigInt(expectedVersion),
        requiresLeader: true,
      });
      if (!result.success) return undefined;
      if (expectedVersion < 0) {
        await this.client.setStreamMetadata(stream, { maxCount: LEASE_MAX_COUNT }).catch(() => undefined);
      }
      return { holder, version: Number(result.nextExpectedRevision) };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) return undefined;
      throw error;
    }
  }
}

export const leaseStream = (name: string): string => `${LEASE_STREAM_PREFIX}${name}`;
