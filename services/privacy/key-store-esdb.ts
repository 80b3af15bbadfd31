import { randomBytes } from 'node:crypto';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { EventStoreDBClient } from '@eventstore/db-client';
import { keyStreamOps, type KeyState, type KeyStreamOps } from './key-store-esdb-ops.mjs';
import { open, seal, type KeyStore } from './key-store.ts';

/** The same operations, answered before the call returns: for the KeyStore's synchronous methods. */
export interface BlockingKeyStreams {
  read(caseId: string): KeyState;
  create(caseId: string, wrapped: string): KeyState;
  tombstone(caseId: string): KeyState;
  close(): void;
}

export interface EsdbKeyStoreOptions {
  /** Keys kept in memory (least recently made first out); a miss costs one round trip. */
  maxCached?: number;
  /** Called on close (the owner disposes what it opened for the store). */
  onClose?: () => void;
}

/**
 * The case keys on EventStoreDB, so every replica of a cluster shares them without a shared
 * volume: each case's data key, wrapped with the master key (which every replica must be given
 * the same, `RRC_MASTER_KEY`), is the one event of its stream `rrc-key-<caseId>`. Erasure
 * tombstones (hard-deletes) that stream: it reads as deleted on every node and can never be
 * written again, so no replica mints a new key for an erased case. The first key written wins
 * (an append expecting no stream); a replica that loses the race uses the winner's.
 *
 * The KeyStore interface is synchronous, so a key that is not cached is fetched by blocking on
 * a worker thread (`BlockingKeyStreams`): one round trip to the leader, on the first use of a
 * case in this process, or after eviction. `createKey` (a new case) does not block.
 */
export class EsdbKeyStore implements KeyStore {
  readonly #cache = new Map<string, Buffer>();
  readonly #maxCached: number;
  readonly #onClose: (() => void) | undefined;

  constructor(
    private readonly streams: KeyStreamOps,
    private readonly blocking: BlockingKeyStreams,
    private readonly masterKey: Buffer,
    options: EsdbKeyStoreOptions = {},
  ) {
    this.#maxCached = options.maxCached ?? 10_000;
    this.#onClose = options.onClose;
  }

  async createKey(caseId: string): Promise<Buffer | undefined> {
    const cached = this.#cache.get(caseId);
    if (cached) return cached;
    const current = await this.streams.read(caseId);
    return this.#use(caseId, current.state === 'none' ? await this.streams.create(caseId, this.#wrapNew()) : current);
  }

  dataKey(caseId: string, create: boolean): Buffer | undefined {
    const cached = this.#cache.get(caseId);
    if (cached) return cached;
    const current = this.blocking.read(caseId);
    if (current.state === 'none' && create) return this.#use(caseId, this.blocking.create(caseId, this.#wrapNew()));
    return this.#use(caseId, current);
  }

  isDestroyed(caseId: string): boolean {
    return this.blocking.read(caseId).state === 'destroyed';
  }

  /** Blocks until the tombstone is written: the erasure is durable before the event that records it. */
  destroy(caseId: string, _at: Date): void {
    this.evict(caseId);
    this.blocking.tombstone(caseId);
  }

  evict(caseId: string): void {
    this.#cache.get(caseId)?.fill(0);
    this.#cache.delete(caseId);
  }

  close(): void {
    for (const key of this.#cache.values()) key.fill(0);
    this.#cache.clear();
    this.blocking.close();
    this.#onClose?.();
  }

  #wrapNew(): string {
    return seal(this.masterKey, randomBytes(32)).toString('base64');
  }

  #use(caseId: string, state: KeyState): Buffer | undefined {
    if (state.state !== 'live') return undefined;
    const key = open(this.masterKey, Buffer.from(state.wrapped, 'base64'));
    this.#cache.set(caseId, key);
    if (this.#cache.size > this.#maxCached) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.evict(oldest);
    }
    return key;
  }
}

/**
 * Runs the key-stream operations on a worker thread with a client of its own, and waits for
 * each answer with `Atomics.wait`: the calling thread is held for one round trip to the leader.
 */
export class WorkerKeyStreams implements BlockingKeyStreams {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #timeoutMs: number;
  #next = 0;
  #closed = false;

  constructor(connectionString: string, timeoutMs = 15_000) {
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#timeoutMs = timeoutMs;
    this.#worker = new Worker(new URL('./key-store-esdb-worker.mjs', import.meta.url), {
      workerData: { connectionString, port: port2 },
      transferList: [port2],
    });
    this.#worker.unref();
    this.#port.unref();
  }

  read(caseId: string): KeyState {
    return this.#call('read', [caseId]) as KeyState;
  }

  create(caseId: string, wrapped: string): KeyState {
    return this.#call('create', [caseId, wrapped]) as KeyState;
  }

  tombstone(caseId: string): KeyState {
    return this.#call('tombstone', [caseId]) as KeyState;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#call('close', [], 2_000);
    } catch {
      // Closing anyway: the worker goes with its client.
    }
    void this.#worker.terminate();
    this.#port.close();
  }

  #call(op: string, args: unknown[], timeoutMs = this.#timeoutMs): unknown {
    if (this.#closed && op !== 'close') throw new Error('key store is closed');
    const id = (this.#next += 1);
    const flag = new Int32Array(new SharedArrayBuffer(4));
    this.#port.postMessage({ id, op, args, flag });
    if (Atomics.wait(flag, 0, 0, timeoutMs) === 'timed-out') {
      throw new Error(`key store: EventStoreDB did not answer ${op} within ${timeoutMs} ms`);
    }
    for (;;) {
      const received = receiveMessageOnPort(this.#port);
      if (received === undefined) throw new Error(`key store: no answer to ${op}`);
      const reply = received.message as Reply;
      if (reply.id !== id) continue; // the late answer of a call that timed out
      if (reply.ok) return reply.value;
      const error = new Error(`key store: ${op} failed: ${reply.message}`);
      error.name = reply.name;
      throw error;
    }
  }
}

type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; name: string; message: string };

/** The key store of `RRC_KEY_STORE=eventstoredb`: keys in EventStoreDB, shared by every replica. */
export function openEsdbKeyStore(connectionString: string, masterKey: Buffer): EsdbKeyStore {
  const client = EventStoreDBClient.connectionString(connectionString);
  const blocking = new WorkerKeyStreams(connectionString);
  return new EsdbKeyStore(keyStreamOps(client), blocking, masterKey, {
    onClose: () => void client.dispose().catch(() => undefined),
  });
}
