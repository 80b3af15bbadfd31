import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IsoDate, ProblemDetails, ShortText } from '../../../contracts/index.ts';
import { searchCases, searchHits } from '../../../projections/index.ts';
import { InvalidInputError } from '../../commands/errors.ts';
import type { Services } from '../../container.ts';
import { blindIndexFor } from '../../privacy/blind-index.ts';
import { consistentWith, requireRole, stateOf } from '../read-helpers.ts';

// A body, not a query string: names and dates of birth never travel in a URL (logs, proxies, history).
const SearchBody = z.strictObject({
  reference: z.string().max(40).optional().describe('The human case reference, e.g. DE-2026-000123'),
  returnDecisionReference: ShortText.optional(),
  name: ShortText.optional().describe(
    'Words of one person’s names (any order, any case, accents ignored); with dateOfBirth',
  ),
  dateOfBirth: IsoDate.optional(),
  minPosition: z.number().int().min(0).optional(),
});

const SearchHit = z.object({
  caseId: z.string(),
  reference: z.string().nullable(),
  status: z.string(),
  openedOn: z.string(),
});

/**
 * Caseworkers find their State's cases by case reference, return-decision reference, or a
 * person's name with date of birth. Names and decision references are matched through the
 * blind index (projections/models/search.ts): the query is hashed, never stored or logged.
 */
const searchRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const blind = blindIndexFor(services.config);

  app.post(
    '/v1/search/cases',
    {
      // The role first: a caller who may not search gets 403 whatever its body holds.
      preValidation: async (request) => requireRole(request.principal, ['caseworker'], 'Search'),
      schema: {
        operationId: 'searchCases',
        description:
          'Matches names and return-decision references through a blind index (keyed hashes); the terms travel in the body, never in a URL.',
        tags: ['read models'],
        summary:
          'Find the caseworker’s own State’s cases by reference, return-decision reference, or name and date of birth',
        body: SearchBody,
        response: {
          200: z.object({ items: z.array(SearchHit) }),
          400: ProblemDetails,
          401: ProblemDetails,
          403: ProblemDetails,
          503: ProblemDetails,
        },
      },
    },
    async (request) => {
      const destinationState = stateOf(request.principal);
      const q = request.body;
      const byName = q.name !== undefined || q.dateOfBirth !== undefined;
      if (byName && (q.name === undefined || q.dateOfBirth === undefined)) {
        throw new InvalidInputError([
          { path: q.name === undefined ? 'name' : 'dateOfBirth', message: 'a name is searched with a date of birth' },
        ]);
      }
      if (!byName && q.reference === undefined && q.returnDecisionReference === undefined) {
        throw new InvalidInputError([
          {
            path: 'reference',
            message: 'give a reference, a return-decision reference, or a name with a date of birth',
          },
        ]);
      }
      await consistentWith(services.projections, q.minPosition);
      const db = services.projections.db;
      const ids = searchCases(db, blind, {
        destinationState,
        name: q.name,
        dateOfBirth: q.dateOfBirth,
        returnDecisionReference: q.returnDecisionReference,
      });
      return { items: searchHits(db, destinationState, ids, q.reference) };
    },
  );
};

export default searchRoutes;
