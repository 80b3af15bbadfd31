import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { RULE_TEXT, type RuleId } from '../../../domain/index.ts';

/**
 * The one place errors become answers: RFC 9457 Problem Details. Domain refusals carry
 * their rule ids; a 5xx says only that something went wrong, with the request id to quote,
 * never a stack trace or anything from the request.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  rules?: RuleId[];
  errors?: { path: string; message: string }[];
  requestId?: string;
}

const TITLES: Record<number, [slug: string, title: string]> = {
  400: ['bad-request', 'The request is not valid'],
  401: ['unauthenticated', 'A valid bearer token is required'],
  403: ['not-permitted', 'Not permitted'],
  404: ['not-found', 'Not found'],
  405: ['method-not-allowed', 'Method not allowed'],
  406: ['not-acceptable', 'Not acceptable'],
  409: ['refused', 'Refused by the workflow or a safeguard'],
  412: ['precondition-failed', 'The case has moved on'],
  413: ['payload-too-large', 'The request body is too large'],
  414: ['uri-too-long', 'The request path is too long'],
  415: ['unsupported-media-type', 'Unsupported media type'],
  422: ['idempotency-key-reused', 'Idempotency-Key reused with another request'],
  429: ['too-many-requests', 'Too many requests'],
  503: ['unavailable', 'Not available yet'],
};

export function problem(status: number, detail: string, extra: Partial<Problem> = {}): Problem {
  const [slug, title] = TITLES[status] ?? ['internal-error', 'Internal error'];
  return { type: `urn:rrc:problem:${slug}`, title, status, detail, ...extra };
}

export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  return reply.code(p.status).type('application/problem+json').send(p);
}

type DomainishError = Error & {
  status?: number;
  statusCode?: number;
  rules?: RuleId[];
  errors?: { path: string; message: string }[];
  code?: string;
  currentRevision?: number;
  retryAfterSeconds?: number;
  /** Our own 413/415 errors say what the limit or the accepted types are on their route. */
  detail?: string;
};

/**
 * At most this many validation errors are listed: a 1 MiB body of 60,000 unknown keys would
 * otherwise get a 2.6 MB answer (the answer bigger than the question). The detail says how
 * many there were.
 */
export const MAX_LISTED_ERRORS = 100;

function toProblem(error: DomainishError, request: FastifyRequest): Problem {
  const requestId = request.id;
  if (hasZodFastifySchemaValidationErrors(error)) {
    // fastify-type-provider-zod's typings lose this type (they import a path fastify does not export).
    const errors = (error.validation as NonNullable<FastifyError['validation']>).flatMap((v) => {
      const path = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
      // An unknown field is named by its own path, so the client sees which one to drop.
      const keys = v.keyword === 'unrecognized_keys' ? (v.params as { keys?: unknown }).keys : undefined;
      if (Array.isArray(keys) && keys.length > 0) {
        return keys.map((k) => ({ path: [path, String(k)].filter(Boolean).join('.'), message: 'unknown field' }));
      }
      return [{ path, message: v.message ?? 'invalid' }];
    });
    const listed = errors.slice(0, MAX_LISTED_ERRORS);
    const detail =
      listed.length < errors.length
        ? `The request does not match its schema (the first ${listed.length} of ${errors.length} errors).`
        : 'The request does not match its schema.';
    return problem(400, detail, { requestId, errors: listed });
  }
  const status = error.status ?? error.statusCode ?? 500;
  if (status === 409 && error.rules) {
    return problem(409, error.rules.map((r) => RULE_TEXT[r]).join(' '), { requestId, rules: error.rules });
  }
  if (status === 403) {
    return problem(403, error.message || 'Not permitted.', { requestId, rules: ['not-permitted'] });
  }
  if (status === 400) {
    const detail =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? 'The body is not valid JSON.'
        : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? 'The body is empty.'
          : error.errors
            ? 'The request names something this case does not have.'
            : 'The request is not valid.';
    return problem(400, detail, { requestId, ...(error.errors ? { errors: error.errors } : {}) });
  }
  if (status === 413) return problem(413, error.detail ?? 'Request bodies are limited to 1 MiB.', { requestId });
  if (status === 415) return problem(415, error.detail ?? 'Send application/json.', { requestId });
  if (status === 429) return problem(429, 'Slow down and retry later.', { requestId });
  if (status === 503) {
    // Our own transient refusals (with a Retry-After) explain themselves; anything else stays generic.
    const detail = error.retryAfterSeconds !== undefined ? error.message : 'Not available right now; retry shortly.';
    return problem(503, detail, { requestId });
  }
  if (status >= 400 && status < 500) return problem(status, error.message, { requestId });
  return problem(500, 'Something went wrong on our side. Quote the request id if you report it.', { requestId });
}

export default fp(
  async function problemPlugin(app: FastifyInstance) {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const p = toProblem(error, request);
      if (p.status >= 500) {
        // The error's message may quote input: log its class and code only, with ids.
        request.log.error({ errName: error.name, errCode: error.code, reqId: request.id }, 'request failed');
      }
      if (p.status === 503) void reply.header('Retry-After', String((error as DomainishError).retryAfterSeconds ?? 1));
      if (p.status === 412 && typeof (error as DomainishError).currentRevision === 'number') {
        void reply.header('ETag', `"${(error as DomainishError).currentRevision}"`);
      }
      return sendProblem(reply, p);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(reply, problem(404, 'No such resource.', { requestId: request.id })),
    );
  },
  { name: 'problem' },
);
