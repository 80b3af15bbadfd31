import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { familyCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

describe('POST /v1/cases', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('opens a case for the caseworker’s State, with household ids in order', async () => {
    const cw = await t.token('caseworker', { state: 'DE' });
    const res = await t.call('POST', '/v1/cases', cw, familyCaseBody());
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(res.headers.location).toBe(`/v1/cases/${body.caseId}`);
    expect(res.headers.etag).toBe('"0"');
    expect(body).toMatchObject({ revision: 0, status: 'intake', events: ['CaseOpened'] });
    const view = (await t.call('GET', `/v1/cases/${body.caseId}`, cw)).json();
    expect(view.destinationState).toBe('DE');
    expect(view.household.map((m: { memberId: string }) => m.memberId)).toEqual(['m1']);
  });

  it('answers a repeat with the same Idempotency-Key with the first answer, and 422 for another body', async () => {
    const cw = await t.token('caseworker', { state: 'DE' });
    const headers = { 'idempotency-key': 'open-1' };
    const first = await t.call('POST', '/v1/cases', cw, familyCaseBody(), headers);
    const again = await t.call('POST', '/v1/cases', cw, familyCaseBody(), headers);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const history = (await t.call('GET', `/v1/cases/${first.json().caseId}/history`, cw)).json();
    expect(history.items).toHaveLength(1);
    const other = await t.call('POST', '/v1/cases', cw, familyCaseBody({ originState: 'MA' }), headers);
    expect(other.statusCode).toBe(422);
  });

  it('refuses a body with an unknown field with 400 and the field named', async () => {
    const cw = await t.token('caseworker', { state: 'DE' });
    const res = await t.call('POST', '/v1/cases', cw, { ...familyCaseBody(), surprise: true });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.json().errors.length).toBeGreaterThan(0);
  });

  // Review against the law (domain/README.md): what practice often does not know is optional.
  it('opens a case whose place of birth, nationality, given names and languages are unknown', async () => {
    const cw = await t.token('caseworker', { state: 'DE' });
    const res = await t.call('POST', '/v1/cases', cw, {
      ...familyCaseBody(),
      person: { familyName: 'Testova', sex: 'unknown', dateOfBirth: '1990' },
      household: [{ familyName: 'Testova', dateOfBirth: '2019-05', relationship: 'child' }],
    });
    expect(res.statusCode).toBe(201);
    const view = (await t.call('GET', `/v1/cases/${res.json().caseId}`, cw)).json();
    expect(view.person).toEqual({
      familyName: 'Testova',
      sex: 'unknown',
      dateOfBirth: '1990',
      aliases: [],
      languages: [],
    });
    expect(view.household[0]).toMatchObject({ memberId: 'm1', dateOfBirth: '2019-05' });
  });

  it('still accepts the full body of api.md, and refuses a partial date that cannot exist', async () => {
    const cw = await t.token('caseworker', { state: 'DE' });
    expect((await t.call('POST', '/v1/cases', cw, familyCaseBody())).statusCode).toBe(201);
    for (const dateOfBirth of ['1990-13', '1990-02-30', '90', '1990-4']) {
      const res = await t.call('POST', '/v1/cases', cw, {
        ...familyCaseBody(),
        person: { ...familyCaseBody().person, dateOfBirth },
      });
      expect(res.statusCode, dateOfBirth).toBe(400);
    }
    const noFamilyName = { ...familyCaseBody().person, familyName: undefined };
    expect((await t.call('POST', '/v1/cases', cw, { ...familyCaseBody(), person: noFamilyName })).statusCode).toBe(400);
  });
});
