import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * `--profile DIR`: V8 CPU profiles of the main thread per phase, `DIR/<phase>.cpuprofile`
 * (open them in Chrome DevTools or speedscope). Does nothing without a directory.
 */
export class PhaseProfiler {
  #session: Session | undefined;

  constructor(private readonly dir: string | undefined) {}

  async start(): Promise<void> {
    if (!this.dir) return;
    this.#session = new Session();
    this.#session.connect();
    await this.#session.post('Profiler.enable');
    await this.#session.post('Profiler.setSamplingInterval', { interval: 200 });
  }

  async begin(): Promise<void> {
    await this.#session?.post('Profiler.start');
  }

  async end(name: string): Promise<void> {
    if (!this.#session || !this.dir) return;
    const { profile } = await this.#session.post('Profiler.stop');
    writeFileSync(path.join(this.dir, `${name}.cpuprofile`), JSON.stringify(profile));
  }

  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    await this.begin();
    try {
      return await work();
    } finally {
      await this.end(name);
    }
  }

  stop(): void {
    this.#session?.disconnect();
  }
}
