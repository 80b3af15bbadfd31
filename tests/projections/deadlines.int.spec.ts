import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionBody, ActionName, CaseCommand } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import { agreementBody, cleared, singleAdultCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * The deadline service on the test clock: each elapsed deadline becomes its event once the
 * clock passes the date, and a second run appends nothing.
 */
const cw: Principal = { sub: 'dl-cw', roles: ['caseworker'], state: 'DE' };
const liaison: Principal = { sub: 'dl-liaison', roles: ['liaison'], state: 'PK' };
const admin: Principal = { sub: 'dl-admin', roles: ['admin'] };

describe('deadline service', () => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  let consent = '';
  let noConsent = '';

  const act = async <A extends ActionName>(who: Principal, name: string, action: A, body: ActionBody<A>) =>
    t.services.commands.execute(who, ids[name]!, { action, body } as CaseCommand);
  const status = async (name: string) => (await t.services.repository.load(ids[name]!)).state;
  const types = async (name: string) => (await t.services.store.readStream(`case-${ids[name]}`)).map((e) => e.type);

  beforeAll(async () => {
    t = await startTestApp({ now: '2026-11-02T09:00:00Z' });
    // Reply within 25 calendar days (due 27 Nov), travel document within 3 working days.
    consent = (await t.services.agreements.conclude(admin, agreementBody({ silenceMeansConsent: true }))).agreementId;
    noConsent = (
      await t.services.agreements.conclude(
        admin,
        agreementBody({ title: 'No consent by silence', silenceMeansConsent: false }),
      )
    ).agreementId;
    for (const name of ['silentConsent', 'silentNoConsent', 'acceptedNoDocument', 'voluntary', 'answered']) {
      ids[name] = (await t.services.commands.open(cw, singleAdultCaseBody())).caseId;
      await act(cw, name, 'verify-protection-status', cleared as ActionBody<'verify-protection-status'>);
    }
    const submit = (name: string, agreementId: string) =>
      act(cw, name, 'submit-readmission-request', {
        agreementId,
        procedure: 'normal',
        evidence: [{ type: 'identity-card', reference: 'ID-1' }],
        requestInterview: false,
      });
    await submit('silentConsent', consent);
    await submit('silentNoConsent', noConsent);
    await submit('acceptedNoDocument', consent);
    await submit('answered', consent);
    await act(cw, 'voluntary', 'grant-voluntary-departure', { grantedOn: '2026-11-02', days: 14, assisted: true }); // ends 16 Nov
    t.clock.set('2026-11-04T10:00:00Z');
    await act(liaison, 'acceptedNoDocument', 'accept-readmission', { acceptedOn: '2026-11-04' }); // document due Mon 9 Nov
    await act(liaison, 'answered', 'accept-readmission', { acceptedOn: '2026-11-04' });
    await act(liaison, 'answered', 'issue-travel-document', {
      documentNumber: 'TD-1',
      issuedOn: '2026-11-04',
      validUntil: '2027-05-01',
    });
  });
  afterAll(() => t.close());

  it('does nothing while nothing is due', async () => {
    t.clock.set('2026-11-09T12:00:00Z'); // the document is due today: not yet elapsed
    const head = await t.services.store.headPosition();
    const run = await t.services.deadlines.runOnce();
    expect(run).toMatchObject({ asOf: '2026-11-09', due: 0, applied: 0, events: 0 });
    expect(await t.services.store.headPosition()).toBe(head);
  });

  it('opens travel-document-delay the day after the document was due', async () => {
    t.clock.set('2026-11-10T00:01:00Z');
    const run = await t.services.deadlines.runOnce();
    expect(run).toMatchObject({ asOf: '2026-11-10', applied: 1 });
    const c = (await status('acceptedNoDocument')).data!;
    expect(c.obstacles).toEqual([
      expect.objectContaining({ type: 'travel-document-delay', openedOn: '2026-11-10', automatic: true }),
    ]);
  });

  it('ends the voluntary-departure period once it is over', async () => {
    t.clock.set('2026-11-17T06:00:00Z');
    const run = await t.services.deadlines.runOnce();
    expect(run).toMatchObject({ applied: 1, events: 1 });
    const s = await status('voluntary');
    expect(s.status).toBe('intake');
    expect(await types('voluntary')).toContain('VoluntaryDeparturePeriodEnded');
  });

  it('deems acceptance where silence is consent, and opens no-reply where it is not', async () => {
    t.clock.set('2026-11-27T23:59:00Z'); // due today: nothing yet
    expect((await t.services.deadlines.runOnce()).applied).toBe(0);
    t.clock.set('2026-11-28T00:05:00Z');
    const run = await t.services.deadlines.runOnce();
    expect(run).toMatchObject({ asOf: '2026-11-28', applied: 2 });
    const deemed = (await status('silentConsent')).data!.request!;
    expect(deemed).toMatchObject({
      status: 'deemed-accepted',
      acceptedOn: '2026-11-28',
      transferBy: '2027-02-26',
      travelDocumentDueOn: '2026-12-02',
    });
    const silent = (await status('silentNoConsent')).data!;
    expect(silent.request!.status).toBe('pending');
    expect(silent.obstacles).toEqual([
      expect.objectContaining({ type: 'no-reply', openedOn: '2026-11-28', automatic: true }),
    ]);
  });

  it('appends nothing more when it runs again, however often', async () => {
    const head = await t.services.store.headPosition();
    const first = await t.services.deadlines.runOnce();
    const second = await t.services.deadlines.runOnce();
    expect(first.events + second.events).toBe(0);
    expect(await t.services.store.headPosition()).toBe(head);
    // The worklist's due dates moved on: nothing left for the service to look at today.
    expect(first.due).toBe(0);
  });

  it('shares one run between concurrent callers, and two services (replicas) append each deadline once', async () => {
    t.clock.set('2026-12-03T00:05:00Z'); // silentConsent's document was due 2 Dec
    const head = await t.services.store.headPosition();
    const [a, b] = await Promise.all([t.services.deadlines.runOnce(), t.services.deadlines.runOnce()]);
    expect(a).toBe(b);
    expect(a.applied).toBe(1);
    const delays = (await status('silentConsent')).data!.obstacles.filter((o) => o.type === 'travel-document-delay');
    expect(delays).toHaveLength(1);
    // A second replica deciding on the same case: the domain finds nothing left, nothing is appended.
    expect(await t.services.commands.applyElapsedDeadlines(ids.silentConsent!, '2026-12-03')).toBeNull();
    expect(await t.services.store.headPosition()).toBe(head + 1);
  });
});
