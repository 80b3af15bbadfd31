import { z } from 'zod';
import { AgreementTerms } from './agreements.ts';

/** Shapes of HTTP answers and parameters shared by routes and the OpenAPI document. */
export const CommandAnswer = z
  .object({
    caseId: z.string(),
    revision: z.number().int(),
    position: z.number().int(),
    status: z.string(),
    events: z.array(z.string()),
  })
  .catchall(z.string())
  .describe('The command was accepted: these events were appended.');

export const ProblemDetails = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    rules: z.array(z.string()).optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string().optional(),
  })
  .describe('RFC 9457 Problem Details');

export const CaseIdParams = z.strictObject({ caseId: z.string().min(1).max(100) });

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
  minPosition: z.coerce.number().int().min(0).optional(),
});

export const HistoryItem = z.object({
  type: z.string(),
  revision: z.number().int(),
  position: z.number().int(),
  occurredAt: z.string(),
  recordedAt: z.string(),
  actor: z.object({ sub: z.string(), role: z.string() }),
});

/** The 4xx and 5xx statuses this API answers with Problem Details (services/api/plugins/problem.ts). */
export type ProblemStatus = 400 | 401 | 403 | 404 | 406 | 409 | 412 | 413 | 414 | 415 | 422 | 429 | 503;

/**
 * The `response` entries for the problems a route can answer, e.g.
 * `response: { 200: Shape, ...problemResponses(400, 401, 403, 429) }`. The OpenAPI document
 * serves them as `application/problem+json` (services/api/openapi.ts), as the API does.
 */
export function problemResponses<const S extends ProblemStatus>(...statuses: S[]): Record<S, typeof ProblemDetails> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemDetails])) as Record<S, typeof ProblemDetails>;
}

/** The case as the caller's role may see it (domain/views.ts). */
export const CaseView = z
  .looseObject({
    caseId: z.string(),
    revision: z.number().int(),
    status: z.string().optional().describe('The stage of the case (caseworkers and monitors only)'),
    protection: z
      .looseObject({})
      .nullable()
      .optional()
      .describe('The verified protection status (caseworkers and monitors only)'),
    allowedActions: z.array(z.object({ action: z.string(), blockedBy: z.array(z.string()) })),
  })
  .describe(
    'The full record for caseworkers and monitors; for the origin State’s liaison only identity, the request, ' +
      'travel and care in transit. Fields beyond those named here depend on the role.',
  );

/** An agreement as stored (services/commands/agreements.ts). */
export const AgreementView = z.object({
  agreementId: z.string(),
  revision: z.number().int(),
  terms: AgreementTerms,
  concludedAt: z.string(),
  amendedAt: z.string().nullable(),
});

/** One read of a case in the read audit (services/privacy/read-audit.ts). */
export const CaseRead = z.object({
  caseId: z.string(),
  view: z.enum(['case', 'history', 'documents', 'document', 'messages', 'export']),
  documentId: z.string().optional().describe('The document downloaded, for view `document`'),
  reader: z.object({ sub: z.string(), role: z.string(), state: z.string().nullable() }),
  readAt: z.string(),
  position: z.number().int(),
});

export const Liveness = z.object({ status: z.string().describe('ok') });
export const Readiness = z
  .looseObject({ status: z.string().describe('ready or unavailable'), store: z.string() })
  .describe('Ready: the store answers (with its head position and the read models’ lag); unavailable: it does not');
