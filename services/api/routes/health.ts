import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { EventStore } from '../../event-store/port.ts';

/** Liveness says the process answers; readiness that the store answers too. */
const healthRoutes: FastifyPluginAsyncZod<{
  store: EventStore;
  readiness?: () => Promise<Record<string, unknown>>;
}> = async (app, { store, readiness }) => {
  app.get('/health/live', { config: { public: true }, schema: { tags: ['health'] } }, async () => ({ status: 'ok' }));
  app.get('/health/ready', { config: { public: true }, schema: { tags: ['health'] } }, async (_request, reply) => {
    try {
      const head = await store.headPosition();
      const extra = readiness ? await readiness() : {};
      return { status: 'ready', store: store.kind, headPosition: head, ...extra };
    } catch {
      return reply.code(503).send({ status: 'unavailable', store: store.kind });
    }
  });
};

export default healthRoutes;
