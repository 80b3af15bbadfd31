import { z } from 'zod';

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
