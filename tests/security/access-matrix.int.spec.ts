/**
 * Access matrix, generated from the app's own route table (an `onRoute` hook sees every
 * registration): every route × every role × a case of the caller's own State and of
 * another State. Each cell is "allowed" (past access control: anything but 401/403/404 and
 * never a 5xx; a 400, 409 or 412 counts), 403 `rules: ["not-permitted"]`, or 404.
 *
 * Expected values come from the contract, not from the code under test: `ACTION_ROLES`
 * (api.md's action table) for actions, and api.md/domain.md for who may know of a case:
 * a caseworker its own State's cases; a liaison only cases with a request addressed to its
 * State; monitors and admins every case; analysts none. The role alone is judged first: a
 * caller none of whose roles may ever read case views, or ever take an action, gets 403 for
 * that route whatever the case id, existing or not, so it reveals nothing (an analyst is 403
 * reading and acting alike). Then a case the caller may not know of is a 404 (never a 403,
 * which would confirm it exists); a wrong role on a case it knows is a 403. A route this
 * file does not classify fails the run: add new routes here.
 *
 * Protection: the State-scope check in `actionAccess`/`readAccess` (domain/access.ts), used by
 * `CaseCommands.execute` and the case routes. Remove it (e.g. make `roleReaches` answer
 * `true` for a caseworker whatever the State) → the other-State cells fail (200/409 where
 * 404 is expected) and so does "a DE caseworker cannot reach an FR case".
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ACTION_NAMES, type ActionName, type Role } from '../../contracts/index.ts';
import { ACTION_ROLES } from '../../domain/index.ts';
import { BODIES } from '../support/api-flow.ts';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';
import { recordingFastify, type RegisteredRoute } from '../support/route-table.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

const ROLES: readonly Role[] = ['caseworker', 'liaison', 'monitor', 'analyst', 'admin'];
type Scope = 'own' | 'other';
const SCOPES: readonly Scope[] = ['other', 'own'];

/** `allowed`: past access control; `either`: api.md does not say, allowed or 403 both pass. */
type Expected = 'allowed' | 403 | 404 | 'either';

// ---------------------------------------------------------------------------------------
// The route table

type Route = RegisteredRoute;

/**
 * Every route the app registers, seen by an `onRoute` hook added to each fastify instance the
 * moment it is made (before any plugin), so no registration path can slip past.
 */
const ROUTES: Route[] = vi.hoisted(() => []);
vi.mock('fastify', async (original) => recordingFastify(await original(), ROUTES));

// ---------------------------------------------------------------------------------------
// What the contract says

/** Whether a role may know of the standard case (destination DE, origin PK, request submitted). */
const knows = (role: Role, scope: Scope): boolean =>
  role === 'monitor' || role === 'admin' || ((role === 'caseworker' || role === 'liaison') && scope === 'own');

const byRole =
  (allowed: readonly Role[], others: Expected = 403) =>
  (role: Role): Expected =>
    allowed.includes(role) ? 'allowed' : others;

type Rule =
  | { kind: 'public' }
  /** Not about a case: the same for both scopes. */
  | { kind: 'role'; expect: (role: Role) => Expected }
  | { kind: 'case'; expect: (role: Role, scope: Scope) => Expected; action?: ActionName }
  /** Read models that another change adds: checked when present, listed when absent. */
  | { kind: 'read-model'; expect: (role: Role) => Expected };

/** The role first (403 from the role alone, whatever the case), then the case (404 if not known). */
const actionRule = (action: ActionName): Rule => ({
  kind: 'case',
  action,
  expect: (role, scope) => (!ACTION_ROLES[action].includes(role) ? 403 : !knows(role, scope) ? 404 : 'allowed'),
});

/** api.md: caseworker reads its own State's cases, liaison those addressed to its State, monitor all; analyst and admin never (403, from the role alone). */
const caseRead: Rule = {
  kind: 'case',
  expect: (role, scope) => (role === 'analyst' || role === 'admin' ? 403 : knows(role, scope) ? 'allowed' : 404),
};
/** api.md: the history is for caseworkers and monitors. */
const historyRead: Rule = {
  kind: 'case',
  expect: (role, scope) =>
    role === 'analyst' || role === 'admin' ? 403 : !knows(role, scope) ? 404 : role === 'liaison' ? 403 : 'allowed',
};

const RULES: Record<string, Rule> = {
  'GET /health/live': { kind: 'public' },
  'GET /health/ready': { kind: 'public' },
  'GET /metrics': { kind: 'public' },
  'GET /openapi.json': { kind: 'public' },
  'GET /docs': { kind: 'public' },
  'GET /docs/static/*': { kind: 'public' },
  'GET /docs/json': { kind: 'public' },
  'GET /docs/yaml': { kind: 'public' },
  'GET /docs/static/index.html': { kind: 'public' },
  'GET /docs/static/swagger-initializer.js': { kind: 'public' },
  // The web UI's shell: static files and rule texts; its data comes from the API with a token.
  'GET /ui': { kind: 'public' },
  'GET /ui/rules.json': { kind: 'public' },
  'GET /ui/:file': { kind: 'public' },
  // How the UI signs in (issuer, client id) and the sign-in library's browser build.
  'GET /ui/config.json': { kind: 'public' },
  'GET /ui/vendor/oauth4webapi.js': { kind: 'public' },
  // The UI's message catalogues and the message-format library's browser build (issue 15).
  'GET /ui/locales/:lang': { kind: 'public' },
  'GET /ui/vendor/intl-messageformat.js': { kind: 'public' },
  // Who the caller is, after claim mapping: every signed-in role.
  'GET /v1/me': { kind: 'role', expect: byRole(ROLES) },
  'POST /v1/agreements': { kind: 'role', expect: byRole(['admin']) },
  'POST /v1/agreements/:agreementId/amend': { kind: 'role', expect: byRole(['admin']) },
  'GET /v1/agreements': { kind: 'role', expect: byRole(ROLES) },
  'GET /v1/agreements/:agreementId': { kind: 'role', expect: byRole(ROLES) },
  'GET /v1/audit/reads': { kind: 'role', expect: byRole(['admin']) },
  // Webhooks: admins only. Live notices: the roles with case lists (README.md, Webhooks).
  'POST /v1/webhooks': { kind: 'role', expect: byRole(['admin']) },
  'GET /v1/webhooks': { kind: 'role', expect: byRole(['admin']) },
  'DELETE /v1/webhooks/:webhookId': { kind: 'role', expect: byRole(['admin']) },
  'GET /v1/webhooks/dead-letters': { kind: 'role', expect: byRole(['admin']) },
  'POST /v1/webhooks/dead-letters/replay': { kind: 'role', expect: byRole(['admin']) },
  'POST /v1/webhooks/dead-letters/:deliveryId/replay': { kind: 'role', expect: byRole(['admin']) },
  'GET /v1/events/stream': { kind: 'role', expect: byRole(['caseworker', 'liaison', 'monitor']) },
  'POST /v1/cases': { kind: 'role', expect: byRole(['caseworker']) },
  'GET /v1/cases/:caseId': caseRead,
  'GET /v1/cases/:caseId/history': historyRead,
  'GET /v1/cases/:caseId/export': historyRead,
  'GET /.well-known/rrc-export-keys.json': { kind: 'public' },
  'POST /v1/search/cases': { kind: 'role', expect: byRole(['caseworker']) },
  ...Object.fromEntries(ACTION_NAMES.map((a) => [`POST /v1/cases/:caseId/${a}`, actionRule(a)])),
  // Documents (issue 13): the destination State's caseworker uploads; readers as for the case.
  'POST /v1/cases/:caseId/documents': {
    kind: 'case',
    expect: (role, scope) => (!knows(role, scope) ? 404 : role === 'caseworker' ? 'allowed' : 403),
  },
  'GET /v1/cases/:caseId/documents': caseRead,
  // A document id the case does not have: 404 for every reader, 403 from the role alone for the others.
  'GET /v1/cases/:caseId/documents/:documentId': {
    kind: 'case',
    expect: (role) => (role === 'analyst' || role === 'admin' ? 403 : 404),
  },
  // Messages about a request: the two authorities write; monitors read too (every safeguard record).
  'POST /v1/cases/:caseId/readmission-requests/:requestId/messages': {
    kind: 'case',
    expect: (role, scope) =>
      !knows(role, scope) ? 404 : role === 'caseworker' || role === 'liaison' ? 'allowed' : 403,
  },
  'GET /v1/cases/:caseId/readmission-requests/:requestId/messages': caseRead,
  // Read models (api.md). Where api.md names the audience, the rest are 403; where it is
  // silent, `either`. The origin State's liaison never sees incidents or removals.
  'GET /v1/cases': {
    kind: 'read-model',
    expect: (r) => (r === 'caseworker' ? 'allowed' : r === 'monitor' ? 'either' : 403),
  },
  'GET /v1/liaison/requests': {
    kind: 'read-model',
    expect: (r) => (r === 'liaison' ? 'allowed' : r === 'monitor' ? 'either' : 403),
  },
  'GET /v1/monitoring/removals': {
    kind: 'read-model',
    expect: (r) => (r === 'monitor' ? 'allowed' : r === 'liaison' || r === 'analyst' ? 403 : 'either'),
  },
  'GET /v1/monitoring/incidents': {
    kind: 'read-model',
    expect: (r) => (r === 'monitor' ? 'allowed' : r === 'liaison' || r === 'analyst' ? 403 : 'either'),
  },
  'GET /v1/reports/readmission-obstacles': {
    kind: 'read-model',
    expect: (r) => (r === 'analyst' || r === 'admin' ? 'allowed' : r === 'liaison' ? 403 : 'either'),
  },
  'GET /v1/reports/safeguards': {
    kind: 'read-model',
    expect: (r) => (r === 'analyst' || r === 'admin' ? 'allowed' : r === 'liaison' ? 403 : 'either'),
  },
  'GET /v1/reports/eurostat-returns': {
    kind: 'read-model',
    expect: (r) => (r === 'analyst' || r === 'admin' ? 'allowed' : r === 'liaison' ? 403 : 'either'),
  },
};

/** HEAD answers as its GET does. */
const ruleFor = (r: Route): Rule | undefined => RULES[`${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`];

// ---------------------------------------------------------------------------------------
// The app, its routes, the actors

const t: TestApp = await startTestApp();
afterAll(() => t.close());
expect(ROUTES.length, 'the onRoute hook saw the routes').toBeGreaterThan(ACTION_NAMES.length);

const sign = (roles: Role[], state?: string, sub?: string) =>
  t.token(roles, { ...(state ? { state } : {}), sub: sub ?? `${roles.join('+')}-${state ?? 'x'}` });
/** own: the case's destination (DE) and origin (PK); other: another destination (FR) and origin (MA). */
const TOKENS: Record<Scope, Record<Role, string>> = {
  own: {
    caseworker: await sign(['caseworker'], 'DE'),
    liaison: await sign(['liaison'], 'PK'),
    monitor: await sign(['monitor']),
    analyst: await sign(['analyst']),
    admin: await sign(['admin']),
  },
  other: {
    caseworker: await sign(['caseworker'], 'FR'),
    liaison: await sign(['liaison'], 'MA'),
    monitor: await sign(['monitor'], undefined, 'monitor-2'),
    analyst: await sign(['analyst'], undefined, 'analyst-2'),
    admin: await sign(['admin'], undefined, 'admin-2'),
  },
};

async function ok(res: LightMyRequestResponse | Promise<LightMyRequestResponse>, status = 200) {
  const r = await res;
  expect(r.statusCode, r.body).toBe(status);
  return r.json();
}

const AGREEMENT_ID: string = (await ok(t.call('POST', '/v1/agreements', TOKENS.own.admin, agreementBody()), 201))
  .agreementId;
await ok(
  t.call(
    'POST',
    '/v1/agreements',
    TOKENS.own.admin,
    agreementBody({ destinationStates: ['FR'], originState: 'MA', title: 'FR–MA (fictional)' }),
  ),
  201,
);

/** The standard case: opened by DE, protection verified, a request addressed to PK. */
async function standardCase(): Promise<{ caseId: string; position: number }> {
  const cw = TOKENS.own.caseworker;
  const { caseId } = await ok(t.call('POST', '/v1/cases', cw, familyCaseBody()), 201);
  await ok(t.call('POST', `/v1/cases/${caseId}/verify-protection-status`, cw, BODIES['verify-protection-status']));
  const submitted = await ok(
    t.call('POST', `/v1/cases/${caseId}/submit-readmission-request`, cw, {
      ...BODIES['submit-readmission-request'],
      agreementId: AGREEMENT_ID,
    }),
  );
  return { caseId, position: submitted.position as number };
}

function bodyFor(r: Route): unknown {
  if (r.method !== 'POST') return undefined;
  if (r.url === '/v1/cases') return familyCaseBody();
  if (r.url.startsWith('/v1/agreements')) return agreementBody();
  if (r.url.endsWith('/messages')) return { text: 'A message about the request (fictional).' };
  const action = r.url.split('/').pop() as ActionName;
  if (action === 'submit-readmission-request') return { ...BODIES[action], agreementId: AGREEMENT_ID };
  return BODIES[action];
}

function urlFor(r: Route, caseId: string): string {
  const url = r.url
    .replace(':caseId', caseId)
    .replace(':agreementId', AGREEMENT_ID)
    .replace(':requestId', 'q1')
    .replace(':file', 'index.html')
    .replace(':lang', 'ar.json')
    .replace(':documentId', '00000000-0000-4000-8000-000000000000')
    .replace(':webhookId', 'x')
    .replace(':deliveryId', 'x')
    .replace(/\*$/, 'favicon-32x32.png');
  if (url.includes(':')) throw new Error(`no value for the parameters of ${r.url}: classify it`);
  return url;
}

/** One cell: the answer has the expected class; returns a mismatch description, or nothing. */
function judge(res: LightMyRequestResponse, expected: Expected): string | undefined {
  const s = res.statusCode;
  if (s >= 500) return `${s} (a 5xx)`;
  const isProblem = /^application\/problem\+json/.test(String(res.headers['content-type']));
  switch (expected) {
    case 'allowed':
      return [401, 403, 404].includes(s) ? `${s}, expected allowed` : undefined;
    case 'either':
      return [401, 404].includes(s) || (s === 403 && !isNotPermitted(res))
        ? `${s}, expected allowed or 403`
        : undefined;
    case 403:
      if (s !== 403) return `${s}, expected 403`;
      return isNotPermitted(res) ? undefined : `403 without rules ["not-permitted"]: ${res.body}`;
    case 404:
      if (s !== 404) return `${s}, expected 404`;
      return isProblem ? undefined : `404 that is not Problem Details`;
  }
}

function isNotPermitted(res: LightMyRequestResponse): boolean {
  if (!/^application\/problem\+json/.test(String(res.headers['content-type']))) return false;
  const p = res.json<{ status?: number; rules?: string[] }>();
  return p.status === 403 && JSON.stringify(p.rules) === '["not-permitted"]';
}

/** HEAD has no body to judge: its status must be its GET's. */
async function send(r: Route, token: string | undefined, caseId: string): Promise<LightMyRequestResponse> {
  const url = urlFor(r, caseId);
  const method = r.method === 'HEAD' ? 'GET' : r.method;
  const res = await t.call(method as 'GET', url, token, bodyFor(r));
  if (r.method === 'HEAD') {
    const head = await t.call('HEAD', url, token);
    expect(head.statusCode, `HEAD ${url} answers as GET does`).toBe(res.statusCode);
  }
  return res;
}

/** A GET route with its HEAD twin is sent as both, and the two must agree. */
const withHead = (r: Route): Route =>
  (r.method === 'GET' && ROUTES.find((x) => x.method === 'HEAD' && x.url === r.url)) || r;

let cells = 0;
/** What the app chose where api.md leaves it open, printed for the record. */
const undecided: string[] = [];

// ---------------------------------------------------------------------------------------
// The specs

describe('access matrix (generated from the route table)', () => {
  it('classifies every route the app serves', () => {
    const unclassified = ROUTES.filter((r) => ruleFor(r) === undefined).map((r) => `${r.method} ${r.url}`);
    expect(unclassified, 'routes with no access rule here: add them to RULES in access-matrix.int.spec.ts').toEqual([]);
    const absent = Object.entries(RULES)
      .filter(([key, rule]) => rule.kind === 'read-model' && !ROUTES.some((r) => `${r.method} ${r.url}` === key))
      .map(([key]) => key);
    if (absent.length > 0)
      console.log(`access matrix: read-model routes not served yet, skipped: ${absent.join(', ')}`);
    // Every action of the contract has its path.
    for (const a of ACTION_NAMES)
      expect(
        ROUTES.some((r) => r.method === 'POST' && r.url === `/v1/cases/:caseId/${a}`),
        a,
      ).toBe(true);
  });

  it('answers 401 with Problem Details on every non-public route without a token or with a bad one', async () => {
    const { caseId } = await standardCase();
    const bad: string[] = [];
    for (const r of ROUTES) {
      const rule = ruleFor(r);
      if (!rule || rule.kind === 'public') continue;
      for (const token of [undefined, 'not.a.token', `${TOKENS.own.admin.slice(0, -4)}AAAA`]) {
        const res = await t.call(r.method as 'GET', urlFor(r, caseId), token, bodyFor(r));
        cells++;
        if (res.statusCode !== 401) bad.push(`${r.method} ${r.url} token=${token ? 'bad' : 'none'}: ${res.statusCode}`);
        else if (r.method !== 'HEAD' && res.json().status !== 401)
          bad.push(`${r.method} ${r.url}: 401 body is not Problem Details`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('serves public routes (health, metrics, docs) without a token', async () => {
    const bad: string[] = [];
    for (const r of ROUTES.filter((x) => ruleFor(x)?.kind === 'public')) {
      for (const token of [undefined, TOKENS.own.analyst]) {
        const res = await t.call(r.method as 'GET', urlFor(r, 'x'), token);
        cells++;
        if (res.statusCode >= 400) bad.push(`${r.method} ${r.url}: ${res.statusCode}`);
      }
    }
    expect(bad).toEqual([]);
  });

  const nonCase = ROUTES.filter(
    (r) => r.method !== 'HEAD' && (ruleFor(r)?.kind === 'role' || ruleFor(r)?.kind === 'read-model'),
  );
  it.each(nonCase.map((r) => [`${r.method} ${r.url}`, r] as const))('%s × every role', async (_, r) => {
    const rule = ruleFor(r)!;
    const { caseId } = await standardCase();
    const bad: string[] = [];
    for (const scope of SCOPES) {
      for (const role of ROLES) {
        const expected = rule.kind === 'role' || rule.kind === 'read-model' ? rule.expect(role) : 'allowed';
        const res = await send(withHead(r), TOKENS[scope][role], caseId);
        cells++;
        const why = judge(res, expected);
        if (why) bad.push(`${role} (${scope} State): ${why}`);
        if (expected === 'either' && scope === 'own')
          undecided.push(`${r.method} ${r.url} as ${role}: ${res.statusCode}`);
      }
    }
    expect(bad).toEqual([]);
  });

  const caseRoutes = ROUTES.filter((r) => r.method !== 'HEAD' && ruleFor(r)?.kind === 'case');
  it.each(caseRoutes.map((r) => [`${r.method} ${r.url}`, r] as const))(
    '%s × every role × own/other State',
    async (_, r) => {
      const rule = ruleFor(r) as Extract<Rule, { kind: 'case' }>;
      // A fresh case per route: an allowed action (an erasure, a closure) changes only its own case.
      const { caseId } = await standardCase();
      const bad: string[] = [];
      for (const scope of SCOPES) {
        for (const role of ROLES) {
          const res = await send(withHead(r), TOKENS[scope][role], caseId);
          cells++;
          const why = judge(res, rule.expect(role, scope));
          if (why) bad.push(`${role} (${scope} State): ${why}`);
        }
      }
      expect(bad).toEqual([]);
    },
  );

  it('prints the matrix size', () => {
    console.log(`access matrix: ${ROUTES.length} routes, ${cells} cells checked`);
    if (undecided.length > 0)
      console.log(`access matrix: where api.md is silent, the app answers:\n  ${undecided.join('\n  ')}`);
    expect(cells).toBeGreaterThan(ROUTES.length * ROLES.length);
  });
});

describe('object-level access: ids are not keys', () => {
  const problemShape = (res: LightMyRequestResponse) => {
    const { requestId: _requestId, ...rest } = res.json<Record<string, unknown>>();
    return { status: res.statusCode, type: res.headers['content-type'], body: rest };
  };

  it('a DE caseworker cannot read, act on, or read the history of an FR case by its id: the answer for an id that does not exist', async () => {
    const cwFR = TOKENS.other.caseworker;
    const { caseId: frCase } = await ok(t.call('POST', '/v1/cases', cwFR, familyCaseBody({ originState: 'MA' })), 201);
    await ok(t.call('GET', `/v1/cases/${frCase}`, cwFR));
    const cwDE = TOKENS.own.caseworker;
    const unknown = crypto.randomUUID();
    // 404 where a caseworker could act on a case it knew; 403 (from the role alone) where no caseworker ever may.
    const probes: [string, string, unknown, number][] = [
      ['GET', '', undefined, 404],
      ['GET', '/history', undefined, 404],
      ['POST', '/record-obstacle', BODIES['record-obstacle'], 404],
      ['POST', '/verify-protection-status', BODIES['verify-protection-status'], 404],
      ['POST', '/accept-readmission', BODIES['accept-readmission'], 403],
      ['POST', '/erase-personal-data', BODIES['erase-personal-data'], 403],
    ];
    for (const [method, suffix, payload, status] of probes) {
      const real = await t.call(method as 'GET', `/v1/cases/${frCase}${suffix}`, cwDE, payload);
      const none = await t.call(method as 'GET', `/v1/cases/${unknown}${suffix}`, cwDE, payload);
      expect(real.statusCode, `${method} …${suffix}: ${real.body}`).toBe(status);
      expect(problemShape(real), `${method} …${suffix} tells an FR case from no case`).toEqual(problemShape(none));
    }
    // And nothing was recorded on the FR case.
    const history = await ok(t.call('GET', `/v1/cases/${frCase}/history`, cwFR));
    expect(history.items.map((i: { type: string }) => i.type)).toEqual(['CaseOpened']);
  });

  // Review against the law (domain/README.md): analysts were 403 reading a case but 404 acting on one.
  it('an analyst gets one answer, 403 not-permitted, reading or acting, on a case that exists or not', async () => {
    const { caseId } = await standardCase();
    const unknown = crypto.randomUUID();
    for (const analyst of [TOKENS.own.analyst, TOKENS.other.analyst]) {
      for (const [method, suffix, payload] of [
        ['GET', '', undefined],
        ['GET', '/history', undefined],
        ['POST', '/record-obstacle', BODIES['record-obstacle']],
        ['POST', '/accept-readmission', BODIES['accept-readmission']],
        ['POST', '/raise-safeguard-concern', BODIES['raise-safeguard-concern']],
      ] as const) {
        const real = await t.call(method, `/v1/cases/${caseId}${suffix}`, analyst, payload);
        const none = await t.call(method, `/v1/cases/${unknown}${suffix}`, analyst, payload);
        expect(real.statusCode, `${method} …${suffix}: ${real.body}`).toBe(403);
        expect(isNotPermitted(real), `${method} …${suffix}`).toBe(true);
        expect(problemShape(real), `${method} …${suffix} tells a case from no case`).toEqual(problemShape(none));
      }
    }
  });

  it('a liaison of another origin State gets 404; the addressed State’s liaison only once a request is submitted', async () => {
    const cw = TOKENS.own.caseworker;
    const { caseId } = await ok(t.call('POST', '/v1/cases', cw, familyCaseBody()), 201);
    await ok(t.call('POST', `/v1/cases/${caseId}/verify-protection-status`, cw, BODIES['verify-protection-status']));
    const pk = TOKENS.own.liaison;
    const ma = TOKENS.other.liaison;
    // Before the request: PK may not know of the case yet.
    expect((await t.call('GET', `/v1/cases/${caseId}`, pk)).statusCode).toBe(404);
    expect(
      (await t.call('POST', `/v1/cases/${caseId}/accept-readmission`, pk, BODIES['accept-readmission'])).statusCode,
    ).toBe(404);
    await ok(
      t.call('POST', `/v1/cases/${caseId}/submit-readmission-request`, cw, {
        ...BODIES['submit-readmission-request'],
        agreementId: AGREEMENT_ID,
      }),
    );
    expect((await t.call('GET', `/v1/cases/${caseId}`, pk)).statusCode).toBe(200);
    for (const [method, suffix, payload] of [
      ['GET', '', undefined],
      ['GET', '/history', undefined],
      ['POST', '/accept-readmission', BODIES['accept-readmission']],
      ['POST', '/acknowledge-readmission-request', BODIES['acknowledge-readmission-request']],
    ] as const) {
      const res = await t.call(method, `/v1/cases/${caseId}${suffix}`, ma, payload);
      expect(res.statusCode, `MA liaison ${method} …${suffix}`).toBe(404);
    }
    const history = await ok(t.call('GET', `/v1/cases/${caseId}/history`, cw));
    expect(history.items.map((i: { type: string }) => i.type)).not.toContain('ReadmissionAccepted');
  });

  it('read models list only what the caller’s State may know of (when they exist)', async () => {
    const served = (url: string) => ROUTES.some((r) => r.method === 'GET' && r.url === url);
    const { caseId, position } = await standardCase();
    const listed = async (url: string, token: string): Promise<string[]> => {
      const res = await t.call('GET', `${url}${url.includes('?') ? '&' : '?'}minPosition=${position}&limit=500`, token);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      return (res.json().items as { caseId: string }[]).map((i) => i.caseId);
    };
    let checked = 0;
    if (served('/v1/cases')) {
      expect(await listed('/v1/cases', TOKENS.own.caseworker)).toContain(caseId);
      expect(await listed('/v1/cases', TOKENS.other.caseworker)).not.toContain(caseId);
      checked++;
    }
    if (served('/v1/liaison/requests')) {
      expect(await listed('/v1/liaison/requests?status=all', TOKENS.own.liaison)).toContain(caseId);
      expect(await listed('/v1/liaison/requests?status=all', TOKENS.other.liaison)).not.toContain(caseId);
      checked++;
    }
    if (checked === 0)
      console.log('object-level read-model checks skipped: GET /v1/cases and /v1/liaison/requests are not served yet');
  });
});
