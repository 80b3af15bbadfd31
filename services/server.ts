import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './api/app.ts';
import { Metrics } from './api/plugins/metrics.ts';
import type { Config } from './config.ts';
import { createServices, type Services } from './container.ts';
import { restrictDataFiles } from './data-files.ts';
import { createLogger } from './logger.ts';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

/**
 * How long a client may take, in milliseconds. fastify turns Node's request timeout off and
 * sets no socket timeout, so without these a client that trickles its headers or body a byte
 * at a time holds a socket (and a request's memory) for as long as it likes (slowloris).
 * - `headersMs`: from the first byte to the end of the headers;
 * - `requestMs`: the whole request, body included (1 MiB at most: seconds on a slow line);
 * - `idleMs`: a socket with no traffic either way (a client that stops reading the answer);
 * - `keepAliveMs`: an idle connection between requests; fastify's 72 s, longer than the 60 s
 *   idle timeout of common load balancers, so the balancer closes first and never reuses a
 *   socket the server is closing;
 * - `checkEveryMs`: how often Node looks for requests past their headers or request timeout.
 */
export const SERVER_TIMEOUTS = {
  headersMs: 10_000,
  requestMs: 30_000,
  idleMs: 60_000,
  keepAliveMs: 72_000,
  checkEveryMs: 1_000,
} as const;

export interface ServerOptions {
  /** Shorter timeouts for specs of slow clients; production uses `SERVER_TIMEOUTS`. */
  timeouts?: { [K in keyof typeof SERVER_TIMEOUTS]: number };
}

/** Starts rrc: the store, the app on its port, and the background parts; closes them in reverse. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
  options: ServerOptions = {},
): Promise<RunningServer> {
  const metrics = new Metrics();
  restrictDataFiles(config, 'dirs', logger);
  // A long-running server: SQLite's checkpoints off the event loop.
  const services = await createServices(config, { metrics, logger, backgroundCheckpoints: true });
  restrictDataFiles(config, 'files', logger);
  const app = await buildApp({ services, logger, metrics });
  // The background parts: read models follow the log; the deadline service runs now and every interval.
  // `services.close()` stops both before it closes the store.
  services.projections.start();
  if (config.deadlines) services.deadlines.start();
  if (config.webhooks.enabled) services.webhooks.start();
  const timeouts = options.timeouts ?? SERVER_TIMEOUTS;
  // Set before listening: Node starts its check of slow requests when the server listens.
  Object.assign(app.server, {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    connectionsCheckingInterval: timeouts.checkEveryMs,
  });
  app.server.setTimeout(timeouts.idleMs);
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (e) {
    await app.close();
    await services.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await services.close();
    })());
  return { app, services, url, close };
}

/** Graceful shutdown: stop taking requests, finish those under way, close the store. */
export function closeOnSignals(server: RunningServer, logger: Logger): void {
  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        logger.error({ errName: (e as Error).name }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}
