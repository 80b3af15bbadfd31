import { randomUUID } from 'node:crypto';
import type { NewEvent, StoredEvent, Subscription } from '../../services/event-store/port.ts';

export function newEvent(type = 'ContractProbe', data: Record<string, unknown> = {}): NewEvent {
  return {
    id: randomUUID(),
    type,
    data: { ...data, nested: { list: [1, 'two', null], flag: true } },
    metadata: { schemaVersion: 1, recordedAt: '2026-01-01T00:00:00.000Z', actor: { id: 'contract', role: 'admin' } },
  };
}

export const events = (n: number, type?: string): NewEvent[] =>
  Array.from({ length: n }, (_, i) => newEvent(type, { i }));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export interface Collector {
  readonly events: StoredEvent[];
  /** Resolves when the consumer's `for await` loop has ended (rejects if it threw). */
  readonly done: Promise<void>;
  /** Waits until at least `n` events have arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<StoredEvent[]>;
}

/** Runs the consumer's `for await` loop in the background, as a projection would. */
export function collect(subscription: Subscription): Collector {
  const received: StoredEvent[] = [];
  let changed = (): void => {};
  let failure: unknown;
  let ended = false;
  const done = (async () => {
    try {
      for await (const event of subscription) {
        received.push(event);
        changed();
      }
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      ended = true;
      changed();
    }
  })();
  done.catch(() => {}); // observed through waitFor / by awaiting `done`

  return {
    events: received,
    done,
    async waitFor(n, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < n) {
        if (failure !== undefined) throw new Error('the subscription failed', { cause: failure });
        if (ended) throw new Error(`subscription ended after ${received.length} of ${n} events`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out with ${received.length} of ${n} events`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 250));
          changed = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return received.slice(0, n);
    },
  };
}

/** Resolves to true if `promise` settles within `ms`. */
export async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
