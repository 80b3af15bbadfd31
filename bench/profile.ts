import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/**
 * `--profile DIR`: a V8 CPU profile of the main thread (the server, the seeding, the rebuild)
 * per phase, `DIR/<phase>.cpuprofile`, to open in Chrome DevTools or speedscope.
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

  async phase<T>(name: string, work: () => Promise<T>): Promise<T> {
    const session = this.#session;
    if (!session || !this.dir) return work();
    await session.post('Profiler.start');
    try {
      return await work();
    } finally {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(path.join(this.dir, `${name}.cpuprofile`), JSON.stringify(profile));
    }
  }

  stop(): void {
    this.#session?.disconnect();
  }
}
