import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  DeadLetterView,
  DeliveryId,
  ListQuery,
  ProblemDetails,
  RegisterWebhookBody,
  ReplayAnswer,
  WebhookCreated,
  WebhookId,
  WebhookView,
} from '../../../contracts/index.ts';
import { ForbiddenError, NotFoundError } from '../../commands/errors.ts';
import type { Webhooks } from '../../webhooks/webhooks.ts';
import { page } from '../http-helpers.ts';

const WebhookParams = z.strictObject({ webhookId: WebhookId });
const DeliveryParams = z.strictObject({ deliveryId: DeliveryId });
const WebhookList = z.object({ items: z.array(WebhookView), nextCursor: z.string().nullable() });
const DeadLetterQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) });
const DeadLetterList = z.object({ items: z.array(DeadLetterView) });
const tags = ['webhooks'];

/**
 * Webhook endpoints and their dead letters: admins only. The role is checked before the
 * request is validated, so no one else learns the shape of a registration.
 */
const webhookRoutes: FastifyPluginAsyncZod<{ webhooks: Webhooks }> = async (app, { webhooks }) => {
  app.addHook('onRequest', async (request) => {
    if (!request.principal?.roles.includes('admin')) throw new ForbiddenError('Only an admin manages webhooks.');
  });

  app.post(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'registerWebhook',
        description:
          'An endpoint of another system for some event kinds of one State; the signing secret is shown once, in this answer.',
        tags,
        summary: 'Register an endpoint for a State and event kinds; answers its signing secret, once',
        body: RegisterWebhookBody,
        response: { 201: WebhookCreated, 400: ProblemDetails, 401: ProblemDetails, 403: ProblemDetails },
      },
    },
    async (request, reply) => {
      const created = await webhooks.registry.register(request.principal, request.body);
      return reply.code(201).header('Location', `/v1/webhooks/${created.webhookId}`).send(created);
    },
  );

  app.get(
    '/v1/webhooks',
    {
      schema: {
        operationId: 'listWebhooks',
        description: 'Every registered endpoint with its State and kinds; never its secret.',
        tags,
        summary: 'List registered endpoints (without their secrets)',
        querystring: ListQuery,
        response: { 200: WebhookList, 400: ProblemDetails, 401: ProblemDetails, 403: ProblemDetails },
      },
    },
    async (request) => page(await webhooks.registry.list(request.principal), request.query.limit, request.query.cursor),
  );

  app.delete(
    '/v1/webhooks/:webhookId',
    {
      schema: {
        operationId: 'deleteWebhook',
        description: 'Stops deliveries to the endpoint and destroys its secret.',
        tags,
        summary: 'Delete an endpoint: nothing more is sent to it and its secret is destroyed',
        params: WebhookParams,
        response: {
          204: z.null(),
          400: ProblemDetails,
          401: ProblemDetails,
          403: ProblemDetails,
          404: ProblemDetails,
        },
      },
    },
    async (request, reply) => {
      await webhooks.registry.delete(request.principal, request.params.webhookId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/dead-letters',
    {
      schema: {
        operationId: 'listWebhookDeadLetters',
        description: 'Deliveries that failed every attempt, with their last error, oldest first.',
        tags,
        summary: 'Deliveries that failed every attempt (on the replica that delivers)',
        querystring: DeadLetterQuery,
        response: { 200: DeadLetterList, 400: ProblemDetails, 401: ProblemDetails, 403: ProblemDetails },
      },
    },
    async (request) => ({ items: webhooks.dispatcher.deadLetters(request.query.limit) }),
  );

  app.post(
    '/v1/webhooks/dead-letters/:deliveryId/replay',
    {
      schema: {
        operationId: 'replayWebhookDeadLetter',
        description: 'Tries one dead letter again, with the same webhook-id so receivers can deduplicate.',
        tags,
        summary: 'Send one dead letter again, with a fresh allowance of attempts',
        params: DeliveryParams,
        response: {
          200: ReplayAnswer,
          400: ProblemDetails,
          401: ProblemDetails,
          403: ProblemDetails,
          404: ProblemDetails,
        },
      },
    },
    async (request) => {
      const replayed = webhooks.dispatcher.replay(request.params.deliveryId);
      if (replayed === 0) throw new NotFoundError('No such dead letter.');
      return { replayed };
    },
  );

  app.post(
    '/v1/webhooks/dead-letters/replay',
    {
      schema: {
        operationId: 'replayWebhookDeadLetters',
        description: 'Tries every dead letter again, with their original webhook-ids.',
        tags,
        summary: 'Send every dead letter again',
        response: { 200: ReplayAnswer, 401: ProblemDetails, 403: ProblemDetails },
      },
    },
    async () => ({ replayed: webhooks.dispatcher.replay() }),
  );
};

export default webhookRoutes;
