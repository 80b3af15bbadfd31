import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES, actionBodies } from '../../contracts/index.ts';
import { Api } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Health, metrics and the API description: no token needed. */
describe('health, metrics, OpenAPI and docs', () => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
  });
  afterAll(() => t.close());

  it('GET /health/live answers 200 without a token', async () => {
    const res = await t.call('GET', '/health/live', undefined);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok' });
  });

  it('GET /health/ready answers 200 once the store answers, without a token', async () => {
    await api.open();
    const res = await t.call('GET', '/health/ready', undefined);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ready', store: 'sqlite' });
    expect(res.json().headPosition).toBeGreaterThan(0);
  });

  it('GET /metrics answers Prometheus text, without a token, counting requests, commands and refusals', async () => {
    const caseId = await api.open();
    await api.post(api.tk.cw, caseId, 'plan-removal'); // refused: counts refusals by rule
    const res = await t.call('GET', '/metrics', undefined);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/^# HELP /m);
    expect(res.body).toMatch(/rrc_http_requests_total\{method="POST",route="\/v1\/cases",status="201"\} \d+/);
    expect(res.body).toMatch(/rrc_commands_total\{action="plan-removal",outcome="refused"\} 1/);
    expect(res.body).toMatch(/rrc_refusals_total\{rule="protection-clearance-required"\} \d+/);
    // Ids and routes only: never a case id or a name.
    expect(res.body).not.toContain(caseId);
    expect(res.body).not.toContain('Testova');
  });

  it('GET /openapi.json is an OpenAPI 3 document with one path per action, each with its own request body schema', async () => {
    const res = await t.call('GET', '/openapi.json', undefined);
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const paths = doc.paths as Record<
      string,
      Record<string, { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } }>
    >;
    for (const p of [
      '/v1/agreements',
      '/v1/agreements/{agreementId}',
      '/v1/agreements/{agreementId}/amend',
      '/v1/cases',
      '/v1/cases/{caseId}',
      '/v1/cases/{caseId}/history',
    ]) {
      expect(paths, p).toHaveProperty([p]);
    }
    const seen = new Set<string>();
    for (const action of ACTION_NAMES) {
      const op = paths[`/v1/cases/{caseId}/${action}`]?.post;
      expect(op, action).toBeDefined();
      const schema = op!.requestBody?.content['application/json']?.schema as
        { properties?: Record<string, unknown>; required?: string[]; additionalProperties?: unknown } | undefined;
      expect(schema, `${action} request body`).toBeDefined();
      // The body schema is the action's own: exactly its fields, strict (unknown fields are a 400).
      const expectedKeys = Object.keys(actionBodies[action].shape).sort();
      expect(Object.keys(schema!.properties ?? {}).sort(), action).toEqual(expectedKeys);
      expect(schema!.additionalProperties, action).toBe(false);
      seen.add(JSON.stringify(schema));
    }
    // No two actions share one schema (a catch-all body would).
    expect(seen.size).toBe(
      new Set(ACTION_NAMES.map((a) => JSON.stringify(Object.keys(actionBodies[a].shape).sort()))).size,
    );
    // An action is a POST-only path under the case; reads (history, export) and the
    // documents collection (GET and POST) are not actions.
    const actionPaths = Object.keys(paths).filter(
      (p) =>
        /^\/v1\/cases\/\{caseId\}\/[a-z-]+$/.test(p) &&
        Object.keys(paths[p] ?? {})
          .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
          .join() === 'post',
    );
    expect(actionPaths.sort()).toEqual(ACTION_NAMES.map((a) => `/v1/cases/{caseId}/${a}`).sort());
    expect(doc.components?.securitySchemes?.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('GET /docs serves the browsable UI without a token', async () => {
    let res = await t.call('GET', '/docs', undefined);
    if (res.statusCode >= 300 && res.statusCode < 400)
      res = await t.call('GET', res.headers.location as string, undefined);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
  });

  it('everything under /v1 needs a token', async () => {
    for (const url of ['/v1/agreements', '/v1/cases/x', '/v1/cases/x/history']) {
      const res = await t.call('GET', url, undefined);
      expect(res.statusCode, url).toBe(401);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it('an unknown path is a 404 Problem', async () => {
    const res = await t.call('GET', '/v2/whatever', api.tk.cw);
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
