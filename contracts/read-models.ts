import { z } from 'zod';
import { IsoDate, StateCode } from './common.ts';
import { CaseStatus } from './cases.ts';
import { ListQuery } from './http.ts';

/**
 * Query parameters and answers of the read-model routes (worklist, liaison inbox, monitoring,
 * reports). Answers are documented, not strict: the serializer keeps the named fields only.
 */
const Flag = z.enum(['true', 'false']);
const Range = {
  from: IsoDate.optional().describe('First day, inclusive'),
  to: IsoDate.optional().describe('Last day, inclusive'),
};
const Consistency = { minPosition: z.coerce.number().int().min(0).optional() };

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const WorklistQuery = ListQuery.extend({
  status: z
    .enum([...CaseStatus.options, 'all'])
    .optional()
    .describe('A status, or `all`; without it, every case that is not closed'),
  originState: StateCode.optional(),
  overdue: Flag.optional().describe('`true`: only cases with a deadline that passed before today'),
});

export const WorklistItem = z.object({
  caseId: z.string(),
  reference: z.string().nullable().describe('The human case reference, e.g. DE-2026-000123 (null before references)'),
  status: z.string(),
  originState: z.string(),
  openedOn: z.string(),
  outcome: z.string().nullable(),
  nextDeadline: z.object({ kind: z.string(), dueOn: z.string() }).nullable(),
  overdue: z.boolean(),
  openObstacles: z.array(z.string()).describe('Types of the open obstacles, oldest first'),
  holds: z.array(z.string()).describe('Active holds: protection-claim, postponement, absconding'),
  unreadMessages: z.number().int().describe('Messages from the origin State not read yet by this State'),
});

export const InboxQuery = ListQuery.extend({
  status: z.enum(['pending', 'accepted', 'rejected', 'all']).default('pending'),
});

export const InboxItem = z.object({
  caseId: z.string(),
  reference: z.string().nullable().describe('The human case reference, e.g. DE-2026-000123 (null before references)'),
  requestId: z.string(),
  status: z
    .string()
    .describe('pending, accepted, deemed-accepted, rejected, or withdrawn (the case closed unanswered)'),
  procedure: z.string(),
  destinationState: z.string(),
  submittedOn: z.string(),
  acknowledgedOn: z.string().nullable(),
  replyDueOn: z.string(),
  overdue: z.boolean(),
  extensionDays: z.number().nullable(),
  answeredOn: z.string().nullable(),
  travelDocumentDueOn: z.string().nullable(),
  travelDocumentIssuedOn: z.string().nullable(),
  unreadMessages: z.number().int().describe('Messages about this request from the destination State not read yet'),
});

export const MonitoringRemovalsQuery = ListQuery.extend({ ...Range });

export const MonitoredRemoval = z.object({
  caseId: z.string(),
  removalId: z.string(),
  destinationState: z.string(),
  originState: z.string(),
  departureAt: z.string(),
  mode: z.string(),
  transport: z.string(),
  travellers: z.number(),
  familySeparation: z.boolean(),
  status: z.string().describe('planned, departed, aborted or returned'),
  abortReason: z.string().nullable(),
  safeguards: z.object({
    monitorAssigned: z.boolean(),
    useOfForceAssessed: z.boolean(),
    fitToTravelCertified: z.boolean(),
    children: z.number(),
    childrenAssessed: z.number(),
    openCriticalConcerns: z.number(),
    unansweredCriticalConcerns: z.number(),
  }),
});

export const IncidentsQuery = ListQuery.extend({ ...Range, kind: z.enum(['use-of-force', 'concern']).optional() });

export const Incident = z.object({
  kind: z.enum(['use-of-force', 'concern']),
  caseId: z.string(),
  id: z.string(),
  at: z.string(),
  destinationState: z.string(),
  originState: z.string(),
  techniques: z.array(z.string()).optional(),
  prohibitedTechniques: z.array(z.string()).optional(),
  prohibited: z.boolean().optional(),
  durationMinutes: z.number().optional(),
  injuriesReported: z.boolean().optional(),
  reportedBy: z.string().optional(),
  severity: z.string().optional(),
  source: z.string().optional(),
  respondedAt: z.string().nullable().optional(),
  closedAt: z.string().nullable().optional(),
  status: z.string().optional(),
});

export const ObstaclesReportQuery = z.object({ originState: StateCode.optional(), ...Range, ...Consistency });
export const SafeguardsReportQuery = z.object({ ...Range, ...Consistency });

/** A calendar quarter, `YYYY-Qn` (Regulation (EC) No 862/2007 art. 7 figures are quarterly). */
export const Quarter = z.string().regex(/^\d{4}-Q[1-4]$/, 'expected a quarter as YYYY-Qn');
export const EurostatReturnsQuery = z.object({
  from: Quarter.optional().describe('First quarter, inclusive'),
  to: Quarter.optional().describe('Last quarter, inclusive'),
  ...Consistency,
});
