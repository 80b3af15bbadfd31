/**
 * Runs tasks one at a time per key, in arrival order; tasks on different keys run in
 * parallel. Commands on one case queue here instead of racing each other to the store: in
 * one process they never conflict, so the retry on conflict is left for other replicas.
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task queued or running (for tests and metrics). */
  get size(): number {
    return this.tails.size;
  }
}
