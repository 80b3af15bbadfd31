import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, body, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

type AllowedAction = { action: string; blockedBy: string[] };
const blockers = (view: { allowedActions: AllowedAction[] }) =>
  Object.fromEntries(view.allowedActions.map((a) => [a.action, a.blockedBy])) as Record<string, string[]>;

/** api.md: the status moves of a case, and what holds do (they block, never move). */
describe('case status over HTTP', () => {
  let t: TestApp;
  let api: Api;
  let agreementId: string;
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    agreementId = await api.agreement();
  });
  afterAll(() => t.close());

  it('intake → voluntary-departure → readmission → removal-planned → (abort) readmission → removal-planned → departed → closed returned', async () => {
    const { cw, liaison, monitor } = api.tk;
    const statuses: string[] = [];
    const step = async (
      token: string,
      caseId: string,
      action: Parameters<Api['do']>[2],
      overrides: Record<string, unknown> = {},
    ) => {
      const answer = await api.do(token, caseId, action, overrides);
      const view = await api.view(caseId);
      expect(view.status, action).toBe(answer.status);
      statuses.push(answer.status);
      return view;
    };

    const caseId = await api.open();
    expect((await api.view(caseId)).status).toBe('intake');
    await step(cw, caseId, 'grant-voluntary-departure'); // 2 Nov + 14 days: ends 16 Nov
    await step(cw, caseId, 'verify-protection-status');
    await step(cw, caseId, 'submit-readmission-request', { agreementId });
    await step(liaison, caseId, 'accept-readmission');
    await step(cw, caseId, 'record-best-interests-assessment');

    // A forced removal inside the voluntary-departure period needs an absconding risk with reasons.
    expectProblem(await api.post(cw, caseId, 'plan-removal'), 409, ['voluntary-departure-running']);
    await step(cw, caseId, 'record-absconding-risk');
    let view = await step(cw, caseId, 'plan-removal');
    expect(blockers(view)['record-departure']).toEqual([]);
    expect(blockers(view)['plan-removal']).toContain('wrong-stage');

    view = await step(cw, caseId, 'abort-removal', {
      reason: 'pilot-refusal',
      details: 'The captain refused to carry the family.',
    });
    expect(view.removal).toBeNull();
    expect(blockers(view)['record-departure']).toContain('wrong-stage');
    view = await step(cw, caseId, 'plan-removal', { departureAt: '2026-11-06T07:30:00Z' });
    expect(view.removal.removalId).toBe('r2');
    await step(monitor, caseId, 'record-monitoring-observation');
    await step(cw, caseId, 'record-departure', { departedAt: '2026-11-06T07:40:00Z' });
    view = await step(liaison, caseId, 'confirm-arrival', { arrivedAt: '2026-11-06T15:10:00+05:00' });

    expect(statuses).toEqual([
      'voluntary-departure',
      'voluntary-departure',
      'readmission',
      'readmission',
      'readmission',
      'readmission',
      'removal-planned',
      'readmission',
      'removal-planned',
      'removal-planned',
      'departed',
      'closed',
    ]);
    expect(view).toMatchObject({ status: 'closed', outcome: 'returned', closedOn: '2026-11-06' });
    // On a closed case every authorising action is blocked by case-closed.
    expect(blockers(view)['plan-removal']).toEqual(['case-closed']);
    expect(blockers(view)['abort-removal']).toEqual([]); // a fact: always recordable
  });

  it('an arrival refused at handover (abort after departure) returns the case to readmission', async () => {
    const caseId = await api.departed(agreementId);
    const answer = await api.do(api.tk.cw, caseId, 'abort-removal', {
      abortedAt: '2026-11-05T16:00:00+05:00',
      reason: 'origin-state-refusal',
      details: 'Border police refused the handover.',
    });
    expect(answer.status).toBe('readmission');
    expectProblem(await api.post(api.tk.liaison, caseId, 'confirm-arrival'), 409, ['wrong-stage']);
  });

  it('holds never change the status: they block', async () => {
    const caseId = await api.planned(agreementId);
    expect((await api.do(api.tk.cw, caseId, 'postpone-removal')).status).toBe('removal-planned');
    expectProblem(await api.post(api.tk.cw, caseId, 'record-departure'), 409, ['removal-postponed']);
    expect((await api.do(api.tk.cw, caseId, 'record-absconding')).status).toBe('removal-planned');
    expect(blockers(await api.view(caseId))['record-departure']).toContain('whereabouts-unknown');
    expectProblem(await api.post(api.tk.cw, caseId, 'record-departure'), 409, [
      'removal-postponed',
      'whereabouts-unknown',
    ]);
    const view = await api.view(caseId);
    expect(view.status).toBe('removal-planned');
    expect(view.holds).toMatchObject({
      postponement: { reason: 'health' },
      absconded: { since: '2026-11-03' },
      protectionClaims: [],
    });

    // A protection claim is the exception: lodged during a removal, it aborts it.
    const claimed = await api.do(api.tk.cw, caseId, 'lodge-protection-claim');
    expect(claimed).toMatchObject({ events: ['ProtectionClaimLodged', 'RemovalAborted'], status: 'readmission' });
    expect((await api.view(caseId)).abortedRemovals).toMatchObject([{ reason: 'protection-claim' }]);
  });

  it('a protection claim lodged in intake keeps the status and blocks moving the person', async () => {
    const caseId = await api.cleared();
    const answer = await api.do(api.tk.cw, caseId, 'lodge-protection-claim', { kind: 'interim-measure' });
    expect(answer.status).toBe('intake');
    expect(blockers(await api.view(caseId))['plan-removal']).toContain('protection-hold-active');
  });

  it('a voluntary-assisted return of a person with a valid passport needs no acceptance', async () => {
    const caseId = await api.requested(agreementId);
    await api.do(api.tk.cw, caseId, 'record-best-interests-assessment');
    expectProblem(await api.post(api.tk.cw, caseId, 'plan-removal'), 409, ['readmission-acceptance-required']);
    const answer = await api.do(api.tk.cw, caseId, 'plan-removal', { mode: 'voluntary-assisted' });
    expect(answer.status).toBe('removal-planned');
  });

  it('a departure outside the transfer window is refused', async () => {
    const caseId = await api.planned(agreementId);
    expectProblem(
      await api.post(
        api.tk.cw,
        caseId,
        'record-departure',
        body('record-departure', { departedAt: '2027-02-15T07:45:00Z' }),
      ),
      409,
      ['readmission-acceptance-required'],
    );
    expect((await api.view(caseId)).status).toBe('removal-planned');
  });
});
