import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { pino, type Logger } from 'pino';
import { createTokenVerifier, type TokenVerifier } from '../auth/tokens.ts';
import type { Services } from '../container.ts';
import authPlugin from './plugins/auth.ts';
import metricsPlugin, { Metrics } from './plugins/metrics.ts';
import problemPlugin, { problem } from './plugins/problem.ts';
import agreementRoutes from './routes/agreements.ts';
import auditRoutes from './routes/audit.ts';
import caseRoutes from './routes/cases.ts';
import healthRoutes from './routes/health.ts';

export interface AppOptions {
  services: Services;
  logger: Logger | false;
  metrics?: Metrics;
  verifier?: TokenVerifier;
}

export const BODY_LIMIT = 1024 * 1024;

/** Builds the HTTP app; `server.ts` listens. Tests build it too and use `inject`. */
export async function buildApp({ services, logger, metrics = new Metrics(), verifier }: AppOptions): Promise<FastifyInstance> {
  const common = {
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    requestIdHeader: false as const,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  };
  const app = Fastify({ ...common, loggerInstance: logger || pino({ level: 'silent' }) }) as unknown as FastifyInstance;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });

  await app.register(problemPlugin);
  await app.register(helmet, { global: true });
  await app.register(rateLimit, {
    max: services.config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per caller when signed in, else per address; the token itself is never a key.
    keyGenerator: (request) => request.headers.authorization?.slice(-24) ?? request.ip,
    errorResponseBuilder: (request, context) => ({
      ...problem(429, `At most ${context.max} requests a minute; retry in ${context.after}.`, { requestId: request.id }),
      statusCode: 429,
    }),
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'rrc: return and readmission coordination',
        version: '1.0.0',
        description: 'Every command is its own path. Errors are RFC 9457 Problem Details; refusals carry rule ids.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // The UI's own routes are public: docs are not data.
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config as object), public: true };
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { deepLinking: true } });
  app.get('/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(authPlugin, { verifier: verifier ?? createTokenVerifier(services.config) });
  await app.register(metricsPlugin, { metrics });
  await app.register(healthRoutes, { store: services.store });
  await app.register(agreementRoutes, { agreements: services.agreements });
  await app.register(caseRoutes, { services });
  await app.register(auditRoutes, { readAudit: services.readAudit });
  return app;
}
