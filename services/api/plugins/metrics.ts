import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CommandMetrics } from '../../commands/case-commands.ts';

/** Prometheus metrics: one registry per app, so tests and replicas never share counters. */
export class Metrics implements CommandMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'rrc_http_requests_total',
    help: 'HTTP requests by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'rrc_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly commands = new Counter({
    name: 'rrc_commands_total',
    help: 'Case commands by action and outcome',
    labelNames: ['action', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly refusals = new Counter({
    name: 'rrc_refusals_total',
    help: 'Safeguard and workflow refusals by rule id',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });
  /** Where the lag gauge reads from at each scrape (the projection runner, wired by app.ts). */
  #projectionLagSource: (() => Promise<Record<string, number>>) | undefined;
  readonly projectionLag = new Gauge({
    name: 'rrc_projection_lag_events',
    help: 'Positions of the event log not yet applied by each read model (0 when caught up)',
    labelNames: ['projection'] as const,
    registers: [this.registry],
    collect: async () => {
      const lags = await this.#projectionLagSource?.().catch(() => undefined);
      for (const [projection, lag] of Object.entries(lags ?? {})) this.projectionLag.set({ projection }, lag);
    },
  });

  observeProjectionLag(source: () => Promise<Record<string, number>>): void {
    this.#projectionLagSource = source;
  }

  constructor(withDefaults = true) {
    if (withDefaults) collectDefaultMetrics({ register: this.registry, prefix: 'rrc_' });
  }

  command(action: string, outcome: 'accepted' | 'refused' | 'invalid' | 'conflict'): void {
    this.commands.inc({ action, outcome });
  }

  refusal(rule: string): void {
    this.refusals.inc({ rule });
  }
}

export default fp(
  async function metricsPlugin(app: FastifyInstance, opts: { metrics: Metrics }) {
    const { metrics } = opts;
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_request, reply) => {
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  },
  { name: 'metrics' },
);
