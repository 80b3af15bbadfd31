import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConcurrencyError, type EventStore, type StoredEvent } from '../../services/event-store/port.ts';
import { GENESIS_HASH, verifyChains } from '../../services/event-store/chain.ts';
import { collect, events, newEvent, settlesWithin, sleep } from './subscription-helpers.ts';

export interface ContractHarness {
  store: EventStore;
  /** Opens a new store on the same data, as a restarted process would (the old one is closed first). */
  reopen?(): Promise<EventStore>;
  /** Closes every store the harness opened and removes what it created. */
  cleanup(): Promise<void>;
  /**
   * Tampers with a stream's record around the store, as someone with access to the data would:
   * SQLite edits a byte of the last event in the file; on EventStoreDB, whose events cannot be
   * edited, the raw client appends an event whose link claims a hash its bytes do not have.
   * Answers the revision that no longer holds.
   */
  tamper(streamId: string): Promise<number>;
}

/**
 * The behaviour every adapter must show (architecture.md, "The event store port"). Each test
 * works in streams under its own random prefix and reads with that prefix, so the suite also
 * runs against a shared server whose log already holds other events (EventStoreDB).
 */
export function describeEventStoreContract(name: string, factory: () => Promise<ContractHarness>): void {
  describe(`event store contract: ${name}`, () => {
    let harness: ContractHarness;
    let store: EventStore;
    /** This test's stream-id prefix. */
    let run: string;
    const stream = (suffix: string): string => `${run}-${suffix}`;
    const ids = (list: readonly { id: string }[]): string[] => list.map((e) => e.id);
    const mine = (after = 0) => store.readAll({ after, streamPrefixes: [`${run}-`] });

    beforeEach(async () => {
      harness = await factory();
      store = harness.store;
      run = `t${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    it('appends and reads a stream back, with 0-based revisions', async () => {
      const s = stream('case-1');
      const batch = events(3);
      const result = await store.append(s, batch, 'no-stream');
      expect(result.revision).toBe(2);

      const read = await store.readStream(s);
      expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
      expect(ids(read)).toEqual(ids(batch));
      read.forEach((stored, i) => {
        const sent = batch[i]!;
        expect(stored).toMatchObject({ streamId: s, type: sent.type, data: sent.data, metadata: sent.metadata });
        expect(Number.isNaN(Date.parse(stored.createdAt))).toBe(false);
      });
      expectIncreasing(read.map((e) => e.position));
      expect(result.position).toBe(read[2]!.position);

      expect((await store.readStream(s, 1)).map((e) => e.revision)).toEqual([1, 2]);
      expect(await store.readStream(stream('missing'))).toEqual([]);

      const next = await store.append(s, [newEvent()], 2);
      expect(next.revision).toBe(3);
      expect(next.position).toBeGreaterThan(result.position);
    });

    it("checks the expected revision: 'no-stream', exact and 'any'", async () => {
      const s = stream('case-1');
      const [a, b, c, d] = [newEvent(), newEvent(), newEvent(), newEvent()];
      expect((await store.append(s, [a], 'no-stream')).revision).toBe(0);
      await expect(store.append(s, [b], 'no-stream')).rejects.toMatchObject({ actual: 0 });
      await expect(store.append(s, [b], 5)).rejects.toMatchObject({ expected: 5, actual: 0 });
      expect((await store.append(s, [b], 0)).revision).toBe(1);
      await expect(store.append(stream('case-2'), [c], 0)).rejects.toMatchObject({ actual: -1 });
      expect((await store.append(s, [d], 'any')).revision).toBe(2);
      expect((await store.append(stream('case-3'), [c], 'any')).revision).toBe(0);
      expect(ids(await store.readStream(s))).toEqual(ids([a, b, d]));
    });

    it('reports a conflict as a typed ConcurrencyError with the actual revision', async () => {
      const s = stream('case-1');
      await store.append(s, events(3), 'no-stream');
      const error: unknown = await store.append(s, [newEvent()], 0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(error).toMatchObject({
        name: 'ConcurrencyError',
        code: 'concurrency',
        streamId: s,
        expected: 0,
        actual: 2,
      });
    });

    it('lets exactly one of 20 concurrent appends at the same expected revision win', async () => {
      const s = stream('case-1');
      await store.append(s, [newEvent()], 'no-stream');
      const attempts = events(20);
      const results = await Promise.allSettled(attempts.map((e) => store.append(s, [e], 0)));

      const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [attempts[i]!] : []));
      const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(19);
      for (const error of lost) expect(error).toMatchObject({ code: 'concurrency', actual: 1 });
      expect(ids(await store.readStream(s))).toEqual([expect.any(String), won[0]!.id]);

      // The same race on a stream that does not exist yet.
      const fresh = stream('case-2');
      const creates = await Promise.allSettled(events(20).map((e) => store.append(fresh, [e], 'no-stream')));
      expect(creates.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(await store.readStream(fresh)).toHaveLength(1);
    });

    it('treats a retried append with the same event ids as a no-op returning the first result', async () => {
      const s = stream('case-1');
      const batch = events(2);
      const first = await store.append(s, batch, 'no-stream');
      expect(await store.append(s, batch, 'no-stream')).toEqual(first);

      const c = newEvent();
      const third = await store.append(s, [c], 1);
      // The stream has moved on since; the retry still answers with the original result.
      expect(await store.append(s, batch, 'no-stream')).toEqual(first);
      expect(await store.append(s, [c], 1)).toEqual(third);

      // Part retry, part new: neither a retry nor a fresh append.
      const d = newEvent();
      await expect(store.append(s, [batch[1]!, d], 0)).rejects.toThrow();

      expect(ids(await store.readStream(s))).toEqual(ids([...batch, c]));
      expect(ids(await mine())).toEqual(ids([...batch, c]));
    });

    it('orders events globally across streams', async () => {
      const head = await store.headPosition();
      const order: string[] = [];
      const positions: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const s = stream(`case-${i % 3}`);
        const e = newEvent();
        const result = await store.append(s, [e], i < 3 ? 'no-stream' : 0);
        order.push(e.id);
        positions.push(result.position);
      }
      expectIncreasing(positions);
      const all = await mine(head);
      expect(ids(all)).toEqual(order);
      expect(all.map((e) => e.position)).toEqual(positions);
      expect(all.every((e) => e.position > head)).toBe(true);
    });

    it('reads the log after a position, filtered by stream prefix, one page at a time', async () => {
      const head = await store.headPosition();
      await store.append(stream('case-a'), events(2), 'no-stream');
      await store.append(stream('agreement-b'), events(2), 'no-stream');
      await store.append(stream('case-c'), events(1), 'no-stream');
      await store.append(stream('case-a'), events(1), 1);
      await store.append(stream('agreement-b'), events(1), 1);

      const all = await mine(head);
      expect(all).toHaveLength(7);
      expectIncreasing(all.map((e) => e.position));
      expect(await store.headPosition()).toBe(all.at(-1)!.position);

      const cases = await store.readAll({ after: head, streamPrefixes: [stream('case-')] });
      expect(cases.map((e) => e.streamId)).toEqual(
        all.filter((e) => e.streamId.includes('-case-')).map((e) => e.streamId),
      );
      expect(cases).toHaveLength(4);
      const two = await store.readAll({ after: head, streamPrefixes: [stream('case-a'), stream('agreement-')] });
      expect(ids(two)).toEqual(ids(all.filter((e) => !e.streamId.endsWith('case-c'))));

      const pages: StoredEvent[][] = [];
      let after = head;
      for (;;) {
        const page = await store.readAll({ after, streamPrefixes: [`${run}-`], limit: 3 });
        pages.push(page);
        if (page.length < 3) break;
        after = page.at(-1)!.position;
      }
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(ids(pages.flat())).toEqual(ids(all));

      expect(ids(await mine(all[3]!.position))).toEqual(ids(all.slice(4)));
      expect(await mine(all.at(-1)!.position)).toEqual([]);
    });

    it('subscribes: catches up on stored events, then delivers live ones in order, once each', async () => {
      const before = [
        ...(await appendAll(stream('case-a'), 3, 'no-stream')),
        ...(await appendAll(stream('agreement-b'), 2, 'no-stream')),
      ];
      const subscription = store.subscribe({ after: 0, streamPrefixes: [`${run}-`] });
      const consumer = collect(subscription);
      expect(ids(await consumer.waitFor(5))).toEqual(ids(before));

      // Live: appended while the subscriber is waiting at the head.
      const live = [
        ...(await appendAll(stream('case-a'), 2, 2)),
        ...(await appendAll(`other-${run}`, 1, 'no-stream')), // filtered out
        ...(await appendAll(stream('case-c'), 1, 'no-stream')),
      ];
      const expected = [...before, ...live.filter((e) => e.streamId.startsWith(`${run}-`))];
      expect(ids(await consumer.waitFor(8))).toEqual(ids(expected));
      expectIncreasing(consumer.events.map((e) => e.position));
      expect(consumer.events.map((e) => e.revision)).toEqual([0, 1, 2, 0, 1, 3, 4, 0]);

      await sleep(300);
      expect(consumer.events).toHaveLength(8); // nothing twice

      // close() ends the consumer's `for await` loop, without an error.
      await subscription.close();
      expect(await settlesWithin(consumer.done, 2_000)).toBe(true);
      await expect(consumer.done).resolves.toBeUndefined();
    });

    it('resumes a subscriber from its saved checkpoint with exactly the events after it', async () => {
      const prefixes = [`${run}-`];
      const first = [
        ...(await appendAll(stream('case-a'), 2, 'no-stream')),
        ...(await appendAll(stream('case-b'), 2, 'no-stream')),
      ];
      const subscription = store.subscribe({ after: 0, streamPrefixes: prefixes });
      const consumer = collect(subscription);
      const handled = await consumer.waitFor(2);
      const checkpoint = handled[1]!.position; // what a projection saves after handling an event
      await subscription.close();
      await consumer.done;

      const later = [
        ...(await appendAll(stream('case-a'), 2, 1)),
        ...(await appendAll(stream('case-c'), 1, 'no-stream')),
      ];

      if (harness.reopen) {
        await store.close(); // the process stops...
        store = await harness.reopen(); // ...and starts again on the same data
      }
      const expected = [...first.slice(2), ...later];
      expect(ids(await store.readAll({ after: checkpoint, streamPrefixes: prefixes }))).toEqual(ids(expected));

      const resumed = store.subscribe({ after: checkpoint, streamPrefixes: prefixes });
      const second = collect(resumed);
      expect(ids(await second.waitFor(expected.length))).toEqual(ids(expected));
      await sleep(300);
      expect(second.events).toHaveLength(expected.length);
      await resumed.close();
      await second.done;
    });

    it("ends subscribers' loops when the store is closed", async () => {
      await appendAll(stream('case-a'), 1, 'no-stream');
      const consumer = collect(store.subscribe({ after: 0, streamPrefixes: [`${run}-`] }));
      await consumer.waitFor(1);
      await store.close();
      expect(await settlesWithin(consumer.done, 2_000)).toBe(true);
    });

    it('chains every append: each event links onto its predecessor in its stream, and verify holds', async () => {
      const s = stream('case-1');
      await store.append(s, events(2), 'no-stream');
      await store.append(s, [newEvent()], 1);
      await store.append(s, [newEvent()], 'any');
      await store.append(stream('case-2'), [newEvent()], 'any');

      const read = await store.readStream(s);
      read.forEach((e, i) => {
        expect(e.chain?.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(e.chain?.prevHash).toBe(i === 0 ? GENESIS_HASH : read[i - 1]!.chain?.hash);
      });
      expect(new Set(read.map((e) => e.chain?.hash)).size).toBe(4);
      expect(await verifyChains(store.chainLinks({ streamPrefixes: [`${run}-`] }))).toEqual({
        events: 5,
        streams: 2,
        firstBreak: null,
      });
    });

    it('names the tampered event: verify points at its stream and revision', async () => {
      const s = stream('case-1');
      const untouched = stream('case-0');
      await store.append(untouched, events(2), 'no-stream');
      await store.append(s, events(3), 'no-stream');
      const revision = await harness.tamper(s);

      const report = await verifyChains(store.chainLinks({ streamPrefixes: [`${run}-`] }));
      expect(report.streams).toBe(2);
      expect(report.firstBreak).toMatchObject({ streamId: s, revision, reason: 'content-changed' });
      const position = (await store.readStream(s, revision))[0]?.position;
      expect(report.firstBreak?.position).toBe(position);
    });

    async function appendAll(
      s: string,
      n: number,
      expected: 'no-stream' | number,
    ): Promise<Pick<StoredEvent, 'id' | 'streamId'>[]> {
      const batch = events(n);
      await store.append(s, batch, expected);
      return batch.map((e) => ({ id: e.id, streamId: s }));
    }
  });
}

function expectIncreasing(values: readonly number[]): void {
  values.forEach((v, i) => {
    if (i > 0) expect(v).toBeGreaterThan(values[i - 1]!);
  });
}
