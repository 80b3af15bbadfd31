/**
 * The EventStoreDB adapter's own logic, against a fake of the client's surface (EsdbClient)
 * that answers with the client's real error classes and result shapes: where no server runs,
 * this pins how the adapter maps conflicts, retries appends, converts bigint positions and
 * rides over dropped subscriptions. The contract suite (tests/event-store/eventstoredb.int.spec.ts)
 * runs the same adapter against a real node wherever one or Docker is available.
 */
import { PassThrough } from 'node:stream';
import {
  AccessDeniedError,
  NO_STREAM,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  type AllStreamRecordedEvent,
  type AllStreamResolvedEvent,
  type AppendResult,
  type EventData,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import type { EsdbClient } from './esdb-client.ts';
import { EventStoreDbStore } from './esdb-store.ts';
import { ConcurrencyError, type StoredEvent } from './port.ts';

type AppendCall = { stream: string; ids: string[]; expected: unknown };
type SubscribeCall = { fromPosition: ReadPosition | undefined; filter: unknown };

/** Scripted answers, one per call, in order; records what the adapter asked. */
function fakeClient(script: {
  appends?: (() => Promise<AppendResult>)[];
  reads?: (() => AsyncIterable<{ event?: unknown }>)[];
  subscriptions?: ((s: PassThrough) => void)[];
}) {
  const appendCalls: AppendCall[] = [];
  const subscribeCalls: SubscribeCall[] = [];
  const client = {
    appendToStream: (stream: string, events: EventData | EventData[], options?: { expectedRevision?: unknown }) => {
      appendCalls.push({ stream, ids: [events].flat().map((e) => e.id), expected: options?.expectedRevision });
      const next = script.appends?.shift();
      if (!next) throw new Error('unexpected append');
      return next();
    },
    readStream: () => {
      const next = script.reads?.shift();
      if (!next) throw new Error('unexpected read');
      return next();
    },
    subscribeToAll: (options: { fromPosition?: ReadPosition; filter?: unknown }) => {
      subscribeCalls.push({ fromPosition: options.fromPosition, filter: options.filter });
      const stream = new PassThrough({ objectMode: true });
      Object.assign(stream, { unsubscribe: () => Promise.resolve() });
      const next = script.subscriptions?.shift();
      if (!next) throw new Error('unexpected subscription');
      setImmediate(() => next(stream));
      return stream;
    },
    dispose: () => Promise.resolve(),
  };
  return { client: client as unknown as EsdbClient, appendCalls, subscribeCalls };
}

const ok = (revision: bigint, commit?: bigint): (() => Promise<AppendResult>) => {
  const position = commit === undefined ? undefined : { commit, prepare: commit };
  return () => Promise.resolve({ success: true, nextExpectedRevision: revision, ...(position ? { position } : {}) });
};
const fail = (error: Error) => () => Promise.reject(error);
const unavailable = () => new UnavailableError(undefined, 'node gone');
const event = (id: string) => ({ id, type: 'Tested', data: { n: 1 }, metadata: null });

function recorded(streamId: string, revision: bigint, commit: bigint): AllStreamResolvedEvent {
  const record = {
    streamId,
    id: `00000000-0000-4000-8000-${commit.toString().padStart(12, '0')}`,
    revision,
    type: 'Tested',
    data: { n: Number(revision) },
    metadata: undefined,
    isJson: true,
    created: new Date('2026-12-04T10:00:00Z'),
    position: { commit, prepare: commit },
  };
  return { event: record as unknown as AllStreamRecordedEvent };
}

/** A stream read answering one stored (unlinked) event: the predecessor a numeric expectation reads. */
const storedAt = (streamId: string, revision: bigint) =>
  async function* (): AsyncIterable<{ event?: unknown }> {
    yield recorded(streamId, revision, 100n + revision);
  };

async function take(iterable: AsyncIterable<StoredEvent>, n: number): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const e of iterable) {
    out.push(e);
    if (out.length === n) break;
  }
  return out;
}

describe('EventStoreDbStore (fake client)', () => {
  describe('appends', () => {
    it("maps WrongExpectedVersionError to the port's ConcurrencyError with the actual revision", async () => {
      const { client } = fakeClient({
        appends: [
          fail(new WrongExpectedVersionError(undefined, { streamName: 'case-1', current: 4n, expected: 2n })),
          fail(new WrongExpectedVersionError(undefined, { streamName: 'case-1', current: NO_STREAM, expected: 0n })),
        ],
        reads: [storedAt('case-1', 2n), storedAt('case-1', 0n)],
      });
      const store = new EventStoreDbStore(client);
      const a = await store.append('case-1', [event('a')], 2).catch((e: unknown) => e);
      expect(a).toBeInstanceOf(ConcurrencyError);
      expect(a).toMatchObject({ streamId: 'case-1', expected: 2, actual: 4 });
      await expect(store.append('case-1', [event('b')], 0)).rejects.toMatchObject({ code: 'concurrency', actual: -1 });
    });

    it('treats a resolved failure (throwOnAppendFailure=false) as a conflict, never as success', async () => {
      const { client } = fakeClient({
        appends: [
          () => Promise.resolve({ success: false, nextExpectedRevision: 7n }),
          () => Promise.resolve({ success: false, nextExpectedRevision: -1n }),
        ],
        reads: [storedAt('case-1', 3n), storedAt('case-2', 0n)],
      });
      const store = new EventStoreDbStore(client);
      await expect(store.append('case-1', [event('a')], 3)).rejects.toMatchObject({ code: 'concurrency', actual: 7 });
      await expect(store.append('case-2', [event('b')], 0)).rejects.toMatchObject({ code: 'concurrency', actual: -1 });
    });

    it('retries an append that failed in transit with the same event ids, then answers its result', async () => {
      const { client, appendCalls } = fakeClient({
        appends: [fail(unavailable()), fail(unavailable()), ok(2n, 900n)],
        reads: [storedAt('case-1', 0n)],
      });
      const store = new EventStoreDbStore(client, { retryDelayMs: 1 });
      expect(await store.append('case-1', [event('a'), event('b')], 0)).toEqual({ revision: 2, position: 900 });
      expect(appendCalls).toHaveLength(3);
      // The same ids each time: if an earlier try did land, the server answers the retry from it.
      expect(new Set(appendCalls.map((c) => c.ids.join()))).toEqual(new Set(['a,b']));
      expect(appendCalls.map((c) => c.expected)).toEqual([0n, 0n, 0n]);
    });

    it('gives up after its attempts, and never retries errors that are not about transit', async () => {
      const { client, appendCalls } = fakeClient({
        appends: [fail(unavailable()), fail(unavailable()), fail(new AccessDeniedError(undefined, 'denied'))],
      });
      const store = new EventStoreDbStore(client, { retryDelayMs: 1, appendAttempts: 2 });
      await expect(store.append('case-1', [event('a')], 'no-stream')).rejects.toBeInstanceOf(UnavailableError);
      await expect(store.append('case-1', [event('a')], 'no-stream')).rejects.toBeInstanceOf(AccessDeniedError);
      expect(appendCalls).toHaveLength(3);
      expect(appendCalls[0]!.expected).toBe(NO_STREAM);
    });

    it('keeps commit positions exact up to 2^53-1, and refuses to round one beyond', async () => {
      const max = BigInt(Number.MAX_SAFE_INTEGER);
      const { client } = fakeClient({ appends: [ok(0n, max)] });
      const store = new EventStoreDbStore(client);
      expect((await store.append('case-1', [event('a')], 'no-stream')).position).toBe(Number.MAX_SAFE_INTEGER);

      const big = fakeClient({ subscriptions: [(s) => s.write(recorded('case-1', 0n, max + 2n))] });
      const subscription = new EventStoreDbStore(big.client).subscribe({ streamPrefixes: ['case-'] });
      await expect(take(subscription, 1)).rejects.toThrow(RangeError);
    });
  });

  describe('reads', () => {
    it('reads a missing stream (StreamNotFoundError) as no events', async () => {
      const { client } = fakeClient({
        reads: [
          // eslint-disable-next-line require-yield
          async function* () {
            throw new StreamNotFoundError(undefined, 'case-9');
          },
        ],
      });
      expect(await new EventStoreDbStore(client).readStream('case-9')).toEqual([]);
    });
  });

  describe('subscriptions', () => {
    it('filters on the server: a stream-prefix filter when asked, else all but system events', async () => {
      const { client, subscribeCalls } = fakeClient({ subscriptions: [(s) => s.end(), (s) => s.end()] });
      const store = new EventStoreDbStore(client);
      await take(store.subscribe({ streamPrefixes: ['case-', 'agreement-'] }), 1);
      await take(store.subscribe({ after: 42 }), 1);
      expect(subscribeCalls[0]!.filter).toMatchObject({ filterOn: 'streamName', prefixes: ['case-', 'agreement-'] });
      expect(subscribeCalls[0]!.fromPosition).toBe('start');
      // excludeSystemEvents() filters on event type; events of `$` streams are dropped on this side.
      expect(subscribeCalls[1]!.filter).toMatchObject({ filterOn: 'eventType', regex: '^[^$].*' });
      expect(subscribeCalls[1]!.fromPosition).toEqual({ commit: 42n, prepare: 42n } satisfies Position);
    });

    it('subscribes again after a dropped connection, from the last event it delivered, with no gap or repeat', async () => {
      const { client, subscribeCalls } = fakeClient({
        subscriptions: [
          (s) => {
            s.write(recorded('case-1', 0n, 100n));
            s.write(recorded('case-1', 1n, 200n));
            setImmediate(() => s.destroy(unavailable()));
          },
          (s) => {
            s.write(recorded('case-1', 1n, 200n)); // a server may hand back the start position again
            s.write(recorded('case-2', 0n, 300n));
          },
        ],
      });
      const store = new EventStoreDbStore(client, { resubscribe: { delayMs: 1 } });
      const subscription = store.subscribe({ streamPrefixes: ['case-'] });
      const events = await take(subscription, 3);
      expect(events.map((e) => e.position)).toEqual([100, 200, 300]);
      expect(subscribeCalls.map((c) => c.fromPosition)).toEqual(['start', { commit: 200n, prepare: 200n }]);
      await subscription.close();
    });

    it('ends the loop with the error when the failure is not transient, or keeps failing', async () => {
      const { client } = fakeClient({
        subscriptions: [(s) => s.destroy(new AccessDeniedError(undefined, 'denied'))],
      });
      await expect(take(new EventStoreDbStore(client).subscribe(), 1)).rejects.toBeInstanceOf(AccessDeniedError);

      const flaky = fakeClient({
        subscriptions: Array.from({ length: 3 }, () => (s: PassThrough) => s.destroy(unavailable())),
      });
      const store = new EventStoreDbStore(flaky.client, { resubscribe: { delayMs: 1, attempts: 2 } });
      await expect(take(store.subscribe(), 1)).rejects.toBeInstanceOf(UnavailableError);
      expect(flaky.subscribeCalls).toHaveLength(3);
    });
  });
});
