import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { singleAdultCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/** Retention: the end of the period after closure is a deadline; the deadline service erases. */
describe('erasure at the end of retention', () => {
  let t: TestApp;
  let cw: string;
  let closedCase: string;
  let openCase: string;

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-02T09:00:00Z', env: { RRC_RETENTION_DAYS: '30' } });
    cw = await t.token('caseworker', { state: 'DE', sub: 'cw-1' });
    closedCase = (await t.call('POST', '/v1/cases', cw, singleAdultCaseBody())).json().caseId;
    openCase = (await t.call('POST', '/v1/cases', cw, singleAdultCaseBody())).json().caseId;
    const closed = await t.call('POST', `/v1/cases/${closedCase}/close-case`, cw, {
      outcome: 'withdrawn',
      reasons: 'Return decision withdrawn by the court.',
    });
    expect(closed.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  const person = async (caseId: string) => (await t.call('GET', `/v1/cases/${caseId}`, cw)).json().person;

  it('keeps the data until the period has run', async () => {
    t.clock.set('2026-12-02T09:00:00Z'); // closed 2026-11-02 + 30 days: the last day kept
    const run = await t.services.deadlines.runOnce();
    expect(run.erased).toBe(0);
    expect(await person(closedCase)).not.toBeNull();
  });

  it('erases a closed case the day after, once, and never an open one', async () => {
    t.clock.set('2026-12-03T09:00:00Z');
    expect((await t.services.deadlines.runOnce()).erased).toBe(1);
    expect(await person(closedCase)).toBeNull();
    expect(await person(openCase)).not.toBeNull();
    const history = (await t.call('GET', `/v1/cases/${closedCase}/history`, cw)).json().items;
    expect(history.at(-1)).toMatchObject({
      type: 'PersonalDataErased',
      actor: { sub: 'retention-service', role: 'admin' },
    });
    expect((await t.services.deadlines.runOnce()).erased).toBe(0);
  });
});
