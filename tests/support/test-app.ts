import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Role } from '../../contracts/index.ts';
import { buildApp } from '../../services/api/app.ts';
import { Metrics } from '../../services/api/plugins/metrics.ts';
import { signToken } from '../../services/auth/tokens.ts';
import { loadConfig, type Config } from '../../services/config.ts';
import { createServices, type Services } from '../../services/container.ts';
import { openEventStore } from '../../services/event-store/open-store.ts';
import type { EventStore } from '../../services/event-store/port.ts';
import { createLogger } from '../../services/logger.ts';

/**
 * The whole app on a real SQLite store in a temp dir, with a clock the test moves.
 * Tokens are HS256 with a test secret, signed as `rrc token` would.
 */
export const TEST_SECRET = 'test-secret-for-rrc-integration-specs';

export class TestClock {
  private at: number;
  constructor(start: string) {
    this.at = Date.parse(start);
  }
  now = (): Date => new Date(this.at);
  set(iso: string): void {
    this.at = Date.parse(iso);
  }
  advanceDays(days: number): void {
    this.at += days * 86_400_000;
  }
  advanceHours(hours: number): void {
    this.at += hours * 3_600_000;
  }
}

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  config: Config;
  clock: TestClock;
  dataDir: string;
  metrics: Metrics;
  /** Every log line, when started with `captureLogs`. */
  logs: string[];
  token(role: Role | Role[], options?: { state?: string; sub?: string; ttlSeconds?: number }): Promise<string>;
  /** `inject` with a bearer token and JSON body. */
  call(
    method: InjectOptions['method'],
    url: string,
    token: string | undefined,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Closes the app and the store, keeping the data dir to inspect. */
  stop(): Promise<void>;
  /** Stops and removes the data dir. */
  close(): Promise<void>;
}

export async function startTestApp(
  options: {
    now?: string;
    env?: Record<string, string>;
    captureLogs?: boolean;
    /** Puts something between the services and the real store (a rival writer, say). */
    wrapStore?: (store: EventStore) => EventStore;
  } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rrc-test-'));
  const config = loadConfig({
    RRC_DATA_DIR: dataDir,
    RRC_AUTH_SECRET: TEST_SECRET,
    RRC_RATE_LIMIT: '100000',
    ...options.env,
  });
  const clock = new TestClock(options.now ?? '2026-11-02T09:00:00Z');
  const metrics = new Metrics(false);
  const store = options.wrapStore
    ? options.wrapStore(await openEventStore({ eventStore: config.eventStore, dataDir: config.dataDir }))
    : undefined;
  const services = await createServices(config, { clock: clock.now, metrics, store });
  const logs: string[] = [];
  const logger = options.captureLogs
    ? createLogger('debug', { write: (line: string) => void logs.push(line) })
    : (false as const);
  const app = await buildApp({ services, logger, metrics });
  await app.ready();
  // Read models follow the log as in the server; the deadline service runs only when a spec calls
  // `services.deadlines.runOnce()` (time is the test clock's).
  services.projections.start();
  const secret = new TextEncoder().encode(TEST_SECRET);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await app.close();
      await services.close();
    })());
  return {
    app,
    services,
    config,
    clock,
    dataDir,
    metrics,
    logs,
    token: (role, o = {}) => {
      const roles = Array.isArray(role) ? role : [role];
      const needsState = roles.includes('caseworker') || roles.includes('liaison');
      return signToken(
        secret,
        {
          sub: o.sub ?? `${roles.join('+')}-${o.state ?? 'x'}`,
          roles,
          state: o.state ?? (needsState ? 'DE' : undefined),
          ttlSeconds: o.ttlSeconds ?? 3600,
        },
        new Date(),
      );
    },
    call: (method, url, token, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
    stop,
    close: async () => {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
