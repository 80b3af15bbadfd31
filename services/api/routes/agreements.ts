import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AgreementTerms, AgreementView, ListQuery, pageOf, problemResponses } from '../../../contracts/index.ts';
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
        operationId: 'recordAgreement',
        tags: ['agreements'],
        summary: 'Record a readmission agreement or arrangement',
        description: 'Admins only. Answers 201 with the new agreement’s id, its ETag and Location.',
        body: AgreementTerms,
        response: { 201: Created, ...problemResponses(400, 401, 403, 413, 415, 429) },
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
        operationId: 'amendAgreement',
        tags: ['agreements'],
        summary: 'Amend an agreement: the new terms apply to later requests only',
        description: 'Admins only. With If-Match, refused (412) unless it names the current revision.',
        params: AgreementParams,
        body: AgreementTerms,
        response: { 200: Created, ...problemResponses(400, 401, 403, 404, 412, 413, 414, 415, 429) },
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
    {
      schema: {
        operationId: 'listAgreements',
        tags: ['agreements'],
        summary: 'List agreements',
        description: 'Every agreement with its current terms, by title, a page at a time.',
        querystring: ListQuery,
        response: { 200: pageOf(AgreementView), ...problemResponses(400, 401, 429) },
      },
    },
    async (request) => {
      const all = (await agreements.list()).sort((a, b) => a.terms.title.localeCompare(b.terms.title));
      return page(all, request.query.limit, request.query.cursor);
    },
  );

  app.get(
    '/v1/agreements/:agreementId',
    {
      schema: {
        operationId: 'getAgreement',
        tags: ['agreements'],
        summary: 'One agreement with its current terms',
        description: 'The agreement and its revision (also as ETag, for If-Match when amending).',
        params: AgreementParams,
        response: { 200: AgreementView, ...problemResponses(400, 401, 404, 414, 429) },
      },
    },
    async (request, reply) => {
      const found = await agreements.load(request.params.agreementId);
      if (!found) throw new NotFoundError('No such agreement.');
      return reply.header('ETag', `"${found.revision}"`).send(found);
    },
  );
};

export default agreementRoutes;
