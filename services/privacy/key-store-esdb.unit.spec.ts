/**
 * The EventStoreDB key store's logic where no server runs: the key-stream operations
 * (key-store-esdb-ops.mjs) against a fake client that keeps streams in memory and answers with
 * the client's own error classes; the store's caching, sharing and erasure over them; and the
 * blocking worker bridge's plumbing against a node that is not there.
 */
import { randomBytes } from 'node:crypto';
import {
  NO_STREAM,
  StreamDeletedError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendExpectedRevision,
  type EventData,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { keyStream, keyStreamOps, type KeyState } from './key-store-esdb-ops.mjs';
import { EsdbKeyStore, WorkerKeyStreams, type BlockingKeyStreams } from './key-store-esdb.ts';
import { open } from './key-store.ts';

/** A cluster's key streams in memory: what every replica's client sees. */
class FakeEsdb {
  readonly streams = new Map<string, { data: unknown }[] | 'tombstoned'>();
  calls = 0;

  client(): Parameters<typeof keyStreamOps>[0] {
    const client = {
      readStream: (name: string) => {
        this.calls += 1;
        const stream = this.streams.get(name);

        return (async function* () {
          if (stream === undefined) throw new StreamNotFoundError(undefined, name);
          if (stream === 'tombstoned') throw StreamDeletedError.fromStreamName(name);
          for (const e of stream) yield { event: e };
        })();
      },
      appendToStream: (name: string, event: EventData, options: { expectedRevision: AppendExpectedRevision }) => {
        this.calls += 1;
        const stream = this.streams.get(name);
        if (stream === 'tombstoned') return Promise.reject(StreamDeletedError.fromStreamName(name));
        if (options.expectedRevision === NO_STREAM && stream !== undefined) {
          const current = BigInt(stream.length - 1);
          return Promise.reject(
            new WrongExpectedVersionError(undefined, { streamName: name, current, expected: NO_STREAM }),
          );
        }
        this.streams.set(name, [...(stream ?? []), { data: event.data }]);
        return Promise.resolve({ success: true, nextExpectedRevision: 0n });
      },
      tombstoneStream: (name: string) => {
        this.calls += 1;
        if (this.streams.get(name) === 'tombstoned') return Promise.reject(StreamDeletedError.fromStreamName(name));
        this.streams.set(name, 'tombstoned');
        return Promise.resolve({});
      },
    };
    return client as unknown as Parameters<typeof keyStreamOps>[0];
  }

  /** The synchronous face, answering as the worker would (the same state, no round trip). */
  blocking(): BlockingKeyStreams {
    const read = (caseId: string): KeyState => {
      const s = this.streams.get(keyStream(caseId));
      if (s === undefined) return { state: 'none' };
      if (s === 'tombstoned') return { state: 'destroyed' };
      return { state: 'live', wrapped: (s[0]!.data as { wrapped: string }).wrapped };
    };
    return {
      read,
      create: (caseId, wrapped) => {
        if (read(caseId).state === 'none') this.streams.set(keyStream(caseId), [{ data: { wrapped } }]);
        return read(caseId);
      },
      tombstone: (caseId) => {
        this.streams.set(keyStream(caseId), 'tombstoned');
        return { state: 'destroyed' };
      },
      close: () => undefined,
    };
  }

  /** A replica's key store. */
  keyStore(masterKey: Buffer): EsdbKeyStore {
    return new EsdbKeyStore(keyStreamOps(this.client()), this.blocking(), masterKey);
  }
}

describe('EventStoreDB key streams (fake client)', () => {
  it('reads a missing stream as none, a tombstoned one as destroyed, and keeps the first key written', async () => {
    const esdb = new FakeEsdb();
    const ops = keyStreamOps(esdb.client());
    expect(await ops.read('c1')).toEqual({ state: 'none' });
    expect(await ops.create('c1', 'first')).toEqual({ state: 'live', wrapped: 'first' });
    // A second replica racing to make the same case's key gets the first one back.
    expect(await ops.create('c1', 'second')).toEqual({ state: 'live', wrapped: 'first' });
    expect(await ops.tombstone('c1')).toEqual({ state: 'destroyed' });
    expect(await ops.tombstone('c1')).toEqual({ state: 'destroyed' }); // twice is fine
    expect(await ops.read('c1')).toEqual({ state: 'destroyed' });
    // A tombstoned stream can never be written again: no new key for an erased case.
    expect(await ops.create('c1', 'third')).toEqual({ state: 'destroyed' });
    expect(esdb.streams.get(keyStream('c1'))).toBe('tombstoned');
  });

  it('keeps the standing key when the client resolves the conflict (throwOnAppendFailure=false)', async () => {
    const esdb = new FakeEsdb();
    const client = esdb.client();
    await keyStreamOps(client).create('c1', 'first');
    const resolving = {
      ...client,
      appendToStream: () => Promise.resolve({ success: false, nextExpectedRevision: 0n }),
    } as unknown as Parameters<typeof keyStreamOps>[0];
    expect(await keyStreamOps(resolving).create('c1', 'second')).toEqual({ state: 'live', wrapped: 'first' });
  });
});

describe('EsdbKeyStore', () => {
  const masterKey = randomBytes(32);

  it('stores each key wrapped with the master key, never in the clear', async () => {
    const esdb = new FakeEsdb();
    const key = await esdb.keyStore(masterKey).createKey('c1');
    const stored = esdb.streams.get(keyStream('c1'));
    expect(Array.isArray(stored)).toBe(true);
    const wrapped = Buffer.from((stored as { data: { wrapped: string } }[])[0]!.data.wrapped, 'base64');
    expect(wrapped.includes(key!)).toBe(false);
    expect(open(masterKey, wrapped)).toEqual(key);
  });

  it('shares keys between replicas: a case sealed on one opens on the other, made once', async () => {
    const esdb = new FakeEsdb();
    const [a, b] = [esdb.keyStore(masterKey), esdb.keyStore(masterKey)];
    const made = await a.createKey('c1');
    expect(b.dataKey('c1', false)).toEqual(made);
    expect(b.dataKey('c1', true)).toEqual(made);
    // Both replicas make a new case's key at once: one key stands and both use it.
    const [x, y] = await Promise.all([a.createKey('c2'), b.createKey('c2')]);
    expect(x).toEqual(y);
    expect(a.dataKey('c3', false)).toBeUndefined(); // never made, not made by asking
    expect(a.isDestroyed('c3')).toBe(false);
  });

  it('caches keys: a known case costs no round trip', async () => {
    const esdb = new FakeEsdb();
    const store = esdb.keyStore(masterKey);
    await store.createKey('c1');
    const calls = esdb.calls;
    for (let i = 0; i < 5; i += 1) await store.createKey('c1');
    expect(esdb.calls).toBe(calls);
  });

  it('erases by tombstoning: the key is gone on every replica (after evicting its copy) and never comes back', async () => {
    const esdb = new FakeEsdb();
    const [a, b] = [esdb.keyStore(masterKey), esdb.keyStore(masterKey)];
    const key = await a.createKey('c1');
    expect(b.dataKey('c1', false)).toEqual(key);
    a.destroy('c1', new Date('2026-12-04T10:00:00Z'));
    expect(esdb.streams.get(keyStream('c1'))).toBe('tombstoned');
    expect(a.dataKey('c1', true)).toBeUndefined();
    expect(a.isDestroyed('c1')).toBe(true);
    b.evict('c1'); // what the case repository does when it sees the erasure event
    expect(b.dataKey('c1', true)).toBeUndefined();
    expect(await b.createKey('c1')).toBeUndefined();
  });
});

describe('WorkerKeyStreams', () => {
  it('answers a blocking call with the error of a node that is not there, within its timeout', () => {
    const streams = new WorkerKeyStreams('esdb://127.0.0.1:1?tls=false', 8_000);
    try {
      const started = Date.now();
      expect(() => streams.read('c1')).toThrow(/key store/);
      expect(Date.now() - started).toBeLessThan(8_500);
    } finally {
      streams.close();
    }
  });
});
