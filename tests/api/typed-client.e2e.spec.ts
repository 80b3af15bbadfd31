import createClient, { type Middleware } from 'openapi-fetch';
import type { OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument, openApiTypes } from '../../scripts/openapi-document.ts';
import { familyCaseBody } from '../support/http-fixtures.ts';
import { startRrc, type RrcProcess } from '../support/rrc-process.ts';
// Written from the served document by `npm run openapi:types` (before typecheck and lint; gitignored).
import type { paths } from '../../tmp/openapi.d.ts';

/**
 * A client generated from the OpenAPI document drives a case against the real server
 * (`rrc serve` on a loopback port): openapi-typescript makes the types of GET /openapi.json,
 * openapi-fetch calls the API with them. Typecheck holds the calls below to the document (a
 * wrong path, body field or response field does not compile); this spec holds the document to
 * the server: the types generated from what the server serves are the ones compiled against,
 * and the server answers what they promise.
 */
const DAY = 86_400_000;
const dateIn = (days: number): string => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

describe('a typed client generated from /openapi.json', () => {
  let rrc: RrcProcess;
  let caseworker: string;

  beforeAll(async () => {
    rrc = await startRrc();
    caseworker = await rrc.token('--role', 'caseworker', '--state', 'DE', '--sub', 'typed-client-cw');
  }, 60_000);

  afterAll(async () => {
    await rrc?.stop();
  });

  const clientAs = (token: string) => {
    const client = createClient<paths>({ baseUrl: rrc.base });
    const auth: Middleware = {
      onRequest: ({ request }) => {
        request.headers.set('authorization', `Bearer ${token}`);
        return request;
      },
    };
    client.use(auth);
    return client;
  };

  it('generates its types from the served document, the one the app builds in process for typecheck', async () => {
    const served = (await (await fetch(`${rrc.base}/openapi.json`)).json()) as OpenAPI3;
    // `npm run openapi:types` wrote tmp/openapi.d.ts from the in-process app: same document, same types.
    expect(served).toEqual(await openApiDocument());
    const types = await openApiTypes(served);
    expect(types).toContain('openCase: {');
    expect(types).toContain('verifyProtectionStatus: {');
    expect(types).toContain('"application/problem+json": {');
  });

  it('opens a case, verifies its protection status and reads it back', async () => {
    const api = clientAs(caseworker);

    const opened = await api.POST('/v1/cases', {
      body: familyCaseBody({ returnDecision: { reference: 'RD-TYPED-0001', issuedOn: dateIn(-30) } }),
    });
    expect(opened.response.status, JSON.stringify(opened.error)).toBe(201);
    const caseId = opened.data!.caseId;
    expect(opened.response.headers.get('location')).toBe(`/v1/cases/${caseId}`);
    expect(opened.data!.revision).toBe(0);

    const protection = {
      decisionFinalOn: dateIn(-10),
      suspensiveRemedyPending: false,
      nonRefoulementAssessment: { outcome: 'no-risk' as const, assessedOn: dateIn(-5), reasons: 'No risk found.' },
    };
    const verified = await api.POST('/v1/cases/{caseId}/verify-protection-status', {
      params: { path: { caseId } },
      body: protection,
      headers: { 'if-match': `"${opened.data!.revision}"` },
    });
    expect(verified.response.status, JSON.stringify(verified.error)).toBe(200);
    expect(verified.data!.events).toEqual(['ProtectionStatusVerified']);
    expect(verified.response.headers.get('etag')).toBe(`"${verified.data!.revision}"`);

    const read = await api.GET('/v1/cases/{caseId}', { params: { path: { caseId } } });
    expect(read.response.status, JSON.stringify(read.error)).toBe(200);
    expect(read.data!.caseId).toBe(caseId);
    expect(read.data!.revision).toBe(verified.data!.revision);
    expect(read.data!.protection).toEqual(protection);
    expect(read.data!.allowedActions.map((a) => a.action)).toContain('submit-readmission-request');
  });

  it('gets a refusal as typed Problem Details in application/problem+json', async () => {
    const api = clientAs(caseworker);
    const missing = await api.GET('/v1/cases/{caseId}', { params: { path: { caseId: 'no-such-case' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(missing.error).toMatchObject({ status: 404, type: 'urn:rrc:problem:not-found' });
    expect(missing.data).toBeUndefined();
  });
});
