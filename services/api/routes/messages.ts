import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  MessageThread,
  MessageThreadParams,
  PostedMessage,
  PostMessageBody,
  ProblemDetails,
} from '../../../contracts/index.ts';
import type { MessageThreads } from '../../messages/message-threads.ts';
import { idempotencyKey } from '../http-helpers.ts';

const THREAD_PATH = '/v1/cases/:caseId/readmission-requests/:requestId/messages';

/**
 * Messages about one readmission request between the destination State's caseworkers and the
 * origin State's liaison (monitors read them too). Read straight from the case's thread stream,
 * so no `minPosition` is needed; a post answers the position for the worklist and the inbox.
 * Nothing here logs the text: fastify logs the URL (ids) and the status only.
 */
const messageRoutes: FastifyPluginAsyncZod<{ messages: MessageThreads }> = async (app, { messages }) => {
  app.post(
    THREAD_PATH,
    {
      schema: {
        operationId: 'postReadmissionRequestMessage',
        tags: ['messages'],
        summary: 'Write a message about a readmission request (destination caseworker or origin liaison)',
        description:
          'The text (1 to 4000 characters) is personal data: sealed with the case’s data key and erased with it. ' +
          'A text of white space only is a 409 `reasons-required`; a closed case is a 409 `case-closed`. ' +
          'The message is unread for the other side until it reads the thread. With an `Idempotency-Key`, a ' +
          'repeat with the same body answers the first post and appends nothing; another body is a 422.',
        params: MessageThreadParams,
        body: PostMessageBody,
        response: {
          201: PostedMessage,
          400: ProblemDetails,
          401: ProblemDetails,
          403: ProblemDetails,
          404: ProblemDetails,
          409: ProblemDetails,
          422: ProblemDetails,
          503: ProblemDetails,
        },
      },
    },
    async (request, reply) => {
      const { caseId, requestId } = request.params;
      const key = idempotencyKey(request);
      const posted = await messages.post(request.principal, caseId, requestId, request.body.text, key);
      void reply.header(
        'Location',
        `/v1/cases/${encodeURIComponent(caseId)}/readmission-requests/${encodeURIComponent(requestId)}/messages`,
      );
      return reply.code(201).send(posted);
    },
  );

  app.get(
    THREAD_PATH,
    {
      schema: {
        operationId: 'listReadmissionRequestMessages',
        tags: ['messages'],
        summary: 'The messages about a readmission request, oldest first (marks them read for the reader’s side)',
        description:
          'Caseworkers of the destination State and the origin State’s liaison read and mark the thread read for ' +
          'their side; monitors read every thread (a recorded read) and mark nothing. Analysts and admins: 403.',
        params: MessageThreadParams,
        response: {
          200: MessageThread,
          400: ProblemDetails,
          401: ProblemDetails,
          403: ProblemDetails,
          404: ProblemDetails,
          503: ProblemDetails,
        },
      },
    },
    async (request) => messages.read(request.principal, request.params.caseId, request.params.requestId),
  );
};

export default messageRoutes;
