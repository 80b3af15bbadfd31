import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  Incident,
  IncidentsQuery,
  InboxItem,
  InboxQuery,
  MonitoredRemoval,
  MonitoringRemovalsQuery,
  pageOf,
  problemResponses,
  WorklistItem,
  WorklistQuery,
} from '../../../contracts/index.ts';
import { utcDateOf } from '../../../domain/index.ts';
import { inbox, incidents, monitoredRemovals, worklist } from '../../../projections/index.ts';
import type { Services } from '../../container.ts';
import { consistentWith, decodeKeyset, encodeKeyset, requireRole, stateOf } from '../read-helpers.ts';

const errors = problemResponses(400, 401, 403, 429, 503);

/**
 * Lists served from the read models: the caseworker's worklist (own State), the liaison's
 * inbox (requests addressed to its State, nothing else about the case), and the monitor's
 * removals and incidents. Every list honours `minPosition` (read-your-writes) and pages with
 * an opaque keyset `cursor`. "Overdue" is worked out against today at query time.
 */
const readModelRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  const { projections, clock } = services;
  const db = () => projections.db;

  app.get(
    '/v1/cases',
    {
      schema: {
        operationId: 'listWorklist',
        tags: ['read models'],
        summary: 'The caseworker’s worklist: cases of the token’s State, earliest deadline first',
        description: 'Filter by status, origin State or overdue; minPosition waits for the read models (503 if late).',
        querystring: WorklistQuery,
        response: { 200: pageOf(WorklistItem), ...errors },
      },
    },
    async (request) => {
      requireRole(request.principal, ['caseworker'], 'The worklist');
      const destinationState = stateOf(request.principal);
      const q = request.query;
      await consistentWith(projections, q.minPosition);
      const { items, next } = worklist(db(), {
        destinationState,
        status: q.status,
        originState: q.originState,
        overdue: q.overdue === undefined ? undefined : q.overdue === 'true',
        today: utcDateOf(clock()),
        limit: q.limit,
        after: decodeKeyset<[string, string]>(q.cursor, 2),
      });
      return { items, nextCursor: encodeKeyset(next) };
    },
  );

  app.get(
    '/v1/liaison/requests',
    {
      schema: {
        operationId: 'listLiaisonRequests',
        tags: ['read models'],
        summary: 'The liaison’s inbox: readmission requests addressed to the token’s State, earliest reply due first',
        description: 'Only the requests, nothing else about the cases; minPosition waits for the read models.',
        querystring: InboxQuery,
        response: { 200: pageOf(InboxItem), ...errors },
      },
    },
    async (request) => {
      requireRole(request.principal, ['liaison'], 'The inbox');
      const originState = stateOf(request.principal);
      const q = request.query;
      await consistentWith(projections, q.minPosition);
      const { items, next } = inbox(db(), {
        originState,
        status: q.status,
        today: utcDateOf(clock()),
        limit: q.limit,
        after: decodeKeyset<[string, string, string]>(q.cursor, 3),
      });
      return { items, nextCursor: encodeKeyset(next) };
    },
  );

  app.get(
    '/v1/monitoring/removals',
    {
      schema: {
        operationId: 'listMonitoredRemovals',
        tags: ['read models'],
        summary: 'Planned removals with their safeguard status, by departure date (monitor)',
        description: 'Removals departing in [from, to]; minPosition waits for the read models.',
        querystring: MonitoringRemovalsQuery,
        response: { 200: pageOf(MonitoredRemoval), ...errors },
      },
    },
    async (request) => {
      requireRole(request.principal, ['monitor'], 'Monitoring');
      const q = request.query;
      await consistentWith(projections, q.minPosition);
      const { items, next } = monitoredRemovals(db(), {
        from: q.from,
        to: q.to,
        limit: q.limit,
        after: decodeKeyset<[string, string, string]>(q.cursor, 3),
      });
      return { items, nextCursor: encodeKeyset(next) };
    },
  );

  app.get(
    '/v1/monitoring/incidents',
    {
      schema: {
        operationId: 'listIncidents',
        tags: ['read models'],
        summary: 'Use-of-force reports (prohibited techniques flagged) and safeguard concerns, newest first (monitor)',
        description: 'Filter by kind and date range; minPosition waits for the read models.',
        querystring: IncidentsQuery,
        response: { 200: pageOf(Incident), ...errors },
      },
    },
    async (request) => {
      requireRole(request.principal, ['monitor'], 'Monitoring');
      const q = request.query;
      await consistentWith(projections, q.minPosition);
      const { items, next } = incidents(db(), {
        kind: q.kind,
        from: q.from,
        to: q.to,
        limit: q.limit,
        after: decodeKeyset<[string, string, string, string]>(q.cursor, 4),
      });
      return { items, nextCursor: encodeKeyset(next) };
    },
  );
};

export default readModelRoutes;
