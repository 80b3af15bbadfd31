/**
 * Mass assignment and prototype pollution (OWASP API3, broken object property level
 * authorisation): a body may not set what the server decides (the case id, its State, its
 * status, the actor, a revision), at the top or nested; `__proto__` and
 * `constructor.prototype` in bodies and query strings pollute nothing and grant nothing.
 *
 * Protection: strict zod objects (contracts/) answer an unknown field with 400 naming it;
 * fastify's JSON parser refuses `__proto__` and `constructor` keys at any depth (its
 * defaults: `onProtoPoisoning` and `onConstructorPoisoning` are 'error'); query strings are
 * parsed into objects without a prototype and read through zod, which keeps only known keys.
 * Make a body schema loose (`z.object` → `.passthrough()`) → "server-decided fields in a
 * body" fails with a 2xx.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, BODIES } from '../support/api-flow.ts';
import { agreementBody, familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

let t: TestApp;
let api: Api;
let caseId: string;
beforeAll(async () => {
  t = await startTestApp();
  api = await Api.start(t);
  caseId = await api.open();
});
afterAll(() => t?.close());

const unknownField = (res: { statusCode: number; json: () => unknown }, path: string) => {
  expect(res.statusCode).toBe(400);
  expect((res.json() as { errors: { path: string; message: string }[] }).errors).toContainEqual({
    path,
    message: 'unknown field',
  });
};

describe('server-decided fields in a body are refused, never stored', () => {
  it.each([
    ['caseId', 'chosen-id'],
    ['destinationState', 'FR'],
    ['status', 'closed'],
    ['revision', 99],
    ['actor', { sub: 'someone-else', role: 'admin' }],
    ['roles', ['admin']],
  ])('POST /v1/cases with %s', async (field, value) => {
    unknownField(await t.call('POST', '/v1/cases', api.tk.cw, { ...familyCaseBody(), [field]: value }), field);
  });

  it('nested: a person’s or a household member’s extra field, a return decision’s', async () => {
    const b = familyCaseBody();
    unknownField(
      await t.call('POST', '/v1/cases', api.tk.cw, { ...b, person: { ...b.person, id: 'principal-2' } }),
      'person.id',
    );
    unknownField(
      await t.call('POST', '/v1/cases', api.tk.cw, { ...b, household: [{ ...b.household[0], memberId: 'm9' }] }),
      'household.0.memberId',
    );
  });

  it('an action with the actor, the case id or a revision in its body', async () => {
    for (const field of ['actor', 'caseId', 'revision', 'occurredAt', 'recordedAt'])
      unknownField(
        await api.post(api.tk.cw, caseId, 'record-obstacle', { ...BODIES['record-obstacle'], [field]: 'x' }),
        field,
      );
  });

  it('an agreement with its id or revision, or an extra nested term', async () => {
    for (const field of ['agreementId', 'revision'])
      unknownField(await t.call('POST', '/v1/agreements', api.tk.admin, { ...agreementBody(), [field]: 'x' }), field);
    const b = agreementBody();
    unknownField(
      await t.call('POST', '/v1/agreements', api.tk.admin, { ...b, replyDeadline: { ...b.replyDeadline, hours: 1 } }),
      'replyDeadline.hours',
    );
  });

  it('none of it reached the case: one event, opened by its caseworker, in DE', async () => {
    const history = (await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cw)).json();
    expect(history.items.map((i: { type: string }) => i.type)).toEqual(['CaseOpened']);
    expect(history.items[0].actor).toMatchObject({ sub: 'carla-cw-de', role: 'caseworker' });
    expect((await t.call('GET', `/v1/cases/${caseId}`, api.tk.cwFR)).statusCode).toBe(404);
  });
});

describe('prototype pollution', () => {
  const raw = (body: string) =>
    t.call('POST', `/v1/cases/${caseId}/record-obstacle`, api.tk.cw, body, { 'content-type': 'application/json' });
  const obstacle = JSON.stringify(BODIES['record-obstacle']).slice(1, -1);

  it.each([
    ['__proto__ at the top', `{${obstacle},"__proto__":{"polluted":1,"isAdmin":true}}`],
    ['constructor.prototype at the top', `{${obstacle},"constructor":{"prototype":{"polluted":1}}}`],
    ['__proto__ nested', `{"type":"other","openedOn":"2026-11-02","note":{"__proto__":{"polluted":1}}}`],
    ['__proto__ escaped as \\u005f', `{${obstacle},"\\u005f_proto__":{"polluted":1}}`],
  ])('%s: 400, nothing polluted', async (_, body) => {
    const res = await raw(body);
    expect(res.statusCode, res.body).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('isAdmin');
  });

  it.each([
    '?__proto__[polluted]=1',
    '?__proto__.polluted=1',
    '?constructor[prototype][polluted]=1',
    '?__proto__=x&status=all',
    '?status[__proto__]=all',
  ])('query %s: nothing polluted, and no filter is bypassed', async (q) => {
    const res = await t.call('GET', `/v1/cases${q}`, api.tk.cwFR);
    expect(res.statusCode).toBeLessThan(500);
    if (res.statusCode === 200) expect(res.body).not.toContain(caseId);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('the app still works after it all', async () => {
    expect((await api.post(api.tk.cw, caseId, 'record-obstacle')).statusCode).toBe(200);
  });
});
