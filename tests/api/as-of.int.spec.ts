import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * `asOf` on case reads: the case as it stood on a day, at an instant or at a global position,
 * folded from its stream up to that point (for monitors, courts and ombudspersons).
 */
describe('GET /v1/cases/{caseId}?asOf=: the case as it stood then', () => {
  let t: TestApp;
  let api: Api;
  let caseId: string;
  let submittedAt: number;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-02T09:00:00Z' });
    api = await Api.start(t);
    const agreementId = await api.agreement();
    caseId = await api.cleared(); // 2 Nov: opened, protection verified
    t.clock.set('2026-11-03T10:00:00Z');
    submittedAt = (await api.do(api.tk.cw, caseId, 'submit-readmission-request', { agreementId })).position;
    t.clock.set('2026-11-04T11:00:00Z');
    await api.do(api.tk.liaison, caseId, 'accept-readmission', { acceptedOn: '2026-11-04' });
  });
  afterAll(() => t.close());

  const read = (query: string, token = api.tk.cw) => t.call('GET', `/v1/cases/${caseId}?${query}`, token);

  it('by date: the end of that day, with the actions that were open then', async () => {
    const then = await read('asOf=2026-11-02');
    expect(then.statusCode, then.body).toBe(200);
    expect(then.json()).toMatchObject({ status: 'intake', revision: 1 });
    const actions = then.json().allowedActions.map((a: { action: string }) => a.action);
    expect(actions).toContain('submit-readmission-request');
    expect(then.headers['cache-control']).toBe('no-store');

    expect((await read('asOf=2026-11-03')).json()).toMatchObject({ status: 'readmission', revision: 2 });
    const today = (await read('')).json();
    expect(today.revision).toBeGreaterThan(2);
    expect(today.readmissionRequest).toMatchObject({ status: 'accepted' });
  });

  it('by instant and by position, for a monitor as for the caseworker', async () => {
    const before = await read(`asOf=${encodeURIComponent('2026-11-03T10:59:59+01:00')}`, api.tk.monitor);
    expect(before.json()).toMatchObject({ revision: 1 }); // 09:59:59 UTC: not yet submitted
    const at = await read(`asOf=${submittedAt}`, api.tk.monitor);
    expect(at.json()).toMatchObject({ revision: 2, status: 'readmission' });
    expect(at.json().readmissionRequest).toMatchObject({ status: 'pending' });
  });

  it('judges deadlines by the clock of that point, not today', async () => {
    t.clock.set('2026-12-20T09:00:00Z');
    const view = (await read(`asOf=${submittedAt}`)).json();
    expect(view.deadlines).toEqual([expect.objectContaining({ kind: 'readmission-reply', overdue: false })]);
  });

  it('is a 404 before the case was opened, and for a liaison before its request existed', async () => {
    expectProblem(await read('asOf=2026-11-01'), 404);
    expectProblem(await read('asOf=2026-11-02', api.tk.liaison), 404);
    expect((await read('asOf=2026-11-03', api.tk.liaison)).statusCode).toBe(200);
  });

  it('answers a malformed point with 400 and an impossible date too', async () => {
    expectProblem(await read('asOf=yesterday'), 400);
    expectProblem(await read('asOf=2026-02-30'), 400);
  });

  it('cuts the history at the same point', async () => {
    const res = await t.call('GET', `/v1/cases/${caseId}/history?asOf=2026-11-03`, api.tk.monitor);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: { type: string }) => i.type)).toEqual([
      'CaseOpened',
      'ProtectionStatusVerified',
      'ReadmissionRequestSubmitted',
    ]);
  });
});
