import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AgreementTerms, ListQuery, ProblemDetails } from '../../../contracts/index.ts';
import type { AgreementService } from '../../commands/agreements.ts';
import { NotFoundError } from '../../commands/errors.ts';
import { ifMatch, page } from '../http-helpers.ts';

const AgreementParams = z.strictObject({ agreementId: z.string().min(1).max(100) });
const Created = z.object({ agreementId: z.string(), revision: z.number().int(), position: z.number().int() });

/** Readmission agreements: admins write, everyone signed in reads. */
const agreementRoutes: FastifyPluginAsyncZod<{ agreements: AgreementService }> = async (app, { agreements }) => {
  app.post(
    '/v1/agreements',
    {
      schema: {
        tags: ['agreements'],
        summary: 'Record a readmission agreement or arrangement',
        body: AgreementTerms,
        response: { 201: Created, 400: ProblemDetails, 403: ProblemDetails },
      },
    },
    async (request, reply) => {
      const created = await agreements.conclude(request.principal, request.body);
      return reply
        .code(201)
        .header('Location', `/v1/agreements/${created.agreementId}`)
        .header('ETag', `"${created.revision}"`)
        .send(created);
    },
  );

  app.post(
    '/v1/agreements/:agreementId/amend',
    {
      schema: {
        tags: ['agreements'],
        summary: 'Amend an agreement: the new terms apply to later requests only',
        params: AgreementParams,
        body: AgreementTerms,
        response: { 200: Created, 400: ProblemDetails, 403: ProblemDetails, 404: ProblemDetails, 412: ProblemDetails },
      },
    },
    async (request, reply) => {
      const amended = await agreements.amend(
        request.principal,
        request.params.agreementId,
        request.body,
        ifMatch(request),
      );
      return reply.header('ETag', `"${amended.revision}"`).send(amended);
    },
  );

  app.get(
    '/v1/agreements',
    { schema: { tags: ['agreements'], summary: 'List agreements', querystring: ListQuery } },
    async (request) => {
      const all = (await agreements.list()).sort((a, b) => a.terms.title.localeCompare(b.terms.title));
      return page(all, request.query.limit, request.query.cursor);
    },
  );

  app.get(
    '/v1/agreements/:agreementId',
    { schema: { tags: ['agreements'], summary: 'One agreement with its current terms', params: AgreementParams } },
    async (request, reply) => {
      const found = await agreements.load(request.params.agreementId);
      if (!found) throw new NotFoundError('No such agreement.');
      return reply.header('ETag', `"${found.revision}"`).send(found);
    },
  );
};

export default agreementRoutes;
