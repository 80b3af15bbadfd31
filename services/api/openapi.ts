import type { SwaggerOptions } from '@fastify/swagger';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { ProblemDetails } from '../../contracts/index.ts';

/**
 * The OpenAPI document's frame: info, servers, tags (one per route file, each operation names
 * exactly one), security. Routes add their operations through their fastify `schema`
 * (services/api/README.md, "OpenAPI convention"); `npm run lint` lints the result.
 */
export const OPENAPI_TAGS = [
  { name: 'health', description: 'Liveness and readiness probes; public.' },
  {
    name: 'agreements',
    description: 'Readmission agreements and arrangements: admins record and amend, everyone signed in reads.',
  },
  { name: 'cases', description: 'Opening a return case, the case as the caller’s role may see it, and its history.' },
  {
    name: 'case actions',
    description:
      'One path per command on a case. Each answers the appended events, or a Problem Details refusal naming the rules.',
  },
  { name: 'read models', description: 'Worklist, liaison inbox and monitoring lists, served from the read models.' },
  { name: 'reports', description: 'Aggregated figures for analysts and admins: counts, rates and durations only.' },
  { name: 'audit', description: 'Who read which case, when, and which view (admins).' },
  {
    name: 'documents',
    description: 'Documents of a case, sealed with its key; shared with the origin State only through a request.',
  },
  { name: 'messages', description: 'Messages between the two authorities about one readmission request.' },
  { name: 'webhooks', description: 'Endpoints of other systems, signed deliveries and their dead letters (admins).' },
  { name: 'events', description: 'Server-sent notices (ids and types only) that refresh the UI’s badges.' },
  { name: 'trust', description: 'Signed case exports and the public keys to verify them offline.' },
  { name: 'auth', description: 'Who the server takes the caller to be, after claim mapping.' },
] as const;

export type OpenApiTag = (typeof OPENAPI_TAGS)[number]['name'];

/** Response descriptions for problem statuses, in the words of the problem titles. */
const PROBLEM_DESCRIPTIONS: Record<string, string> = {
  400: 'The request is not valid',
  401: 'A valid bearer token is required',
  403: 'Not permitted',
  404: 'Not found',
  406: 'Not acceptable',
  409: 'Refused by the workflow or a safeguard (the rules are named)',
  412: 'If-Match does not name the current revision',
  413: 'The request body is too large',
  414: 'A path segment is too long',
  415: 'Unsupported media type',
  422: 'Idempotency-Key reused with another request',
  429: 'Too many requests',
  503: 'Not available right now; retry after Retry-After',
};

type Responses = Record<string, { description?: string; content?: Record<string, unknown>; headers?: object }>;
type Operations = Record<string, Record<string, { responses?: Responses; parameters?: object[] }>>;

/** The languages of the human texts (plugins/problem.ts, services/api/i18n). */
const LANGUAGES = 'English (`en`, the default), French (`fr`) and Arabic (`ar`)';

/** Declared once, referenced by every operation and every problem response. */
export const LANGUAGE_COMPONENTS = {
  parameters: {
    AcceptLanguage: {
      name: 'Accept-Language',
      in: 'header' as const,
      required: false,
      description:
        `The language of the human texts of a Problem Details answer (\`title\`, \`detail\`, each rule's ` +
        `explanation): ${LANGUAGES}; quality values are honoured, \`fr-CA\` counts as \`fr\`, anything else ` +
        'gets English. The problem `type`, rule ids, field paths and data never change with the language.',
      schema: { type: 'string' as const, maxLength: 1000, examples: ['fr-FR,fr;q=0.9,en;q=0.5'] },
    },
  },
  headers: {
    ContentLanguage: {
      description: 'The language of `title` and `detail`, as chosen from `Accept-Language`: `en`, `fr` or `ar`.',
      schema: { type: 'string' as const, enum: ['en', 'fr', 'ar'] },
    },
  },
};

/**
 * Problems go out as `application/problem+json` (plugins/problem.ts), so the document says so:
 * a response whose schema is `ProblemDetails` (recognised by its description) moves from the
 * default `application/json` to that media type, gets a description for its status and the
 * `Content-Language` header; every operation takes `Accept-Language` for those texts.
 */
export function declareProblemMediaType<T extends { paths?: unknown }>(doc: T): T {
  for (const operations of Object.values((doc.paths ?? {}) as Operations)) {
    for (const operation of Object.values(operations)) {
      operation.parameters = [...(operation.parameters ?? []), { $ref: '#/components/parameters/AcceptLanguage' }];
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const json = response.content?.['application/json'];
        if (!json || response.description !== ProblemDetails.description) continue;
        response.content = { 'application/problem+json': json };
        response.description = PROBLEM_DESCRIPTIONS[status] ?? response.description;
        response.headers = {
          ...response.headers,
          'Content-Language': { $ref: '#/components/headers/ContentLanguage' },
        };
      }
    }
  }
  return doc;
}

export const openApiOptions: SwaggerOptions = {
  openapi: {
    openapi: '3.1.0',
    info: {
      title: 'rrc: return and readmission coordination',
      version: '1.0.0',
      description:
        'Every command is its own path. Errors are RFC 9457 Problem Details; refusals carry rule ids. ' +
        `Their \`title\` and \`detail\` follow \`Accept-Language\` (${LANGUAGES}).`,
      // The package is private (package.json): no open-source licence is granted.
      license: { name: 'UNLICENSED' },
      contact: { name: 'rrc maintainers' },
    },
    // Relative: the API answers on the host that serves this document.
    servers: [{ url: '/', description: 'The server that serves this document' }],
    tags: [...OPENAPI_TAGS],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      ...LANGUAGE_COMPONENTS,
    },
    security: [{ bearer: [] }],
  },
  transform: jsonSchemaTransform,
  transformObject: (input) =>
    'openapiObject' in input ? declareProblemMediaType(input.openapiObject) : input.swaggerObject,
};
