import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ACTION_NAMES,
  actionBodies,
  AsOfQuery,
  CaseIdParams,
  CaseView,
  CommandAnswer,
  type EventMetadata,
  HistoryItem,
  ListQuery,
  OpenCaseBody,
  problemResponses,
  type CaseCommand,
  type Role,
} from '../../../contracts/index.ts';
import { z } from 'zod';
import { allowedActions, caseViewFor, readAccess, type Principal } from '../../../domain/index.ts';
import type { Services } from '../../container.ts';
import { ForbiddenError, NotFoundError } from '../../commands/errors.ts';
import { returnCaseStream } from '../../event-store/port.ts';
import { clockAt, parseAsOf, recordedBy } from '../../commands/as-of.ts';
import { commandOptions, page, sendAnswer } from '../http-helpers.ts';

/**
 * Roles that read case records at all. An analyst (aggregates only) or a bare admin is a
 * 403 whatever the case id, decided from the role alone so it reveals nothing about the
 * case; `readAccess` then decides 404 vs. view by State scope.
 */
const CASE_READER_ROLES: readonly Role[] = ['caseworker', 'liaison', 'monitor'];
const requireCaseReader = (principal: Principal): void => {
  if (!principal.roles.some((r) => CASE_READER_ROLES.includes(r))) {
    throw new ForbiddenError('Your role does not read case records.');
  }
};

const commandResponses = {
  200: CommandAnswer,
  ...problemResponses(400, 401, 403, 404, 409, 412, 413, 414, 415, 422, 429, 503),
};

/** An action's operationId is its name in camelCase: `verify-protection-status` → `verifyProtectionStatus`. */
const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Cases: opening, the role-shaped view, the history, and one path per action. */
const caseRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { commands, repository, clock } = services;

  app.post(
    '/v1/cases',
    {
      schema: {
        operationId: 'openCase',
        tags: ['cases'],
        summary: 'Open a return case (caseworker; destination State = the token’s state)',
        description: 'Answers 201 with the new case’s id and Location. An Idempotency-Key makes a retry safe.',
        body: OpenCaseBody,
        response: { 201: CommandAnswer, ...problemResponses(400, 401, 403, 409, 413, 415, 422, 429, 503) },
      },
    },
    async (request, reply) => {
      const answer = await commands.open(request.principal, request.body, commandOptions(request));
      void reply.header('Location', `/v1/cases/${answer.caseId}`);
      return sendAnswer(reply, answer, 201);
    },
  );

  app.get(
    '/v1/cases/:caseId',
    {
      schema: {
        operationId: 'getCase',
        tags: ['cases'],
        summary: 'The case as the caller’s role may see it, with allowedActions',
        description:
          'Caseworkers of the destination State and monitors see the full record; the origin State’s liaison ' +
          'sees identity, the request, travel and care in transit. A case outside the caller’s scope is a 404.',
        params: CaseIdParams,
        querystring: z.object({ minPosition: z.coerce.number().int().min(0).optional() }).extend(AsOfQuery.shape),
        response: { 200: CaseView, ...problemResponses(400, 401, 403, 404, 414, 429) },
      },
    },
    async (request, reply) => {
      requireCaseReader(request.principal);
      const asOf = request.query.asOf === undefined ? undefined : parseAsOf(request.query.asOf);
      // Access is decided on the case as it is now, so a State that lost a case cannot read its past.
      const current = await repository.load(request.params.caseId);
      if (current.state.data === null) throw new NotFoundError();
      const access = readAccess(request.principal, current.state.data);
      if (!access.ok)
        throw access.status === 404 ? new NotFoundError() : new ForbiddenError('Your role does not read cases.');
      const past = asOf === undefined ? undefined : await repository.loadAsOf(request.params.caseId, asOf);
      const loaded = past?.loaded ?? current;
      const c = loaded.state.data;
      // Before the case was opened (or, for a liaison, before its request) there was nothing to see.
      if (c === null || !readAccess(request.principal, c).ok) throw new NotFoundError();
      await services.readAudit.record(request.principal, access.role, c.caseId, 'case');
      const now = past && asOf ? clockAt(asOf, past.included, clock()) : clock();
      if (past) void reply.header('Cache-Control', 'no-store');
      const view = caseViewFor(access.role, {
        state: loaded.state,
        revision: loaded.revision,
        now,
        allowedActions: allowedActions(loaded.state, request.principal, { now }),
      });
      return reply.header('ETag', `"${loaded.revision}"`).send(view);
    },
  );

  app.get(
    '/v1/cases/:caseId/history',
    {
      schema: {
        operationId: 'listCaseHistory',
        tags: ['cases'],
        summary: 'Every event of the case: type, revision, times and actor (caseworker, monitor)',
        description: 'Event types and who recorded them, never their data, a page at a time.',
        params: CaseIdParams,
        querystring: ListQuery.extend(AsOfQuery.shape),
        response: {
          200: z.object({ items: z.array(HistoryItem), nextCursor: z.string().nullable() }),
          ...problemResponses(400, 401, 403, 404, 414, 429),
        },
      },
    },
    async (request) => {
      requireCaseReader(request.principal);
      const loaded = await repository.load(request.params.caseId);
      const c = loaded.state.data;
      if (c === null) throw new NotFoundError();
      const access = readAccess(request.principal, c);
      if (!access.ok) throw access.status === 404 ? new NotFoundError() : new ForbiddenError();
      if (access.role === 'liaison') throw new ForbiddenError('The history is for caseworkers and monitors.');
      await services.readAudit.record(request.principal, access.role, c.caseId, 'history');
      const all = await services.store.readStream(returnCaseStream(c.caseId));
      const asOf = request.query.asOf === undefined ? undefined : parseAsOf(request.query.asOf);
      const stored = asOf === undefined ? all : all.filter((s) => recordedBy(asOf, s));
      const items = stored.map((s) => {
        const m = s.metadata as EventMetadata;
        return {
          type: s.type,
          revision: s.revision,
          position: s.position,
          occurredAt: m.occurredAt,
          recordedAt: m.recordedAt,
          actor: { sub: m.actor.sub, role: m.actor.role },
        };
      });
      return page(items, request.query.limit, request.query.cursor);
    },
  );

  for (const action of ACTION_NAMES) {
    app.post(
      `/v1/cases/:caseId/${action}`,
      {
        schema: {
          operationId: camelCase(action),
          tags: ['case actions'],
          summary: action,
          description:
            `The command \`${action}\` on the case. With If-Match, refused (412) unless it names the current ` +
            'revision; refusals by the workflow or a safeguard (409) name their rules.',
          params: CaseIdParams,
          body: actionBodies[action],
          response: commandResponses,
        },
      },
      async (request, reply) => {
        const command = { action, body: request.body } as CaseCommand;
        const answer = await commands.execute(
          request.principal,
          request.params.caseId,
          command,
          commandOptions(request),
        );
        return sendAnswer(reply, answer);
      },
    );
  }
};

export default caseRoutes;
