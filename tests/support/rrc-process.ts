import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The real server as a child process (`node bin/rrc.js serve`) on a free 127.0.0.1 port,
 * with a temp data dir and its own auth secret; tokens come from `rrc token` in the same
 * environment, as an operator would make them. For e2e specs.
 */
const RRC = path.resolve(import.meta.dirname, '../../bin/rrc.js');
const run = promisify(execFile);

export interface RrcProcess {
  /** `http://127.0.0.1:<port>` */
  base: string;
  dataDir: string;
  /** Everything the server printed (stdout and stderr), to show when a spec fails. */
  output(): string;
  token(...args: string[]): Promise<string>;
  /** Kills the server and removes its data dir. */
  stop(): Promise<void>;
}

export async function startRrc(extraEnv: Record<string, string> = {}): Promise<RrcProcess> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-e2e-'));
  const env: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('RRC_'))),
    RRC_DATA_DIR: dataDir,
    RRC_AUTH_SECRET: `e2e-secret-${process.pid}-${Date.now()}`,
    RRC_HOST: '127.0.0.1',
    RRC_PORT: '0',
    RRC_LOG_LEVEL: 'warn',
    RRC_RATE_LIMIT: '100000',
    ...extraEnv,
  };
  let output = '';
  const server: ChildProcess = spawn(process.execPath, [RRC, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const base = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = /rrc is serving at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`rrc serve exited with ${code}:\n${output}`)));
  });
  return {
    base,
    dataDir,
    output: () => output,
    token: async (...args) =>
      (await run(process.execPath, [RRC, 'token', ...args], { env, timeout: 30_000 })).stdout.trim(),
    stop: async () => {
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        const timer = setTimeout(() => server.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
