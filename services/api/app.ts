import { randomUUID } from 'node:crypto';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { pino, type Logger } from 'pino';
import { createTokenVerifier, type TokenVerifier } from '../auth/tokens.ts';
import type { Services } from '../container.ts';
import { openApiOptions } from './openapi.ts';
import authPlugin, { bearerToken } from './plugins/auth.ts';
import metricsPlugin, { Metrics } from './plugins/metrics.ts';
import problemPlugin, { problem, sendProblem } from './plugins/problem.ts';
import securityHeaders from './plugins/security-headers.ts';
import agreementRoutes from './routes/agreements.ts';
import auditRoutes from './routes/audit.ts';
import caseRoutes from './routes/cases.ts';
import documentRoutes from './routes/documents.ts';
import healthRoutes from './routes/health.ts';
import messageRoutes from './routes/messages.ts';
import meRoutes from './routes/me.ts';
import readModelRoutes from './routes/read-models.ts';
import reportRoutes from './routes/reports.ts';
import eventStreamRoutes from './routes/events-stream.ts';
import webhookRoutes from './routes/webhooks.ts';
import searchRoutes from './routes/search.ts';
import trustRoutes from './routes/trust.ts';
import eurostatReportRoutes from './routes/eurostat-report.ts';
import uiPlugin from '../ui/plugin.ts';

export interface AppOptions {
  services: Services;
  logger: Logger | false;
  metrics?: Metrics;
  verifier?: TokenVerifier;
}

export const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP app; `server.ts` listens. Tests build it too and use `inject`. */
export async function buildApp({
  services,
  logger,
  metrics = new Metrics(),
  verifier,
}: AppOptions): Promise<FastifyInstance> {
  const common = {
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false as const,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A path the router cannot take (bad percent-encoding, an over-long id) is answered before
    // any hook runs; fastify's default answer quotes the path back, so answer it here instead.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void reply.header('X-Request-Id', request.id);
      const detail = tooLong ? 'A path segment is longer than 200 characters.' : 'The path is not a valid URL.';
      return sendProblem(reply, problem(tooLong ? 414 : 400, detail, { requestId: request.id }));
    },
  };
  const app = Fastify({ ...common, loggerInstance: logger || pino({ level: 'silent' }) }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });

  const tokens = verifier ?? createTokenVerifier(services.config);
  await app.register(problemPlugin);
  await app.register(securityHeaders);
  await app.register(rateLimit, {
    // Not per route: a route's own hooks run after the app's, so the auth hook would answer
    // every unsigned request before the limit counted it. The hook below runs before auth.
    global: false,
    max: services.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per verified caller when signed in, else per address. An unverified header is never the
    // key: every made-up token would get an allowance of its own.
    keyGenerator: async (request) => {
      const token = bearerToken(request);
      if (token) {
        try {
          return `sub:${(await tokens.verify(token)).sub}`;
        } catch {
          // not signed in: counted with its address
        }
      }
      return `ip:${request.ip}`;
    },
    // Thrown by the plugin, so the error handler words it (with `detailRef`) in the caller's language.
    errorResponseBuilder: (request, context) => ({
      ...problem(429, 'Too many requests.', { requestId: request.id }),
      detailRef: {
        key: 'rate-limited',
        values: { max: context.max, seconds: Math.max(1, Math.ceil(context.ttl / 1000)) },
      },
      statusCode: 429,
    }),
  });
  app.addHook('onRequest', app.rateLimit());
  await app.register(swagger, openApiOptions);
  // The UI's own routes are public: docs are not data.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authPlugin, { verifier: tokens });
  await app.register(metricsPlugin, { metrics });
  metrics.observeProjectionLag(() => services.projections.lagByProjection());
  await app.register(healthRoutes, {
    store: services.store,
    readiness: async () => {
      const { following, position, lastError } = services.projections.status();
      return { projections: { following, position, lag: await services.projections.lag(), lastError } };
    },
  });
  await app.register(agreementRoutes, { agreements: services.agreements });
  await app.register(caseRoutes, { services });
  await app.register(documentRoutes, { services });
  await app.register(messageRoutes, { messages: services.messages });
  await app.register(readModelRoutes, { services });
  await app.register(reportRoutes, { services });
  await app.register(eurostatReportRoutes, { services });
  await app.register(auditRoutes, { readAudit: services.readAudit });
  await app.register(webhookRoutes, { webhooks: services.webhooks });
  await app.register(eventStreamRoutes, { webhooks: services.webhooks });
  await app.register(trustRoutes, { services });
  await app.register(searchRoutes, { services });
  await app.register(meRoutes);
  await app.register(uiPlugin, { auth: services.config.auth });
  return app;
}
