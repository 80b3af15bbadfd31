import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EurostatReturnsQuery, ProblemDetails } from '../../../contracts/index.ts';
import { utcDateOf } from '../../../domain/index.ts';
import { eurostatReturnsCsvRows, eurostatReturnsReport } from '../../../projections/index.ts';
import type { Services } from '../../container.ts';
import { toCsv, wantsCsv } from '../csv.ts';
import { problem, sendProblem } from '../plugins/problem.ts';
import { consistentWith, requireRole } from '../read-helpers.ts';

const errors = { 400: ProblemDetails, 401: ProblemDetails, 403: ProblemDetails, 503: ProblemDetails };
const ANALYSTS = ['analyst', 'admin'] as const;
/** JSON (`rows`) or, with `Accept: text/csv`, CSV. */
const Report = z.any();

/**
 * Return statistics for Eurostat (Regulation (EC) No 862/2007 art. 7, as amended by Regulation
 * (EU) 2020/851): counts only, per reporting State, quarter and citizenship. Definitions in
 * projections/README.md ("Eurostat return statistics").
 */
const eurostatReportRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { projections, clock } = services;

  app.get(
    '/v1/reports/eurostat-returns',
    {
      schema: {
        operationId: 'getEurostatReturnsReport',
        tags: ['reports'],
        summary:
          'Third-country nationals ordered to leave and returned, per reporting State, quarter and citizenship ' +
          '(analyst, admin); CSV with Accept: text/csv',
        description:
          'Ordered to leave: the persons of a case (the principal and the household members it was opened with), ' +
          'in the quarter the return decision was issued. Returned: persons who left after the decision, in the ' +
          'quarter of departure: enforced (a removal departed: the members who travelled) or voluntary (a verified ' +
          'voluntary departure: the whole household); assisted when the voluntary departure was granted with ' +
          'assistance or the removal mode is voluntary-assisted; by destination (the origin State). Citizenship is ' +
          'the principal\'s nationality, "UNK" once the case\'s personal data are erased.',
        querystring: EurostatReturnsQuery,
        response: { 200: Report, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request.principal, ANALYSTS, 'Reports');
      const q = request.query;
      if (q.from !== undefined && q.to !== undefined && q.from > q.to) {
        return sendProblem(reply, problem(400, `from (${q.from}) is after to (${q.to})`));
      }
      await consistentWith(projections, q.minPosition);
      const today = utcDateOf(clock());
      const rows = eurostatReturnsReport(projections.db, { from: q.from, to: q.to });
      if (wantsCsv(request.headers.accept)) {
        const { columns, records } = eurostatReturnsCsvRows(rows);
        return reply
          .type('text/csv; charset=utf-8; header=present')
          .header('Content-Disposition', `attachment; filename="eurostat-returns-${today}.csv"`)
          .send(toCsv(columns, records));
      }
      return reply.send({ asOf: today, from: q.from ?? null, to: q.to ?? null, rows });
    },
  );
};

export default eurostatReportRoutes;
