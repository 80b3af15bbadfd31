import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../support/api-flow.ts';
import { agreementBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('agreements: admins write, everyone signed in reads', () => {
  let t: TestApp;
  let api: Api;
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
  });
  afterAll(() => t.close());

  it('POST /v1/agreements answers 201 {agreementId, revision} with Location', async () => {
    const res = await t.call('POST', '/v1/agreements', api.tk.admin, agreementBody({ title: 'A: created' }));
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ agreementId: expect.any(String), revision: 0 });
    expect(res.headers.location).toBe(`/v1/agreements/${created.agreementId}`);
  });

  it('GET /v1/agreements/{id} answers the terms; every signed-in role may read', async () => {
    const id = await api.agreement({ title: 'B: readable' });
    for (const token of [api.tk.admin, api.tk.cw, api.tk.liaison, api.tk.monitor, api.tk.analyst]) {
      const res = await t.call('GET', `/v1/agreements/${id}`, token);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        agreementId: id,
        revision: 0,
        terms: agreementBody({ title: 'B: readable' }),
      });
    }
  });

  it('GET /v1/agreements lists them as {items, nextCursor}, with limit and an opaque cursor', async () => {
    await api.agreement({ title: 'C: listed 1' });
    await api.agreement({ title: 'C: listed 2' });
    const all = await t.call('GET', '/v1/agreements', api.tk.cw);
    expect(all.statusCode).toBe(200);
    const titles = all.json().items.map((a: { terms: { title: string } }) => a.terms.title);
    expect(titles).toEqual(expect.arrayContaining(['C: listed 1', 'C: listed 2']));
    expect(all.json().nextCursor).toBeNull();

    const first = (await t.call('GET', '/v1/agreements?limit=1', api.tk.cw)).json();
    expect(first.items).toHaveLength(1);
    expect(typeof first.nextCursor).toBe('string');
    const second = (await t.call('GET', `/v1/agreements?limit=1&cursor=${first.nextCursor}`, api.tk.cw)).json();
    expect(second.items).toHaveLength(1);
    expect(second.items[0].agreementId).not.toBe(first.items[0].agreementId);

    expectProblem(await t.call('GET', '/v1/agreements?limit=501', api.tk.cw), 400);
  });

  it('GET /v1/agreements/{id} of an unknown agreement is a 404 Problem', async () => {
    expectProblem(await t.call('GET', '/v1/agreements/no-such-agreement', api.tk.cw), 404);
  });

  it('only an admin writes: a caseworker concluding or amending gets 403 not-permitted', async () => {
    expectProblem(await t.call('POST', '/v1/agreements', api.tk.cw, agreementBody()), 403, ['not-permitted']);
    const id = await api.agreement({ title: 'D: admin only' });
    expectProblem(await t.call('POST', `/v1/agreements/${id}/amend`, api.tk.cw, agreementBody()), 403, [
      'not-permitted',
    ]);
    expectProblem(await t.call('POST', `/v1/agreements/${id}/amend`, api.tk.liaison, agreementBody()), 403, [
      'not-permitted',
    ]);
  });

  it('refuses bad terms with 400 and errors: unknown field, missing field, impossible date', async () => {
    const unknown = expectProblem(
      await t.call('POST', '/v1/agreements', api.tk.admin, { ...agreementBody(), secretClause: true }),
      400,
    );
    expect(unknown.errors?.length).toBeGreaterThan(0);
    const { transferWindowDays: _dropped, ...missing } = agreementBody();
    expect(
      expectProblem(await t.call('POST', '/v1/agreements', api.tk.admin, missing), 400).errors?.length,
    ).toBeGreaterThan(0);
    const impossible = expectProblem(
      await t.call('POST', '/v1/agreements', api.tk.admin, agreementBody({ inForceFrom: '2026-02-30' })),
      400,
    );
    expect(JSON.stringify(impossible.errors)).toContain('inForceFrom');
  });

  it('amends with 200, a new revision and ETag; an unknown agreement is a 404', async () => {
    const id = await api.agreement({ title: 'E: amended' });
    const res = await t.call(
      'POST',
      `/v1/agreements/${id}/amend`,
      api.tk.admin,
      agreementBody({ title: 'E: amended', transferWindowDays: 30 }),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ agreementId: id, revision: 1 });
    expect(res.headers.etag).toBe('"1"');
    const now = (await t.call('GET', `/v1/agreements/${id}`, api.tk.cw)).json();
    expect(now).toMatchObject({ revision: 1, terms: { transferWindowDays: 30 } });
    expectProblem(await t.call('POST', '/v1/agreements/no-such-agreement/amend', api.tk.admin, agreementBody()), 404);
  });

  it('amends conditionally with If-Match: 200 when current, 412 Problem when the agreement moved on', async () => {
    const id = await api.agreement({ title: 'G: conditional' });
    const current = await t.call(
      'POST',
      `/v1/agreements/${id}/amend`,
      api.tk.admin,
      agreementBody({ title: 'G: conditional' }),
      {
        'if-match': '"0"',
      },
    );
    expect(current.statusCode, current.body).toBe(200);
    const stale = await t.call(
      'POST',
      `/v1/agreements/${id}/amend`,
      api.tk.admin,
      agreementBody({ title: 'G: stale' }),
      {
        'if-match': '"0"',
      },
    );
    expectProblem(stale, 412);
    expect(stale.headers.etag).toBe('"1"');
    expectProblem(
      await t.call('POST', `/v1/agreements/${id}/amend`, api.tk.admin, agreementBody(), { 'if-match': '"7"' }),
      412,
    );
    expect((await t.call('GET', `/v1/agreements/${id}`, api.tk.cw)).json()).toMatchObject({
      revision: 1,
      terms: { title: 'G: conditional' },
    });
  });

  it('an amendment applies to later requests only: a request keeps the terms it copied', async () => {
    const id = await api.agreement({ title: 'F: amended later', replyDeadline: { days: 25, dayKind: 'calendar' } });
    const before = await api.requested(id);
    const amend = await t.call(
      'POST',
      `/v1/agreements/${id}/amend`,
      api.tk.admin,
      agreementBody({
        title: 'F: amended later',
        replyDeadline: { days: 10, dayKind: 'calendar' },
        transferWindowDays: 30,
      }),
    );
    expect(amend.statusCode, amend.body).toBe(200);
    const after = await api.requested(id);

    const old = (await api.view(before)).readmissionRequest;
    expect(old).toMatchObject({
      agreementRevision: 0,
      replyDueOn: '2026-11-27',
      terms: { replyDeadline: { days: 25 } },
    });
    const fresh = (await api.view(after)).readmissionRequest;
    expect(fresh).toMatchObject({
      agreementRevision: 1,
      replyDueOn: '2026-11-12',
      terms: { replyDeadline: { days: 10 } },
    });

    // Acceptance of the earlier request still uses its own 90-day transfer window.
    await api.do(api.tk.liaison, before, 'accept-readmission');
    expect((await api.view(before)).readmissionRequest.transferBy).toBe('2027-01-31');
  });
});
