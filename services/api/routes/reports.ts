import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ObstaclesReportQuery, problemResponses, SafeguardsReportQuery } from '../../../contracts/index.ts';
import { utcDateOf } from '../../../domain/index.ts';
import {
  flatten,
  READMISSION_OBSTACLES_COLUMNS,
  readmissionObstaclesReport,
  safeguardsReport,
} from '../../../projections/index.ts';
import type { Services } from '../../container.ts';
import { toCsv, wantsCsv } from '../csv.ts';
import { consistentWith, requireRole } from '../read-helpers.ts';

const errors = problemResponses(400, 401, 403, 429, 503);
const ANALYSTS = ['analyst', 'admin'] as const;
/** JSON (`rows`, or the safeguards figures) or, with `Accept: text/csv`, CSV. */
const Report = z.any();

/**
 * Aggregated reports for analysts and admins: counts, rates and durations only. Medians and
 * 90th percentiles are exact, by linear interpolation between closest ranks (the definition of
 * Excel's PERCENTILE.INC; projections/stats.ts). `Accept: text/csv` gives the same rows as
 * CSV, one row per origin State and agreement, with flat `group.field` columns.
 */
const reportRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { projections, clock } = services;

  app.get(
    '/v1/reports/readmission-obstacles',
    {
      schema: {
        operationId: 'getReadmissionObstaclesReport',
        tags: ['reports'],
        summary: 'Readmission obstacles per origin State and agreement (analyst, admin); CSV with Accept: text/csv',
        description:
          'Each fact counts in [from, to] by its own date: requests (and their answers, deadlines and travel documents) ' +
          'by submission date, obstacles by opening date, planned removals by departure date, departures by the day ' +
          'they left, returns by arrival date, aborts by the day of the abort. Reply days run from submission to an ' +
          'explicit answer (a deemed acceptance is not a reply); median and p90 interpolate linearly between closest ' +
          'ranks. Overdue and days open are counted to today.',
        querystring: ObstaclesReportQuery,
        response: { 200: Report, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request.principal, ANALYSTS, 'Reports');
      const q = request.query;
      await consistentWith(projections, q.minPosition);
      const today = utcDateOf(clock());
      const rows = readmissionObstaclesReport(projections.db, {
        originState: q.originState,
        from: q.from,
        to: q.to,
        today,
      });
      if (wantsCsv(request.headers.accept)) {
        return reply
          .type('text/csv; charset=utf-8; header=present')
          .header('Content-Disposition', `attachment; filename="readmission-obstacles-${today}.csv"`)
          .send(
            toCsv(
              READMISSION_OBSTACLES_COLUMNS,
              rows.map((r) => flatten(r)),
            ),
          );
      }
      return reply.send({ asOf: today, from: q.from ?? null, to: q.to ?? null, rows });
    },
  );

  app.get(
    '/v1/reports/safeguards',
    {
      schema: {
        operationId: 'getSafeguardsReport',
        tags: ['reports'],
        summary: 'Safeguards: children assessed, escorted removals monitored, use of force, critical concerns, aborts',
        description: 'Counts for [from, to], each fact by its own date; CSV (one row) with Accept: text/csv.',
        querystring: SafeguardsReportQuery,
        response: { 200: Report, ...errors },
      },
    },
    async (request, reply) => {
      requireRole(request.principal, ANALYSTS, 'Reports');
      const q = request.query;
      await consistentWith(projections, q.minPosition);
      const today = utcDateOf(clock());
      const report = safeguardsReport(projections.db, { from: q.from, to: q.to, today });
      if (wantsCsv(request.headers.accept)) {
        const row = flatten(report);
        return reply
          .type('text/csv; charset=utf-8; header=present')
          .header('Content-Disposition', `attachment; filename="safeguards-${today}.csv"`)
          .send(toCsv(Object.keys(row), [row]));
      }
      return reply.send({ asOf: today, ...report });
    },
  );
};

export default reportRoutes;
