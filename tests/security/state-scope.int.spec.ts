/**
 * State scope on every route (OWASP API1, broken object-level authorisation), generated from
 * the app's own route table: whatever route is added, a caller of another State is sent to
 * it, with the ids of a DE case (addressed to PK) in the path, plausible bodies, list filters
 * and forged cursors. For each route and each foreign caller (a caseworker of FR, a liaison of
 * MA, a token with both roles for FR):
 * - a route about a case (`:caseId`) answers 404, or a 403 decided from the role alone (the
 *   same for a case that does not exist), never anything that tells the case exists;
 * - no answer of any route carries the DE case's id or its people's names;
 * - nothing is recorded on the DE case.
 * The control: DE's caseworker and PK's liaison do see the case in their lists, so the
 * absence above means something. A route with a path parameter this file cannot fill fails
 * the run (add it to `fill`).
 *
 * Protection: the State checks in domain/access.ts (`actionAccess`/`readAccess`) used by the
 * case routes and commands, and the State filter every list query takes from the token
 * (`stateOf` in services/api/read-helpers.ts). Make a list ignore the token's State (e.g.
 * `worklist` without `destination_state = @state`) → "… carries nothing of another State's
 * case" fails for that route.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { ActionName } from '../../contracts/index.ts';
import { Api, BODIES } from '../support/api-flow.ts';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';
import { recordingFastify, type RegisteredRoute } from '../support/route-table.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const ROUTES: RegisteredRoute[] = vi.hoisted(() => []);
vi.mock('fastify', async (original) => recordingFastify(await original(), ROUTES));

const PUBLIC = /^\/(health|metrics|openapi\.json|docs|ui)(\/|$)/;
/** The names in `familyCaseBody` (fictional). */
const NAMES = ['Amina', 'Testova', 'Sami', 'Faisalabad'];

// Built at the top (not in beforeAll) so the route table is complete when `it.each` reads it.
const t: TestApp = await startTestApp();
const api = await Api.start(t);
const agreementId = await api.agreement();
const caseId = await api.planned(agreementId);
await api.do(api.tk.cw, caseId, 'report-use-of-force');
await api.do(api.tk.monitor, caseId, 'raise-safeguard-concern');
const foreign: Record<string, string> = {
  'caseworker of FR': api.tk.cwFR,
  'liaison of MA': api.tk.liaisonMA,
  'caseworker and liaison of FR': await t.token(['caseworker', 'liaison'], { state: 'FR', sub: 'fr-both' }),
};
const eventsBefore = (await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cw)).json().items.length as number;
afterAll(() => t?.close());

/** The path with its parameters filled: the DE case, the DE–PK agreement. */
function fill(url: string): string {
  const filled = url
    .replace(':caseId', caseId)
    .replace(':agreementId', agreementId)
    .replace(':file', 'index.html')
    .replace(':requestId', 'q1')
    .replace(':documentId', '00000000-0000-4000-8000-000000000000')
    .replace(':webhookId', 'x')
    .replace(':deliveryId', 'x')
    .replace(/\*$/, 'x');
  if (filled.includes(':'))
    throw new Error(`state-scope spec: no value for the parameters of ${url}; add it to fill()`);
  return filled;
}

function bodyFor(r: RegisteredRoute): unknown {
  if (r.method !== 'POST') return undefined;
  if (r.url === '/v1/cases') return familyCaseBody();
  if (r.url.startsWith('/v1/agreements')) return agreementBody();
  if (r.url.endsWith('/messages')) return { text: 'A question about the request.' };
  const action = r.url.split('/').pop() as ActionName;
  if (action === 'submit-readmission-request') return { ...BODIES[action], agreementId };
  return BODIES[action] ?? {};
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
/** Query strings for a list: everything, filtered on the DE case's States, and forged cursors that start before it. */
const QUERIES = [
  '',
  '?status=all&limit=500',
  '?originState=PK&status=all',
  '?destinationState=DE&state=DE',
  `?caseId=${'CASE'}`,
  ...[1, 2, 3, 4].map((n) => `?cursor=${b64(['k1', ...Array<string>(n).fill('')])}&limit=500`),
];

const leaks = (res: LightMyRequestResponse): string[] =>
  [caseId, ...NAMES].filter((s) => res.body.includes(s)).map((s) => (s === caseId ? 'the case id' : s));

const scoped = () =>
  ROUTES.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && !PUBLIC.test(r.url)).map(
    (r) => [`${r.method} ${r.url}`, r] as const,
  );

describe('State scope on every route (from the route table)', () => {
  it('saw the routes, and the owners see the case (the control)', async () => {
    expect(scoped().length).toBeGreaterThan(40);
    const worklist = await t.call('GET', '/v1/cases?status=all&limit=500', api.tk.cw);
    expect(worklist.body).toContain(caseId);
    const inbox = await t.call('GET', '/v1/liaison/requests?status=all&limit=500', api.tk.liaison);
    expect(inbox.body).toContain(caseId);
    expect((await t.call('GET', `/v1/cases/${caseId}`, api.tk.liaison)).statusCode).toBe(200);
  });

  it.each(scoped())('%s carries nothing of another State’s case', async (_, r) => {
    const bad: string[] = [];
    const queries = r.method === 'GET' && !r.url.includes(':caseId') ? QUERIES : [''];
    for (const [who, token] of Object.entries(foreign)) {
      for (const q of queries) {
        const url = `${fill(r.url)}${q.replace('CASE', caseId)}`;
        const res = await t.call(r.method as 'GET', url, token, bodyFor(r));
        const where = `${who}: ${r.method} ${url.replace(caseId, '<DE case>')} → ${res.statusCode}`;
        if (res.statusCode >= 500) bad.push(`${where} (a 5xx)`);
        // 404 (the case is not theirs to know of), or a 403 decided from the role alone, which a
        // case that does not exist gets too (api.md: 403 for the role, 404 for the case).
        if (r.url.includes(':caseId') && res.statusCode !== 404) {
          const none = await t.call(r.method as 'GET', url.replace(caseId, crypto.randomUUID()), token, bodyFor(r));
          if (res.statusCode !== 403 || none.statusCode !== 403) bad.push(`${where}, expected 404 or a role-alone 403`);
        }
        const leaked = leaks(res);
        if (leaked.length > 0) bad.push(`${where} carries ${leaked.join(', ')}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('a foreign caller’s 404 on the case is the 404 of a case that does not exist', async () => {
    const unknown = crypto.randomUUID();
    for (const [who, token] of Object.entries(foreign)) {
      for (const suffix of ['', '/history', '/record-obstacle']) {
        const method = suffix === '/record-obstacle' ? 'POST' : 'GET';
        const payload = method === 'POST' ? BODIES['record-obstacle'] : undefined;
        const real = await t.call(method, `/v1/cases/${caseId}${suffix}`, token, payload);
        const none = await t.call(method, `/v1/cases/${unknown}${suffix}`, token, payload);
        const shape = (res: LightMyRequestResponse) => {
          const { requestId: _id, ...rest } = res.json<Record<string, unknown>>();
          return { status: res.statusCode, rest };
        };
        expect(shape(real), `${who} ${method} …${suffix}`).toEqual(shape(none));
      }
    }
  });

  it('nothing was recorded on the DE case by any of it', async () => {
    const history = (await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cw)).json();
    expect(history.items.length).toBe(eventsBefore);
  });
});
