import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './api/app.ts';
import { Metrics } from './api/plugins/metrics.ts';
import type { Config } from './config.ts';
import { createServices, type Services } from './container.ts';
import { createLogger } from './logger.ts';

export interface RunningServer {
  app: FastifyInstance;
  services: Services;
  url: string;
  close(): Promise<void>;
}

/** Starts rrc: the store, the app on its port, and the background parts; closes them in reverse. */
export async function startServer(
  config: Config,
  logger: Logger = createLogger(config.logLevel),
): Promise<RunningServer> {
  const metrics = new Metrics();
  // A long-running server: SQLite's checkpoints off the event loop.
  const services = await createServices(config, { metrics, logger, backgroundCheckpoints: true });
  const app = await buildApp({ services, logger, metrics });
  // The background parts: read models follow the log; the deadline service runs now and every interval.
  // `services.close()` stops both before it closes the store.
  services.projections.start();
  if (config.deadlines) services.deadlines.start();
  if (config.webhooks.enabled) services.webhooks.start();
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
