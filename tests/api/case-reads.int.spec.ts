import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES } from '../../contracts/index.ts';
import { ACTION_ROLES } from '../../domain/index.ts';
import { Api, expectProblem } from '../support/api-flow.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

type AllowedAction = { action: string; blockedBy: string[] };
const byAction = (list: AllowedAction[]) => Object.fromEntries(list.map((a) => [a.action, a.blockedBy]));

describe('GET /v1/cases/{caseId}: the case as the caller’s role may see it', () => {
  let t: TestApp;
  let api: Api;
  let agreementId: string;
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    agreementId = await api.agreement();
  });
  afterAll(() => t.close());

  it('gives the caseworker the full record with ETag, status, holds, deadlines, obstacles and concerns', async () => {
    const caseId = await api.requested(agreementId);
    const res = await t.call('GET', `/v1/cases/${caseId}`, api.tk.cw);
    expect(res.statusCode).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    const view = res.json();
    expect(view).toMatchObject({
      caseId,
      revision: 2,
      status: 'readmission',
      outcome: null,
      destinationState: 'DE',
      originState: 'PK',
      person: { givenNames: 'Amina', familyName: 'Testova' },
      household: [{ memberId: 'm1', relationship: 'child' }],
      protection: { suspensiveRemedyPending: false },
      holds: { protectionClaims: [], postponement: null, absconded: null },
      deadlines: [{ kind: 'readmission-reply', dueOn: '2026-11-27', overdue: false }],
      openObstacles: [],
      openConcerns: [],
    });
  });

  it('lists allowedActions for the caller’s role, each with the rules that still block it', async () => {
    const caseId = await api.open();
    const view = await api.view(caseId);
    const allowed = byAction(view.allowedActions);
    const caseworkerActions = ACTION_NAMES.filter((a) => ACTION_ROLES[a].includes('caseworker'));
    expect(Object.keys(allowed).sort()).toEqual([...caseworkerActions].sort());
    expect(allowed['verify-protection-status']).toEqual([]);
    expect(allowed['submit-readmission-request']).toEqual(['protection-clearance-required']);
    expect(allowed['plan-removal']).toContain('protection-clearance-required');
    expect(allowed['record-departure']).toContain('wrong-stage');
    expect(allowed['accept-readmission']).toBeUndefined(); // a liaison's action

    const monitorView = await api.view(caseId, api.tk.monitor);
    expect(monitorView.allowedActions.map((a: AllowedAction) => a.action).sort()).toEqual(
      ACTION_NAMES.filter((a) => ACTION_ROLES[a].includes('monitor')).sort(),
    );
  });

  it('gives the monitor the full safeguard record', async () => {
    const caseId = await api.cleared();
    await api.do(api.tk.monitor, caseId, 'raise-safeguard-concern');
    const view = await api.view(caseId, api.tk.monitor);
    expect(view).toMatchObject({ caseId, status: 'intake', protection: { decisionFinalOn: '2026-10-15' } });
    expect(view.openConcerns).toMatchObject([{ concernId: 'k1', severity: 'major' }]);
  });

  it('gives the origin State’s liaison the allow-listed view only: no protection, health, holds, concerns or incidents', async () => {
    const caseId = await api.cleared();
    await api.do(api.tk.cw, caseId, 'record-vulnerability-screening');
    await api.do(api.tk.cw, caseId, 'submit-readmission-request', {
      agreementId,
      careNeededInTransit: 'Inhaler within reach.',
    });
    await api.do(api.tk.monitor, caseId, 'raise-safeguard-concern');
    await api.do(api.tk.cw, caseId, 'record-obstacle');
    await api.do(api.tk.monitor, caseId, 'report-use-of-force');
    await api.do(api.tk.cw, caseId, 'lodge-protection-claim');

    const res = await t.call('GET', `/v1/cases/${caseId}`, api.tk.liaison);
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json();
    for (const key of [
      'protection',
      'vulnerabilityScreening',
      'bestInterestsAssessments',
      'holds',
      'openConcerns',
      'openObstacles',
      'useOfForceReports',
      'useOfForceAssessment',
      'fitnessToTravel',
      'abortedRemovals',
      'monitor',
      'household',
      'returnDecision',
      'abscondingRisk',
    ]) {
      expect(view, key).not.toHaveProperty(key);
    }
    expect(view).toMatchObject({
      caseId,
      person: { givenNames: 'Amina', familyName: 'Testova', nationality: 'PK', dateOfBirth: '1990-04-01' },
      identityDocuments: [{ type: 'passport', reference: 'PK-P-0000001' }],
      readmissionRequest: { status: 'pending', replyDueOn: '2026-11-27' },
      careNeededInTransit: 'Inhaler within reach.',
    });
    expect(view.person).not.toHaveProperty('languages');
    // Nothing of the asylum claim, the health finding, the concern or the incident leaks anywhere.
    const text = JSON.stringify(view);
    for (const secret of [
      'Asthma',
      'interpreter',
      'No risk found',
      'subsequent-application',
      'handcuffs',
      'no-transport',
    ]) {
      expect(text).not.toContain(secret);
    }
    const actions = view.allowedActions.map((a: AllowedAction) => a.action).sort();
    expect(actions).toEqual(ACTION_NAMES.filter((a) => ACTION_ROLES[a].includes('liaison')).sort());
  });

  it('hides a case from a caseworker of another State (404), and from a liaison with no request addressed to it', async () => {
    const caseId = await api.open();
    expectProblem(await t.call('GET', `/v1/cases/${caseId}`, api.tk.cwFR), 404);
    expectProblem(await t.call('GET', `/v1/cases/${caseId}`, api.tk.liaison), 404); // no request yet
    await api.do(api.tk.cw, caseId, 'verify-protection-status');
    await api.do(api.tk.cw, caseId, 'submit-readmission-request', { agreementId });
    expect((await t.call('GET', `/v1/cases/${caseId}`, api.tk.liaison)).statusCode).toBe(200);
    expectProblem(await t.call('GET', `/v1/cases/${caseId}`, api.tk.liaisonMA), 404);
  });

  it('answers 404 for an unknown case, and 401 without or with a bad token', async () => {
    expectProblem(await t.call('GET', '/v1/cases/00000000-0000-4000-a000-000000000000', api.tk.cw), 404);
    const caseId = await api.open();
    expectProblem(await t.call('GET', `/v1/cases/${caseId}`, undefined), 401);
    expectProblem(await t.call('GET', `/v1/cases/${caseId}`, 'not.a.token'), 401);
  });

  it('refuses an analyst reading a case with 403 not-permitted (aggregates only)', async () => {
    const caseId = await api.open();
    expectProblem(await t.call('GET', `/v1/cases/${caseId}`, api.tk.analyst), 403, ['not-permitted']);
    expectProblem(await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.analyst), 403, ['not-permitted']);
  });
});

describe('GET /v1/cases/{caseId}/history', () => {
  let t: TestApp;
  let api: Api;
  let agreementId: string;
  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    agreementId = await api.agreement();
  });
  afterAll(() => t.close());

  it('lists every event with type, revision, occurredAt, recordedAt and actor {sub, role}', async () => {
    const caseId = await api.requested(agreementId);
    t.clock.advanceHours(2);
    await api.do(api.tk.liaison, caseId, 'accept-readmission', { acceptedOn: '2026-11-02' });
    await api.do(api.tk.monitor, caseId, 'raise-safeguard-concern');

    for (const token of [api.tk.cw, api.tk.monitor]) {
      const res = await t.call('GET', `/v1/cases/${caseId}/history`, token);
      expect(res.statusCode, res.body).toBe(200);
      const { items, nextCursor } = res.json();
      expect(nextCursor).toBeNull();
      expect(items.map((i: { type: string }) => i.type)).toEqual([
        'CaseOpened',
        'ProtectionStatusVerified',
        'ReadmissionRequestSubmitted',
        'ReadmissionRequestAcknowledged',
        'ReadmissionAccepted',
        'SafeguardConcernRaised',
      ]);
      expect(items.map((i: { revision: number }) => i.revision)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(items[0]).toMatchObject({
        occurredAt: expect.any(String),
        recordedAt: '2026-11-02T09:00:00.000Z',
        actor: { sub: 'carla-cw-de', role: 'caseworker' },
      });
      expect(items[1].occurredAt).toBe('2026-10-15'); // the decision became final then
      expect(items[4]).toMatchObject({
        recordedAt: '2026-11-02T11:00:00.000Z',
        actor: { sub: 'pavel-liaison-pk', role: 'liaison' },
      });
      expect(items[5].actor).toEqual({ sub: 'mona-monitor', role: 'monitor' });
    }
  });

  it('pages with limit and cursor', async () => {
    const caseId = await api.requested(agreementId);
    const first = (await t.call('GET', `/v1/cases/${caseId}/history?limit=2`, api.tk.cw)).json();
    expect(first.items.map((i: { revision: number }) => i.revision)).toEqual([0, 1]);
    const next = (
      await t.call('GET', `/v1/cases/${caseId}/history?limit=2&cursor=${first.nextCursor}`, api.tk.cw)
    ).json();
    expect(next.items.map((i: { revision: number }) => i.revision)).toEqual([2]);
    expect(next.nextCursor).toBeNull();
  });

  it('is refused to the liaison (403) and hidden from other States (404)', async () => {
    const caseId = await api.requested(agreementId);
    expectProblem(await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.liaison), 403, ['not-permitted']);
    expectProblem(await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cwFR), 404);
    expectProblem(await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.liaisonMA), 404);
    expectProblem(await t.call('GET', '/v1/cases/no-such-case/history', api.tk.cw), 404);
  });
});
