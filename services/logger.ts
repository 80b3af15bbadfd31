import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Logs carry ids, never names or free text. Request and response serializers keep only
 * method, route, status and ids; bodies are never logged; the redaction list is a second
 * line of defence for anything that reaches a log object by mistake.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  // Headers logged under another name (@fastify/multipart traces its busboy options with them).
  '*.headers.authorization',
  '*.headers.cookie',
  '*.person',
  '*.household',
  '*.givenNames',
  '*.familyName',
  '*.dateOfBirth',
  '*.aliases',
  '*.reasons',
  '*.details',
  '*.note',
  '*.text',
  '*.justification',
  '*.injuries',
  '*.response',
  'body',
  '*.body',
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: { id?: string; method?: string; routeOptions?: { url?: string }; url?: string }) => ({
        id: req.id,
        method: req.method,
        // The route pattern, not the URL: query strings may carry free text, and so may the
        // path of a request no route matched (`/v1/people/<name>`), labelled as the metrics label it.
        route: req.routeOptions?.url ?? 'unmatched',
      }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      err: pino.stdSerializers.err,
    },
  };
}

export const createLogger = (level: string, destination?: pino.DestinationStream): Logger =>
  destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
