/**
 * Personal data where it does not belong (OWASP API3 and API8): in caches, metrics labels,
 * ETags, URLs and logs. A case is opened for a person with a distinctive (fictional) name,
 * worked on, read, and probed with that name in paths; then every side channel is searched
 * for the name.
 *
 * Protection: `Cache-Control: no-store` on every API answer (services/api/plugins/
 * security-headers.ts; helmet sets none, so a browser or a proxy could keep a case on disk),
 * route templates (never raw URLs) as metrics labels (services/api/plugins/metrics.ts), ETags
 * made of the stream revision, and logs of ids only (services/logger.ts). Remove the
 * `Cache-Control` hook → "API answers are never stored" fails.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODIES } from '../support/api-flow.ts';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const GIVEN = 'Zephyrine';
const FAMILY = 'Quorvalla';
const PLACE = 'Xylobad';
const NAMES = [GIVEN, FAMILY, PLACE];

let t: TestApp;
let cw: string;
let admin: string;
let monitor: string;
let caseId: string;
const seen: LightMyRequestResponse[] = [];
const keep = async (res: Promise<LightMyRequestResponse>) => {
  const r = await res;
  seen.push(r);
  return r;
};

beforeAll(async () => {
  t = await startTestApp({ captureLogs: true });
  cw = await t.token('caseworker', { state: 'DE' });
  admin = await t.token('admin');
  monitor = await t.token('monitor');
  const body = familyCaseBody();
  const opened = await keep(
    t.call('POST', '/v1/cases', cw, {
      ...body,
      person: { ...body.person, givenNames: GIVEN, familyName: FAMILY, placeOfBirth: PLACE },
    }),
  );
  expect(opened.statusCode, opened.body).toBe(201);
  caseId = opened.json().caseId as string;
  await keep(t.call('POST', '/v1/agreements', admin, agreementBody()));
  await keep(t.call('POST', `/v1/cases/${caseId}/verify-protection-status`, cw, BODIES['verify-protection-status']));
  await keep(
    t.call('POST', `/v1/cases/${caseId}/record-obstacle`, cw, {
      ...BODIES['record-obstacle'],
      note: `${GIVEN} said no`,
    }),
  );
  await keep(t.call('GET', `/v1/cases/${caseId}`, cw));
  await keep(t.call('GET', `/v1/cases/${caseId}`, monitor));
  await keep(t.call('GET', `/v1/cases/${caseId}/history`, cw));
  await keep(t.call('GET', '/v1/cases?status=all', cw));
  await keep(t.call('GET', '/v1/agreements', cw));
  await keep(t.call('GET', '/v1/reports/safeguards', admin, undefined, { accept: 'text/csv' }));
  await keep(t.call('GET', `/v1/cases/${caseId}`, admin)); // a 403
  await keep(t.call('GET', `/v1/cases/${FAMILY}-${GIVEN}`, cw)); // a 404 with a name in the path
  await keep(t.call('GET', `/v1/people/${FAMILY}?name=${GIVEN}`, cw)); // no such route
  await keep(t.call('POST', `/v1/cases/${caseId}/record-obstacle`, cw, { note: GIVEN })); // a 400
});
afterAll(() => t?.close());

describe('personal data stays out of side channels', () => {
  it('API answers are never stored by a browser or a proxy (Cache-Control: no-store)', () => {
    const bad = seen
      .filter((r) => !/\bno-store\b/.test(String(r.headers['cache-control'])))
      .map((r) => `${r.raw.req.method} ${r.raw.req.url} ${r.statusCode}: ${String(r.headers['cache-control'])}`);
    expect(bad).toEqual([]);
  });

  it('metrics labels are route templates, rule ids and actions: no names, no case ids, no raw paths', async () => {
    const metrics = (await t.call('GET', '/metrics', undefined)).body;
    expect(metrics).toContain('route="/v1/cases/:caseId"');
    expect(metrics).toContain('route="unmatched"');
    for (const leak of [...NAMES, caseId]) expect(metrics, leak).not.toContain(leak);
    const labels = [...metrics.matchAll(/(\w+)="([^"]*)"/g)].map(([, k, v]) => `${k}=${v}`);
    const routes = labels.filter((l) => l.startsWith('route=')).map((l) => l.slice(6));
    for (const route of routes) expect(route, 'a route label is a template').toMatch(/^(unmatched|\/[\w/:.*-]*)$/);
  });

  it('an ETag is the revision, quoted; Location carries the case id only', () => {
    for (const r of seen.filter((x) => x.headers.etag !== undefined))
      expect(r.headers.etag, `${r.raw.req.url}`).toMatch(/^"\d+"$/);
    const created = seen.find((r) => r.statusCode === 201 && r.headers.location?.toString().startsWith('/v1/cases/'));
    expect(created?.headers.location).toBe(`/v1/cases/${caseId}`);
    expect(caseId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('URLs carry ids only: no path or query parameter of the API names a personal field', async () => {
    const doc = (await t.call('GET', '/openapi.json', undefined)).json<{
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    }>();
    const personal = /name|birth|alias|nationality|sex|language|note|reason|text|person|passport|document/i;
    const bad: string[] = [];
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const param of p.match(/\{(\w+)\}/g) ?? [])
        if (!/^\{(caseId|agreementId|documentId|requestId|webhookId|deliveryId)\}$/.test(param))
          bad.push(`${p}: path parameter ${param}`);
      for (const [method, op] of Object.entries(ops))
        for (const q of op.parameters ?? [])
          if (q.in === 'query' && personal.test(q.name)) bad.push(`${method.toUpperCase()} ${p}: query ${q.name}`);
    }
    expect(bad).toEqual([]);
  });

  it('logs carry ids, never the names, the free text or the raw path of a 404', () => {
    expect(t.logs.length).toBeGreaterThan(5);
    const all = t.logs.join('\n');
    for (const leak of NAMES) expect(all, leak).not.toContain(leak);
  });
});
