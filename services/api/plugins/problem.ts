import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { RuleId } from '../../../domain/index.ts';
import { negotiateLocale, type ApiLocale } from '../i18n/locale.ts';
import { detailText, rulesText, titleText, type DetailRef, type ProblemSlug } from '../i18n/problem-texts.ts';

/**
 * The one place errors become answers: RFC 9457 Problem Details. Domain refusals carry
 * their rule ids; a 5xx says only that something went wrong, with the request id to quote,
 * never a stack trace or anything from the request. `title` and `detail` (the rules'
 * explanations for a refusal) follow the request's `Accept-Language` (en, fr, ar; English by
 * default); `type` and the rule ids never change with the language.
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

const SLUGS: Record<number, ProblemSlug> = {
  400: 'bad-request',
  401: 'unauthenticated',
  403: 'not-permitted',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'refused',
  412: 'precondition-failed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  422: 'idempotency-key-reused',
  429: 'too-many-requests',
  503: 'unavailable',
};
const slugOf = (status: number): ProblemSlug => SLUGS[status] ?? 'internal-error';

/** The language a request asked for, by its `Accept-Language`. */
export const localeOf = (request: FastifyRequest): ApiLocale => negotiateLocale(request.headers['accept-language']);

/** A problem; `detail` is words of the caller's own (English) or a catalogue entry worded in `locale`. */
export function problem(
  status: number,
  detail: string | DetailRef,
  extra: Partial<Problem> = {},
  locale: ApiLocale = 'en',
): Problem {
  const slug = slugOf(status);
  return {
    type: `urn:rrc:problem:${slug}`,
    title: titleText(slug, locale),
    status,
    detail: typeof detail === 'string' ? detail : detailText(detail, locale),
    ...extra,
  };
}

/**
 * Sends a problem in the request's language: the title is worded again from the `type` (so a
 * problem made without a locale still gets it), `Content-Language` says which language it is,
 * and `Vary` tells caches that the answer depends on `Accept-Language`.
 */
export function sendProblem(reply: FastifyReply, p: Problem): FastifyReply {
  const locale = localeOf(reply.request);
  const slug = p.type.replace('urn:rrc:problem:', '') as ProblemSlug;
  const title = slugOf(p.status) === slug ? titleText(slug, locale) : p.title;
  return reply
    .code(p.status)
    .type('application/problem+json')
    .header('Content-Language', locale)
    .header('Vary', [reply.getHeader('vary'), 'Accept-Language'].filter(Boolean).join(', '))
    .send({ ...p, title });
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
  /** A detail from the catalogue (services/api/i18n), worded in the caller's language. */
  detailRef?: DetailRef;
};

/**
 * At most this many validation errors are listed: a 1 MiB body of 60,000 unknown keys would
 * otherwise get a 2.6 MB answer (the answer bigger than the question). The detail says how
 * many there were.
 */
export const MAX_LISTED_ERRORS = 100;

function toProblem(error: DomainishError, request: FastifyRequest): Problem {
  const requestId = request.id;
  const locale = localeOf(request);
  const p = (status: number, detail: string | DetailRef, extra: Partial<Problem> = {}) =>
    problem(status, detail, { requestId, ...extra }, locale);
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
    const detail: DetailRef =
      listed.length < errors.length
        ? { key: 'schema-mismatch-first', values: { listed: listed.length, total: errors.length } }
        : { key: 'schema-mismatch' };
    return p(400, detail, { errors: listed });
  }
  const status = error.status ?? error.statusCode ?? 500;
  if (status === 409 && error.rules) {
    return p(409, rulesText(error.rules, locale), { rules: error.rules });
  }
  if (status === 403) {
    return p(403, error.detailRef ?? (error.message || { key: 'not-permitted' }), { rules: ['not-permitted'] });
  }
  if (status === 400) {
    const detail: DetailRef =
      error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? { key: 'invalid-json' }
        : error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
          ? { key: 'empty-body' }
          : error.errors
            ? { key: 'unknown-reference' }
            : { key: 'invalid-request' };
    return p(400, detail, error.errors ? { errors: error.errors } : {});
  }
  if (status === 413) return p(413, error.detail ?? { key: 'body-limit' });
  if (status === 415) return p(415, error.detail ?? { key: 'send-json' });
  if (status === 429) return p(429, error.detailRef ?? { key: 'slow-down' });
  if (status === 503) {
    // Our own transient refusals (with a Retry-After) explain themselves; anything else stays generic.
    if (error.retryAfterSeconds === undefined) return p(503, { key: 'unavailable-retry' });
    return p(503, error.detailRef ?? error.message);
  }
  if (status >= 400 && status < 500) return p(status, error.detailRef ?? error.message);
  return p(500, { key: 'internal' });
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
      sendProblem(reply, problem(404, { key: 'no-such-resource' }, { requestId: request.id }, localeOf(request))),
    );
  },
  { name: 'problem' },
);
