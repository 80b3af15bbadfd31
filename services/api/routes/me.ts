import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CurrentUser, ProblemDetails } from '../../../contracts/index.ts';

/**
 * Who the server takes the caller to be: the verified token's subject, roles and State after
 * claim mapping (RRC_AUTH_ROLES_CLAIM, …). The UI shows this and picks its pages by it, since
 * a provider's token names roles its own way.
 */
const meRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/me',
    {
      schema: {
        operationId: 'getCurrentUser',
        description:
          'The subject, roles and State the server takes the caller to be, after mapping the provider’s claims.',
        tags: ['auth'],
        summary: 'The signed-in caller as rrc sees them: subject, roles, State',
        response: { 200: CurrentUser, 401: ProblemDetails },
      },
    },
    async (request) => {
      const { sub, roles, state } = request.principal;
      return { sub, roles: [...roles], ...(state ? { state } : {}) };
    },
  );
};

export default meRoutes;
