/**
 * The hash chain on the EventStoreDB adapter, where no server runs: an in-memory stand-in for
 * the client's surface that encodes and decodes as `@eventstore/db-client` 6.2.1 does
 * (`streams/appendToStream/append.js`: data as `JSON.stringify(data)`, metadata as the bytes
 * given when they are a Uint8Array; `utils/convertGrpcEvent.js`: both JSON-parsed on read) and
 * checks expected revisions and event ids as the server does. The contract suite runs the same
 * cases against a real node (tests/event-store/eventstoredb.int.spec.ts).
 */
import {
  ANY,
  END,
  FORWARDS,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendExpectedRevision,
  type AppendResult,
  type EventData,
  type ReadPosition,
} from '@eventstore/db-client';
import { describe, expect, it } from 'vitest';
import { eventHash, GENESIS_HASH, storedJson, verifyChains } from './chain.ts';
import type { EsdbClient } from './esdb-client.ts';
import { EventStoreDbStore } from './esdb-store.ts';
import { ConcurrencyError, type NewEvent } from './port.ts';

interface Kept {
  streamId: string;
  revision: bigint;
  id: string;
  type: string;
  /** The bytes the client sent, as text. */
  data: string;
  metadata: Uint8Array;
  position: bigint;
}

function memoryClient() {
  const streams = new Map<string, Kept[]>();
  const log: Kept[] = [];
  const decode = (k: Kept) => {
    const text = new TextDecoder().decode(k.metadata);
    return {
      event: {
        streamId: k.streamId,
        id: k.id,
        revision: k.revision,
        type: k.type,
        data: JSON.parse(k.data) as unknown,
        metadata: k.metadata.length === 0 ? undefined : (JSON.parse(text) as unknown),
        isJson: true,
        created: new Date('2026-12-04T12:00:00Z'),
        position: { commit: k.position, prepare: k.position },
      },
    };
  };
  const client = {
    appendToStream(
      streamName: string,
      events: EventData | EventData[],
      options: { expectedRevision?: AppendExpectedRevision } = {},
    ) {
      const list = streams.get(streamName) ?? [];
      const sent = [events].flat();
      const current = BigInt(list.length - 1);
      const expected = options.expectedRevision ?? ANY;
      const after = expected === NO_STREAM ? -1n : expected === ANY ? current : (expected as bigint);
      const conflict = () =>
        new WrongExpectedVersionError(undefined, {
          streamName,
          current: current === -1n ? NO_STREAM : current,
          expected,
        });
      if (after < current) {
        // The server's idempotency check: the same ids right after the expected revision.
        const already = list.slice(Number(after) + 1, Number(after) + 1 + sent.length);
        if (already.length === sent.length && already.every((k, i) => k.id === sent[i]!.id)) {
          const last = already.at(-1)!;
          return Promise.resolve({
            success: true,
            nextExpectedRevision: last.revision,
            position: { commit: last.position, prepare: last.position },
          } as AppendResult);
        }
        return Promise.reject(conflict());
      }
      if (after > current) return Promise.reject(conflict());
      for (const e of sent) {
        const metadata =
          e.metadata instanceof Uint8Array && e.metadata.constructor === Uint8Array
            ? e.metadata
            : new TextEncoder().encode(e.metadata === undefined ? '' : JSON.stringify(e.metadata));
        const kept: Kept = {
          streamId: streamName,
          revision: BigInt(list.length),
          id: e.id,
          type: e.type,
          data: JSON.stringify(e.data),
          metadata,
          position: BigInt(1000 + log.length * 100),
        };
        list.push(kept);
        log.push(kept);
      }
      streams.set(streamName, list);
      const last = list.at(-1)!;
      return Promise.resolve({
        success: true,
        nextExpectedRevision: last.revision,
        position: { commit: last.position, prepare: last.position },
      } as AppendResult);
    },
    readStream(
      streamName: string,
      options: { fromRevision?: bigint | typeof END; direction?: string; maxCount?: number | bigint } = {},
    ) {
      const list = streams.get(streamName);
      return (async function* () {
        if (list === undefined) throw new StreamNotFoundError(undefined, streamName);
        const forwards = options.direction === undefined || options.direction === FORWARDS;
        const ordered = forwards ? list : [...list].reverse();
        const from =
          options.fromRevision === undefined || options.fromRevision === END ? undefined : options.fromRevision;
        const picked = ordered.filter(
          (k) => from === undefined || (forwards ? k.revision >= from : k.revision <= from),
        );
        for (const k of picked.slice(0, Number(options.maxCount ?? picked.length))) yield decode(k);
      })();
    },
    readAll(options: { fromPosition?: ReadPosition; maxCount?: number | bigint; direction?: string } = {}) {
      return (async function* () {
        const from = typeof options.fromPosition === 'object' ? options.fromPosition.commit : 0n;
        const picked = log.filter((k) => k.position >= from);
        for (const k of picked.slice(0, Number(options.maxCount ?? picked.length))) yield decode(k);
      })();
    },
    dispose: () => Promise.resolve(),
  };
  return { client: client as unknown as EsdbClient, log };
}

const newEvent = (n: number): NewEvent => ({
  id: crypto.randomUUID(),
  type: 'Noted',
  data: { n, note: 'ciphertext:QUJD', list: [1.5, null, 'é'] },
  metadata: { schemaVersion: 1, actor: { id: 'u-1', role: 'caseworker' } },
});

const envelope = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;

describe('hash chain on EventStoreDB (in-memory client)', () => {
  it("links each event onto its predecessor in its metadata, hashing the bytes sent, and verifies after the client's round trip", async () => {
    const { client, log } = memoryClient();
    const store = new EventStoreDbStore(client);
    const sent = [newEvent(0), newEvent(1), newEvent(2), newEvent(3)];
    await store.append('case-1', sent.slice(0, 2), 'no-stream');
    await store.append('case-1', [sent[2]!], 1);
    await store.append('case-1', [sent[3]!], 'any');

    // What went over the wire: the caller's metadata inside the link, the hash over the data bytes sent.
    log.forEach((kept, i) => {
      const env = envelope(kept.metadata);
      expect(env).toMatchObject({ chain: 'rrc-chain-1', metadata: sent[i]!.metadata });
      expect(env['prevHash']).toBe(i === 0 ? GENESIS_HASH : envelope(log[i - 1]!.metadata)['hash']);
      const recomputed = eventHash(env['prevHash'] as string, {
        streamId: 'case-1',
        revision: i,
        id: kept.id,
        type: kept.type,
        data: kept.data,
        metadata: storedJson(sent[i]!.metadata),
        createdAt: env['createdAt'] as string,
      });
      expect(env['hash']).toBe(recomputed);
    });

    // Read back: the caller's metadata as given, the link beside it, the adapter's stamp as createdAt.
    const read = await store.readStream('case-1');
    expect(read.map((e) => e.metadata)).toEqual(sent.map((e) => e.metadata));
    expect(read.map((e) => e.data)).toEqual(sent.map((e) => e.data));
    expect(read[3]!.chain?.prevHash).toBe(read[2]!.chain?.hash);
    expect(read[0]!.createdAt).toBe(envelope(log[0]!.metadata)['createdAt']);

    expect(await verifyChains(store.chainLinks())).toEqual({ events: 4, streams: 1, firstBreak: null });
  });

  it('makes a racing append at the same revision fail with a ConcurrencyError, and links racing any-appends one after the other', async () => {
    const { client } = memoryClient();
    const store = new EventStoreDbStore(client);
    await store.append('case-1', [newEvent(0)], 'no-stream');
    const race = await Promise.allSettled([
      store.append('case-1', [newEvent(1)], 0),
      store.append('case-1', [newEvent(2)], 0),
    ]);
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(race.find((r) => r.status === 'rejected')).toMatchObject({ reason: expect.any(ConcurrencyError) });

    const anys = await Promise.all([1, 2, 3].map((n) => store.append('case-1', [newEvent(n)], 'any')));
    expect(anys.map((r) => r.revision).sort()).toEqual([2, 3, 4]);
    expect(await verifyChains(store.chainLinks())).toEqual({ events: 5, streams: 1, firstBreak: null });
  });

  it('answers a retried append with the first result, sending the same links', async () => {
    const { client, log } = memoryClient();
    const store = new EventStoreDbStore(client);
    const [a, b, c] = [newEvent(0), newEvent(1), newEvent(2)];
    await store.append('case-1', [a], 'no-stream');
    const first = await store.append('case-1', [b], 0);
    await store.append('case-1', [c], 'any');
    expect(await store.append('case-1', [b], 0)).toEqual(first);
    expect(await store.append('case-1', [c], 'any')).toEqual({ revision: 2, position: Number(log[2]!.position) });
    expect(log).toHaveLength(3);
    await expect(store.append('case-1', [newEvent(3)], 7)).rejects.toMatchObject({ code: 'concurrency', actual: 2 });
  });

  it('names an event appended around the adapter with a wrong hash, or none, and leaves the registers out', async () => {
    const { client } = memoryClient();
    const store = new EventStoreDbStore(client);
    await store.append('case-1', [newEvent(0), newEvent(1)], 'no-stream');
    await store.append('case-2', [newEvent(0)], 'no-stream');
    await client.appendToStream('rrc-lease-deadlines', jsonEvent({ type: 'LeaseTaken', data: { holder: 'a' } }));
    expect((await verifyChains(store.chainLinks())).firstBreak).toBeNull();

    // A forger who knows the scheme links onto the real predecessor but cannot make the hash
    // cover a payload other than the one it was computed for.
    const [, last] = await store.readStream('case-1');
    const honest = {
      streamId: 'case-1',
      revision: 2,
      id: crypto.randomUUID(),
      type: 'Noted',
      metadata: 'null',
      createdAt: '2026-12-04T12:00:00.000Z',
    };
    const hash = eventHash(last!.chain!.hash, { ...honest, data: storedJson({ n: 2 }) });
    const forged = {
      chain: 'rrc-chain-1',
      prevHash: last!.chain!.hash,
      hash,
      createdAt: honest.createdAt,
      metadata: null,
    };
    await client.appendToStream(
      'case-1',
      jsonEvent({
        id: honest.id,
        type: 'Noted',
        data: { n: 3 },
        metadata: new TextEncoder().encode(JSON.stringify(forged)),
      }),
      { expectedRevision: 1n },
    );
    await client.appendToStream('case-2', jsonEvent({ type: 'Noted', data: {}, metadata: { schemaVersion: 1 } }));

    const report = await verifyChains(store.chainLinks());
    expect(report).toMatchObject({ events: 5, streams: 2 });
    expect(report.firstBreak).toMatchObject({ streamId: 'case-1', revision: 2, reason: 'content-changed' });
    expect(await verifyChains(store.chainLinks({ streamPrefixes: ['case-2'] }))).toMatchObject({
      firstBreak: { streamId: 'case-2', revision: 1, reason: 'missing-hash' },
    });
  });
});
