import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Principal } from '../../../domain/index.ts';
import type { TokenVerifier } from '../../auth/tokens.ts';
import { localeOf, problem, sendProblem } from './problem.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified caller; set on every route not marked `config.public`. */
    principal: Principal;
  }
  interface FastifyContextConfig {
    /** Health, metrics and docs answer without a token. */
    public?: boolean;
  }
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return undefined;
  // RFC 7235/6750: the scheme is case-insensitive and followed by one or more spaces.
  const m = /^Bearer +([A-Za-z0-9\-_=]+\.[A-Za-z0-9\-_=]*\.[A-Za-z0-9\-_=]*)$/i.exec(header.trim());
  return m?.[1];
}

export default fp(
  async function authPlugin(app: FastifyInstance, opts: { verifier: TokenVerifier }) {
    app.decorateRequest('principal', null as unknown as Principal);
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.public) return;
      const token = bearerToken(request);
      if (!token) {
        void reply.header('WWW-Authenticate', 'Bearer');
        return sendProblem(
          reply,
          problem(401, { key: 'bearer-required' }, { requestId: request.id }, localeOf(request)),
        );
      }
      try {
        request.principal = await opts.verifier.verify(token);
      } catch {
        void reply.header('WWW-Authenticate', 'Bearer error="invalid_token"');
        return sendProblem(reply, problem(401, { key: 'token-invalid' }, { requestId: request.id }, localeOf(request)));
      }
    });
  },
  { name: 'auth' },
);
