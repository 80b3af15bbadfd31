import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Liveness, problemResponses, Readiness } from '../../../contracts/index.ts';
import type { EventStore } from '../../event-store/port.ts';

/** Liveness says the process answers; readiness that the store answers too. */
const healthRoutes: FastifyPluginAsyncZod<{
  store: EventStore;
  readiness?: () => Promise<Record<string, unknown>>;
}> = async (app, { store, readiness }) => {
  app.get(
    '/health/live',
    {
      config: { public: true },
      schema: {
        operationId: 'checkLiveness',
        tags: ['health'],
        summary: 'Liveness: the process answers',
        description: 'Public. Answers while the process runs, whatever the store does.',
        security: [],
        response: { 200: Liveness, ...problemResponses(429) },
      },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/health/ready',
    {
      config: { public: true },
      schema: {
        operationId: 'checkReadiness',
        tags: ['health'],
        summary: 'Readiness: the store answers too',
        description:
          'Public. 200 with the store’s head position and the read models’ lag, or 503 when the store fails.',
        security: [],
        response: { 200: Readiness, 503: Readiness, ...problemResponses(429) },
      },
    },
    async (_request, reply) => {
      try {
        const head = await store.headPosition();
        const extra = readiness ? await readiness() : {};
        return { status: 'ready', store: store.kind, headPosition: head, ...extra };
      } catch {
        return reply.code(503).send({ status: 'unavailable', store: store.kind });
      }
    },
  );
};

export default healthRoutes;
