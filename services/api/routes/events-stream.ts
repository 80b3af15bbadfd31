import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ProblemDetails } from '../../../contracts/index.ts';
import { ForbiddenError } from '../../commands/errors.ts';
import { LIVE_ROLES } from '../../webhooks/live-notices.ts';
import type { Webhooks } from '../../webhooks/webhooks.ts';

/** A comment line now and then keeps proxies from closing an idle stream. */
const HEARTBEAT_MS = 25_000;

class NotAcceptableError extends Error {
  readonly status = 406;
  constructor() {
    super('This stream is text/event-stream: send Accept: text/event-stream.');
  }
}

/**
 * `GET /v1/events/stream`: server-sent events telling a signed-in caseworker, liaison or
 * monitor that something changed in a case it may see (`{position, caseId, type}`), so the
 * UI refreshes its badges instead of polling. The token travels in the Authorization header
 * (the UI reads the stream with `fetch`, which can send it; EventSource cannot), so no token
 * ever sits in a URL or an access log.
 */
const eventStreamRoutes: FastifyPluginAsyncZod<{ webhooks: Webhooks }> = async (app, { webhooks }) => {
  const open = new Set<ServerResponse>();
  // Open streams never end by themselves: end them so the server can close.
  app.addHook('preClose', async () => {
    for (const res of open) res.end();
    open.clear();
  });

  app.get(
    '/v1/events/stream',
    {
      schema: {
        operationId: 'streamCaseNotices',
        description:
          'A text/event-stream of notices (ids and types only) scoped to the caller’s State and role; send Accept: text/event-stream.',
        tags: ['events'],
        summary: 'Server-sent events: ids and types of changes to the cases the caller may see',
        response: {
          200: z.string().describe('text/event-stream: `event: notice` with data {position, caseId, type}'),
          401: ProblemDetails,
          403: ProblemDetails,
          406: ProblemDetails,
        },
      },
    },
    async (request, reply) => {
      const principal = request.principal;
      if (!principal.roles.some((r) => (LIVE_ROLES as readonly string[]).includes(r))) {
        throw new ForbiddenError('Live notices are for caseworkers, liaisons and monitors.');
      }
      if (!String(request.headers.accept ?? '').includes('text/event-stream')) throw new NotAcceptableError();

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
        'x-request-id': request.id,
      });
      res.write('retry: 5000\n\n');
      open.add(res);
      let stopListening: () => void;
      try {
        stopListening = await webhooks.live.listen(principal, (notice) => {
          res.write(`id: ${notice.position}\nevent: notice\ndata: ${JSON.stringify(notice)}\n\n`);
        });
      } catch (error) {
        // Headers are sent: end the stream; the client's reader reconnects after `retry`.
        request.log.error({ errName: (error as Error)?.name }, 'event stream could not start');
        open.delete(res);
        res.end();
        return;
      }
      const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
      const done = (): void => {
        clearInterval(heartbeat);
        stopListening();
        open.delete(res);
      };
      res.on('close', done);
      if (res.writableEnded || res.destroyed) done();
      request.log.debug({ sub: principal.sub }, 'event stream opened');
    },
  );
};

export default eventStreamRoutes;
