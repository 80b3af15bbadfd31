import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiveHeap, ServerRequest, ServerStats } from './server.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** rrc in a child process (bench/server.ts), driven over IPC. */
export class ChildServer {
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(env: Record<string, string>, profileDir: string | undefined): Promise<ChildServer> {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', import.meta.resolve('tsx'), path.join(HERE, 'server.ts')],
      {
        env: { ...process.env, ...env, ...(profileDir ? { RRC_BENCH_PROFILE_DIR: profileDir } : {}) },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m: { type: string; url?: string }) =>
        m.type === 'ready' ? resolve(m.url!) : reject(new Error(JSON.stringify(m))),
      );
      child.once('exit', (code) => reject(new Error(`the server exited (${code}) before it was ready`)));
    });
    return new ChildServer(child, url);
  }

  /** One request at a time, each answered by the next message. */
  #ask<T>(request: ServerRequest): Promise<T> {
    const next = this.#queue.then(
      () =>
        new Promise<T>((resolve, reject) => {
          this.child.once('message', (m: { type: string; stats?: ServerStats; message?: string }) =>
            m.type === 'error' ? reject(new Error(m.message)) : resolve((m.stats ?? m) as T),
          );
          this.child.send(request);
        }),
    );
    this.#queue = next.catch(() => undefined);
    return next;
  }

  stats(): Promise<ServerStats> {
    return this.#ask({ type: 'stats' });
  }

  liveHeap(): Promise<LiveHeap> {
    return this.#ask({ type: 'live-heap' });
  }

  async profiled<T>(name: string, profileDir: string | undefined, work: () => Promise<T>): Promise<T> {
    if (!profileDir) return work();
    await this.#ask({ type: 'profile-start' });
    try {
      return await work();
    } finally {
      await this.#ask({ type: 'profile-stop', name: `server-${name}` });
    }
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    await this.#ask({ type: 'close' }).catch(() => undefined);
    await exited;
  }
}
