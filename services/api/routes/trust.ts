import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaseIdParams, problemResponses } from '../../../contracts/index.ts';
import { readAccess } from '../../../domain/index.ts';
import { ForbiddenError, NotFoundError } from '../../commands/errors.ts';
import type { Services } from '../../container.ts';
import { returnCaseStream } from '../../event-store/port.ts';
import { EXPORT_FORMAT, exportedEvent, signExport } from '../../trust/case-export.ts';
import { CHAIN_VERSION } from '../../event-store/chain.ts';
import { loadSigningKey, type SigningKey } from '../../trust/signing-key.ts';

const Jws = z.object({ protected: z.string(), payload: z.string(), signature: z.string() });

/**
 * Evidence for courts and ombudspersons: a case's stored history signed by the deployment, and
 * the public key to check it with. The key is loaded on first use and shared by replicas
 * through the keys dir.
 */
const trustRoutes: FastifyPluginAsyncZod<{ services: Services }> = async (app, { services }) => {
  let key: Promise<SigningKey> | undefined;
  const signingKey = () => (key ??= loadSigningKey(services.config.keysDir));

  app.get(
    '/.well-known/rrc-export-keys.json',
    {
      config: { public: true },
      schema: {
        operationId: 'getExportKeys',
        description: 'The deployment’s Ed25519 public keys (JWKS) that verify case exports offline.',
        tags: ['trust'],
        summary: 'The public keys (JWKS) that case exports are signed with',
        security: [],
        response: { 200: z.object({ keys: z.array(z.record(z.string(), z.unknown())) }), ...problemResponses(429) },
      },
    },
    async (_request, reply) => {
      const { publicJwk } = await signingKey();
      return reply.header('Cache-Control', 'public, max-age=3600').send({ keys: [publicJwk] });
    },
  );

  app.get(
    '/v1/cases/:caseId/export',
    {
      schema: {
        operationId: 'exportCase',
        description:
          'Every event of the case’s stream as stored, with its hash-chain link, in a JWS signed with the deployment’s key.',
        tags: ['trust'],
        summary:
          'The case’s stored history (personal fields as ciphertext) with its hash chain, signed (JWS, EdDSA) by the deployment (caseworker, monitor)',
        params: CaseIdParams,
        response: { 200: Jws, ...problemResponses(400, 401, 403, 404, 414, 429) },
      },
    },
    async (request, reply) => {
      const { principal } = request;
      // As the history: decided from the role alone first, then by State scope (404), then liaison (403).
      if (!principal.roles.some((r) => r === 'caseworker' || r === 'monitor' || r === 'liaison'))
        throw new ForbiddenError('Case exports are for caseworkers and monitors.');
      const loaded = await services.repository.load(request.params.caseId);
      const c = loaded.state.data;
      if (c === null) throw new NotFoundError();
      const access = readAccess(principal, c);
      if (!access.ok) throw access.status === 404 ? new NotFoundError() : new ForbiddenError();
      if (access.role === 'liaison') throw new ForbiddenError('Case exports are for caseworkers and monitors.');
      await services.readAudit.record(principal, access.role, c.caseId, 'export');
      const stored = await services.store.readStream(returnCaseStream(c.caseId));
      const jws = await signExport(
        {
          format: EXPORT_FORMAT,
          chain: CHAIN_VERSION,
          caseId: c.caseId,
          exportedAt: services.clock().toISOString(),
          exportedBy: { sub: principal.sub, role: access.role },
          events: stored.map(exportedEvent),
        },
        await signingKey(),
      );
      return reply
        .header('Content-Disposition', `attachment; filename="case-${c.caseId}-export.json"`)
        .header('Cache-Control', 'no-store')
        .send({ protected: jws.protected ?? '', payload: jws.payload, signature: jws.signature });
    },
  );
};

export default trustRoutes;
