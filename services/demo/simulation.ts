/**
 * A deterministic discrete-event scheduler for the synthetic-data generator. Each case is an
 * async script that waits for simulated instants (`sleepUntil`) and issues commands; the
 * scheduler wakes exactly one script at a time, in order of (time, arrival), and moves the
 * clock there. Because scripts never run concurrently, the same seed gives the same commands
 * in the same order.
 */
export interface SimClock {
  set(iso: string): void;
}

interface Waiter {
  at: number;
  seq: number;
  wake: () => void;
}

class MinHeap {
  readonly #items: Waiter[] = [];
  get size(): number {
    return this.#items.length;
  }
  push(w: Waiter): void {
    const a = this.#items;
    a.push(w);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  peek(): Waiter | undefined {
    return this.#items[0];
  }
  pop(): Waiter | undefined {
    const a = this.#items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

const before = (x: Waiter, y: Waiter): boolean => x.at < y.at || (x.at === y.at && x.seq < y.seq);

export class Simulation {
  readonly #heap = new MinHeap();
  #seq = 0;
  #now: number;
  #parked: (() => void) | undefined;
  /** Scripts still waiting when the simulation ended. */
  unfinished = 0;

  constructor(
    private readonly clock: SimClock,
    start: number,
  ) {
    this.#now = start;
    clock.set(new Date(start).toISOString());
  }

  get now(): number {
    return this.#now;
  }

  /** Starts `script` at `at` (its first step runs then). */
  spawn(at: number, script: () => Promise<void>, onError: (e: unknown) => void): void {
    this.#heap.push({
      at: Math.max(at, this.#now),
      seq: this.#seq++,
      wake: () => {
        script()
          .catch(onError)
          .finally(() => this.#yield());
      },
    });
  }

  /** Called by a script: resume it at `at` (never before now). */
  sleepUntil(at: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.#heap.push({ at: Math.max(at, this.#now), seq: this.#seq++, wake: resolve });
      this.#yield();
    });
  }

  /**
   * Runs until nothing waits before `end`; `onDay(date)` runs first thing on every simulated
   * day (the deadline service), before any script of that day.
   */
  async run(end: number, onDay: (date: string) => Promise<void>): Promise<void> {
    let day = new Date(this.#now).toISOString().slice(0, 10);
    await onDay(day);
    for (;;) {
      const next = this.#heap.peek();
      if (next === undefined || next.at > end) break;
      const nextDay = new Date(next.at).toISOString().slice(0, 10);
      while (day < nextDay) {
        day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        this.#setNow(Math.max(this.#now, Date.parse(`${day}T00:05:00Z`)));
        await onDay(day);
      }
      const w = this.#heap.pop()!;
      this.#setNow(Math.max(this.#now, w.at));
      const turn = new Promise<void>((resolve) => {
        this.#parked = resolve;
      });
      w.wake();
      await turn;
    }
    this.unfinished = this.#heap.size;
    this.#setNow(Math.max(this.#now, end));
  }

  #setNow(at: number): void {
    this.#now = at;
    this.clock.set(new Date(at).toISOString());
  }

  #yield(): void {
    const parked = this.#parked;
    this.#parked = undefined;
    parked?.();
  }
}

/** mulberry32: small, fast, good enough for synthetic data; seeded per case. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function seedOf(...parts: number[]): number {
  let h = 2166136261;
  for (const p of parts) {
    h ^= p >>> 0;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

export class Dice {
  constructor(readonly next: () => number) {}
  chance(p: number): boolean {
    return this.next() < p;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  weighted<T extends string>(weights: Readonly<Record<T, number>>): T {
    const entries = Object.entries(weights) as [T, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [k, w] of entries) {
      x -= w;
      if (x < 0) return k;
    }
    return entries[entries.length - 1]![0];
  }
}
