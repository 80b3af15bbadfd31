import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CaseRead, pageOf, problemResponses } from '../../../contracts/index.ts';
import { ForbiddenError } from '../../commands/errors.ts';
import type { ReadAudit } from '../../privacy/read-audit.ts';
import { decodeCursor, encodeCursor } from '../http-helpers.ts';

const Query = z.object({
  caseId: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

/** The read audit, for admins: who read which case, when, and which view. */
const auditRoutes: FastifyPluginAsyncZod<{ readAudit: ReadAudit }> = async (app, { readAudit }) => {
  app.get(
    '/v1/audit/reads',
    {
      schema: {
        operationId: 'listCaseReads',
        tags: ['audit'],
        summary: 'Reads of cases by liaisons and monitors (admin)',
        description: 'The read audit in log order, optionally for one case, a page at a time.',
        querystring: Query,
        response: { 200: pageOf(CaseRead), ...problemResponses(400, 401, 403, 429) },
      },
    },
    async (request) => {
      if (!request.principal.roles.includes('admin')) throw new ForbiddenError('The read audit is for admins.');
      const { caseId, limit, cursor } = request.query;
      // The cursor is the log position of the last record returned.
      const items = await readAudit.list({ caseId, after: decodeCursor(cursor), limit: limit + 1 });
      const pageItems = items.slice(0, limit);
      const last = pageItems[pageItems.length - 1];
      return { items: pageItems, nextCursor: items.length > limit && last ? encodeCursor(last.position) : null };
    },
  );
};

export default auditRoutes;
