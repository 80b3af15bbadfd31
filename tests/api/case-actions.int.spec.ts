import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_NAMES, type ActionName } from '../../contracts/index.ts';
import { Api, body, expectProblem, type Answer } from '../support/api-flow.ts';
import { singleAdultCaseBody } from '../support/http-fixtures.ts';
import { startTestApp, type TestApp } from '../support/test-app.ts';

/**
 * Every `POST /v1/cases/{caseId}/{action}` of api.md, taken by the role the table names,
 * at a stage where it applies: its answer, its events, the status it leaves and what the
 * case view shows afterwards. The last spec checks that no action was left out.
 */
describe('POST /v1/cases/{caseId}/{action}: every action', () => {
  let t: TestApp;
  let api: Api;
  let agreementId: string;
  const covered = new Set<ActionName>();

  /** Takes the action (it must succeed) and checks the answer's shape, events and status. */
  async function take<A extends ActionName>(
    token: string,
    caseId: string,
    action: A,
    expected: { events: string[]; status: string },
    overrides: Parameters<typeof body<A>>[1] = {},
  ): Promise<Answer> {
    const res = await api.post(token, caseId, action, body(action, overrides));
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
    const answer = res.json<Answer>();
    expect(answer).toMatchObject({ caseId, revision: expect.any(Number), position: expect.any(Number), ...expected });
    expect(res.headers.etag).toBe(`"${answer.revision}"`);
    covered.add(action);
    return answer;
  }

  beforeAll(async () => {
    t = await startTestApp();
    api = await Api.start(t);
    agreementId = await api.agreement();
  });
  afterAll(() => t.close());

  describe('intake and assessments (caseworker)', () => {
    it('verify-protection-status clears the case for a request', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'verify-protection-status', {
        events: ['ProtectionStatusVerified'],
        status: 'intake',
      });
      const view = await api.view(caseId);
      expect(view.protection).toMatchObject({
        decisionFinalOn: '2026-10-15',
        nonRefoulementAssessment: { outcome: 'no-risk' },
      });
      expect(
        Object.fromEntries(
          view.allowedActions.map((a: { action: string; blockedBy: string[] }) => [a.action, a.blockedBy]),
        )['submit-readmission-request'],
      ).toEqual([]);
    });

    it('record-vulnerability-screening', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'record-vulnerability-screening', {
        events: ['VulnerabilityScreeningRecorded'],
        status: 'intake',
      });
      expect((await api.view(caseId)).vulnerabilityScreening.findings).toMatchObject([
        { memberId: 'm1', kind: 'health' },
      ]);
    });

    it('record-best-interests-assessment', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'record-best-interests-assessment', {
        events: ['BestInterestsAssessmentRecorded'],
        status: 'intake',
      });
      expect((await api.view(caseId)).bestInterestsAssessments).toMatchObject([
        { memberId: 'm1', independentOfEnforcement: true },
      ]);
    });

    it('verify-reception-arrangement', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'verify-reception-arrangement', {
        events: ['ReceptionArrangementVerified'],
        status: 'intake',
      });
      expect((await api.view(caseId)).receptionArrangements).toMatchObject([{ memberId: 'm1', kind: 'family' }]);
      expectProblem(
        await api.post(
          api.tk.cw,
          caseId,
          'verify-reception-arrangement',
          body('verify-reception-arrangement', { details: ' ' }),
        ),
        409,
        ['reasons-required'],
      );
    });

    it('grant-voluntary-departure moves intake to voluntary-departure, with the end of the period as a deadline', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'grant-voluntary-departure', {
        events: ['VoluntaryDepartureGranted'],
        status: 'voluntary-departure',
      });
      const view = await api.view(caseId);
      expect(view.voluntaryDeparture).toMatchObject({ days: 14, endsOn: '2026-11-16' });
      expect(view.deadlines).toContainEqual({ kind: 'voluntary-departure-ends', dueOn: '2026-11-16', overdue: false });
      expectProblem(
        await api.post(api.tk.cw, caseId, 'grant-voluntary-departure', body('grant-voluntary-departure', { days: 31 })),
        400,
      );
      expectProblem(await api.post(api.tk.cw, caseId, 'grant-voluntary-departure'), 409, ['wrong-stage']);
    });

    it('record-absconding-risk', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'record-absconding-risk', { events: ['AbscondingRiskRecorded'], status: 'intake' });
      expect((await api.view(caseId)).abscondingRisk).toMatchObject({ assessedOn: '2026-11-02' });
    });

    it('record-voluntary-departure closes the case departed-voluntarily', async () => {
      const caseId = await api.open();
      await api.do(api.tk.cw, caseId, 'grant-voluntary-departure');
      await take(api.tk.cw, caseId, 'record-voluntary-departure', {
        events: ['VoluntaryDepartureRecorded', 'CaseClosed'],
        status: 'closed',
      });
      const view = await api.view(caseId);
      expect(view).toMatchObject({ status: 'closed', outcome: 'departed-voluntarily', closedOn: '2026-11-10' });
    });

    it('certify-fitness-to-travel', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'certify-fitness-to-travel', {
        events: ['FitnessToTravelCertified'],
        status: 'intake',
      });
      expect((await api.view(caseId)).fitnessToTravel).toMatchObject([{ memberId: 'principal', fit: true }]);
    });

    it('assess-use-of-force-risk, refusing a prohibited method', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'assess-use-of-force-risk', {
        events: ['UseOfForceRiskAssessed'],
        status: 'intake',
      });
      expectProblem(
        await api.post(
          api.tk.cw,
          caseId,
          'assess-use-of-force-risk',
          body('assess-use-of-force-risk', { authorisedMeasures: ['escort', 'face-down-restraint'] }),
        ),
        409,
        ['prohibited-restraint-method'],
      );
      expect((await api.view(caseId)).useOfForceAssessment.authorisedMeasures).toEqual(['escort']);
    });

    it('assign-monitor, by a caseworker or a monitor', async () => {
      const caseId = await api.open();
      await take(api.tk.cw, caseId, 'assign-monitor', { events: ['MonitorAssigned'], status: 'intake' });
      await take(
        api.tk.monitor,
        caseId,
        'assign-monitor',
        { events: ['MonitorAssigned'], status: 'intake' },
        { organisation: 'Another NPM' },
      );
      expect((await api.view(caseId)).monitor).toMatchObject({
        monitorId: 'mona-monitor',
        organisation: 'Another NPM',
      });
    });
  });

  describe('readmission (caseworker asks, the origin State’s liaison answers)', () => {
    it('submit-readmission-request moves the case to readmission and copies the agreement’s terms', async () => {
      const caseId = await api.cleared();
      await take(
        api.tk.cw,
        caseId,
        'submit-readmission-request',
        { events: ['ReadmissionRequestSubmitted'], status: 'readmission' },
        { agreementId },
      );
      const view = await api.view(caseId);
      expect(view.readmissionRequest).toMatchObject({
        requestId: 'q1',
        agreementId,
        status: 'pending',
        submittedOn: '2026-11-02',
        replyDueOn: '2026-11-27',
        evidence: [{ type: 'passport', class: 'proof' }],
        terms: { transferWindowDays: 90 },
      });
    });

    it('submit-readmission-request is refused without an agreement in force for these States, or without evidence or interview', async () => {
      const caseId = await api.cleared();
      const other = await api.agreement({ title: 'MA only', originState: 'MA' });
      expectProblem(
        await api.post(
          api.tk.cw,
          caseId,
          'submit-readmission-request',
          body('submit-readmission-request', { agreementId: other }),
        ),
        409,
        ['agreement-required'],
      );
      expectProblem(
        await api.post(
          api.tk.cw,
          caseId,
          'submit-readmission-request',
          body('submit-readmission-request', { agreementId, evidence: [], requestInterview: false }),
        ),
        409,
        ['evidence-or-interview-required'],
      );
      const uncleared = await api.open();
      expectProblem(
        await api.post(
          api.tk.cw,
          uncleared,
          'submit-readmission-request',
          body('submit-readmission-request', { agreementId }),
        ),
        409,
        ['protection-clearance-required'],
      );
    });

    it('acknowledge-readmission-request (a read receipt), once', async () => {
      const caseId = await api.requested(agreementId);
      await take(api.tk.liaison, caseId, 'acknowledge-readmission-request', {
        events: ['ReadmissionRequestAcknowledged'],
        status: 'readmission',
      });
      expect((await api.view(caseId)).readmissionRequest.acknowledgedOn).toBe('2026-11-02');
      expectProblem(await api.post(api.tk.liaison, caseId, 'acknowledge-readmission-request'), 409, ['wrong-stage']);
    });

    it('request-identification-interview and record-identification-interview', async () => {
      const caseId = await api.requested(agreementId);
      await take(api.tk.liaison, caseId, 'request-identification-interview', {
        events: ['ReadmissionRequestAcknowledged', 'IdentificationInterviewRequested'],
        status: 'readmission',
      });
      await take(api.tk.liaison, caseId, 'record-identification-interview', {
        events: ['IdentificationInterviewRecorded'],
        status: 'readmission',
      });
      expect((await api.view(caseId, api.tk.liaison)).readmissionRequest.interview).toEqual({
        heldOn: '2026-11-09',
        outcome: 'national',
      });
    });

    it('request-reply-extension moves the reply deadline, once, within the agreement', async () => {
      const caseId = await api.requested(agreementId);
      expectProblem(
        await api.post(
          api.tk.liaison,
          caseId,
          'request-reply-extension',
          body('request-reply-extension', { days: 61 }),
        ),
        409,
        ['extension-beyond-agreement'],
      );
      await take(api.tk.liaison, caseId, 'request-reply-extension', {
        events: ['ReadmissionRequestAcknowledged', 'ReadmissionReplyExtended'],
        status: 'readmission',
      });
      expect((await api.view(caseId)).readmissionRequest.replyDueOn).toBe('2026-12-07');
      expectProblem(await api.post(api.tk.liaison, caseId, 'request-reply-extension'), 409, [
        'extension-beyond-agreement',
      ]);
    });

    it('accept-readmission sets the transfer window and the travel-document deadline', async () => {
      const caseId = await api.requested(agreementId);
      await take(api.tk.liaison, caseId, 'accept-readmission', {
        events: ['ReadmissionRequestAcknowledged', 'ReadmissionAccepted'],
        status: 'readmission',
      });
      const view = await api.view(caseId);
      expect(view.readmissionRequest).toMatchObject({
        status: 'accepted',
        acceptedOn: '2026-11-02',
        transferBy: '2027-01-31',
        travelDocumentDueOn: '2026-11-05',
      });
      expectProblem(await api.post(api.tk.liaison, caseId, 'accept-readmission'), 409, ['wrong-stage']);
    });

    it('reject-readmission with a reason code and reasons', async () => {
      const caseId = await api.requested(agreementId);
      await take(api.tk.liaison, caseId, 'reject-readmission', {
        events: ['ReadmissionRequestAcknowledged', 'ReadmissionRejected'],
        status: 'readmission',
      });
      expect((await api.view(caseId)).readmissionRequest).toMatchObject({
        status: 'rejected',
        rejection: { reason: 'insufficient-evidence' },
      });
      expectProblem(
        await api.post(api.tk.liaison, caseId, 'reject-readmission', {
          ...body('reject-readmission'),
          reason: 'dislike',
        }),
        400,
      );
    });

    it('issue-travel-document after acceptance only', async () => {
      const requested = await api.requested(agreementId);
      expectProblem(await api.post(api.tk.liaison, requested, 'issue-travel-document'), 409, ['wrong-stage']);
      const caseId = await api.accepted(agreementId);
      await take(api.tk.liaison, caseId, 'issue-travel-document', {
        events: ['TravelDocumentIssued'],
        status: 'readmission',
      });
      expect((await api.view(caseId, api.tk.liaison)).travelDocument).toMatchObject({
        documentNumber: 'ETD-2026-0042',
      });
    });
  });

  describe('removal', () => {
    it('plan-removal moves the case to removal-planned', async () => {
      const caseId = await api.accepted(agreementId);
      await api.do(api.tk.cw, caseId, 'record-best-interests-assessment');
      await take(api.tk.cw, caseId, 'plan-removal', { events: ['RemovalPlanned'], status: 'removal-planned' });
      const view = await api.view(caseId);
      expect(view.removal).toMatchObject({
        removalId: 'r1',
        departureAt: '2026-11-05T07:30:00Z',
        mode: 'unescorted',
        members: ['principal', 'm1'],
      });
      expect((await api.view(caseId, api.tk.liaison)).travelArrangements).toMatchObject({
        departureAt: '2026-11-05T07:30:00Z',
        mode: 'unescorted',
      });
    });

    it('plan-removal inside the arrival-notice hours is refused readmission-acceptance-required', async () => {
      const caseId = await api.accepted(agreementId);
      await api.do(api.tk.cw, caseId, 'record-best-interests-assessment');
      expectProblem(
        await api.post(
          api.tk.cw,
          caseId,
          'plan-removal',
          body('plan-removal', { departureAt: '2026-11-03T08:00:00Z' }),
        ),
        409,
        ['readmission-acceptance-required'],
      );
    });

    it('plan-removal of an escorted removal needs fitness, a use-of-force assessment and a monitor', async () => {
      const caseId = await api.accepted(agreementId);
      await api.do(api.tk.cw, caseId, 'record-best-interests-assessment');
      expectProblem(
        await api.post(api.tk.cw, caseId, 'plan-removal', body('plan-removal', { mode: 'escorted' })),
        409,
        ['fitness-to-travel-required', 'use-of-force-assessment-required', 'monitor-required'],
      );
      await api.do(api.tk.cw, caseId, 'certify-fitness-to-travel');
      await api.do(api.tk.cw, caseId, 'assess-use-of-force-risk');
      await api.do(api.tk.monitor, caseId, 'assign-monitor');
      await api.do(api.tk.cw, caseId, 'plan-removal', { mode: 'escorted' });
    });

    it('plan-removal of part of the household needs a family-separation decision with reasons', async () => {
      const caseId = await api.accepted(agreementId);
      await api.do(api.tk.cw, caseId, 'record-best-interests-assessment');
      expectProblem(await api.post(api.tk.cw, caseId, 'plan-removal', body('plan-removal', { members: [] })), 409, [
        'family-separation-unrecorded',
      ]);
      expectProblem(
        await api.post(
          api.tk.cw,
          caseId,
          'plan-removal',
          body('plan-removal', { members: [], familySeparation: { reasons: '  ' } }),
        ),
        409,
        ['reasons-required'],
      );
      await api.do(api.tk.cw, caseId, 'plan-removal', {
        members: [],
        familySeparation: { reasons: 'The child stays with the father, who holds a permit.' },
      });
    });

    it('record-departure moves the case to departed', async () => {
      const caseId = await api.planned(agreementId);
      await take(api.tk.cw, caseId, 'record-departure', { events: ['DepartureRecorded'], status: 'departed' });
      expect((await api.view(caseId)).removal.departedAt).toBe('2026-11-05T07:45:00Z');
    });

    it('confirm-arrival closes the case returned', async () => {
      const caseId = await api.departed(agreementId);
      await take(api.tk.liaison, caseId, 'confirm-arrival', {
        events: ['ArrivalConfirmed', 'CaseClosed'],
        status: 'closed',
      });
      expect(await api.view(caseId)).toMatchObject({
        status: 'closed',
        outcome: 'returned',
        closedOn: '2026-11-05',
        deadlines: [],
      });
    });

    it('abort-removal returns the case to readmission, with the reason recorded', async () => {
      const caseId = await api.planned(agreementId);
      await take(api.tk.cw, caseId, 'abort-removal', { events: ['RemovalAborted'], status: 'readmission' });
      const view = await api.view(caseId);
      expect(view.removal).toBeNull();
      expect(view.abortedRemovals).toMatchObject([{ removalId: 'r1', reason: 'technical' }]);
      expectProblem(
        await api.post(api.tk.cw, caseId, 'abort-removal', { ...body('abort-removal'), reason: 'bored' }),
        400,
      );
    });

    it('report-use-of-force, by a caseworker or a monitor; a prohibited technique raises a critical concern by itself', async () => {
      const caseId = await api.planned(agreementId);
      await take(api.tk.cw, caseId, 'report-use-of-force', {
        events: ['UseOfForceReported'],
        status: 'removal-planned',
      });
      const prohibited = await take(
        api.tk.monitor,
        caseId,
        'report-use-of-force',
        { events: ['UseOfForceReported', 'SafeguardConcernRaised'], status: 'removal-planned' },
        { techniques: ['face-down-restraint'] },
      );
      expect(prohibited.concernId).toBe('k1');
      const view = await api.view(caseId, api.tk.monitor);
      expect(view.useOfForceReports).toHaveLength(2);
      expect(view.openConcerns).toMatchObject([
        { concernId: 'k1', severity: 'critical', source: 'use-of-force-report' },
      ]);
      // No departure while a critical concern has no caseworker response.
      expectProblem(await api.post(api.tk.cw, caseId, 'record-departure'), 409, ['critical-concern-unanswered']);
    });
  });

  describe('holds', () => {
    it('lodge-protection-claim holds the case; decide-protection-claim rejected lifts the hold', async () => {
      const caseId = await api.accepted(agreementId);
      await api.do(api.tk.cw, caseId, 'record-best-interests-assessment');
      const lodged = await take(api.tk.cw, caseId, 'lodge-protection-claim', {
        events: ['ProtectionClaimLodged'],
        status: 'readmission',
      });
      expect(lodged.claimId).toBe('p1');
      expect((await api.view(caseId)).holds.protectionClaims).toMatchObject([
        { claimId: 'p1', kind: 'subsequent-application' },
      ]);
      expectProblem(await api.post(api.tk.cw, caseId, 'plan-removal'), 409, ['protection-hold-active']);
      await take(api.tk.cw, caseId, 'decide-protection-claim', {
        events: ['ProtectionClaimDecided'],
        status: 'readmission',
      });
      expect((await api.view(caseId)).holds.protectionClaims).toEqual([]);
      await api.do(api.tk.cw, caseId, 'plan-removal');
    });

    it('decide-protection-claim granted closes the case protection-granted', async () => {
      const caseId = await api.requested(agreementId);
      await api.do(api.tk.cw, caseId, 'lodge-protection-claim');
      await take(
        api.tk.cw,
        caseId,
        'decide-protection-claim',
        { events: ['ProtectionClaimDecided', 'CaseClosed'], status: 'closed' },
        { outcome: 'granted' },
      );
      expect((await api.view(caseId)).outcome).toBe('protection-granted');
    });

    it('postpone-removal and lift-postponement', async () => {
      const caseId = await api.planned(agreementId);
      await take(api.tk.cw, caseId, 'postpone-removal', { events: ['RemovalPostponed'], status: 'removal-planned' });
      expect((await api.view(caseId)).holds.postponement).toMatchObject({ reason: 'health', until: '2026-11-20' });
      expectProblem(await api.post(api.tk.cw, caseId, 'record-departure'), 409, ['removal-postponed']);
      await take(api.tk.cw, caseId, 'lift-postponement', { events: ['PostponementLifted'], status: 'removal-planned' });
      expect((await api.view(caseId)).holds.postponement).toBeNull();
      await api.do(api.tk.cw, caseId, 'record-departure');
    });

    it('record-absconding and record-whereabouts-known', async () => {
      const caseId = await api.planned(agreementId);
      await take(api.tk.cw, caseId, 'record-absconding', { events: ['AbscondingRecorded'], status: 'removal-planned' });
      expect((await api.view(caseId)).holds.absconded).toEqual({ since: '2026-11-03' });
      expectProblem(await api.post(api.tk.cw, caseId, 'record-departure'), 409, ['whereabouts-unknown']);
      await take(api.tk.cw, caseId, 'record-whereabouts-known', {
        events: ['WhereaboutsKnown'],
        status: 'removal-planned',
      });
      expect((await api.view(caseId)).holds.absconded).toBeNull();
    });
  });

  describe('obstacles, monitoring and closing', () => {
    it('record-obstacle and resolve-obstacle', async () => {
      const caseId = await api.open();
      const recorded = await take(api.tk.cw, caseId, 'record-obstacle', {
        events: ['ObstacleRecorded'],
        status: 'intake',
      });
      expect(recorded.obstacleId).toBe('o1');
      expect((await api.view(caseId)).openObstacles).toMatchObject([{ obstacleId: 'o1', type: 'no-transport' }]);
      await take(api.tk.cw, caseId, 'resolve-obstacle', { events: ['ObstacleResolved'], status: 'intake' });
      expect((await api.view(caseId)).openObstacles).toEqual([]);
      expectProblem(
        await api.post(api.tk.cw, caseId, 'resolve-obstacle', body('resolve-obstacle', { obstacleId: 'o9' })),
        400,
      );
      // Deadline obstacles are the deadline service's.
      expectProblem(
        await api.post(api.tk.cw, caseId, 'record-obstacle', body('record-obstacle', { type: 'no-reply' })),
        400,
      );
    });

    it('record-monitoring-observation (monitor)', async () => {
      const caseId = await api.planned(agreementId);
      const answer = await take(api.tk.monitor, caseId, 'record-monitoring-observation', {
        events: ['MonitoringObservationRecorded'],
        status: 'removal-planned',
      });
      expect(answer.observationId).toBe('w1');
      expectProblem(await api.post(api.tk.cw, caseId, 'record-monitoring-observation'), 403, ['not-permitted']);
    });

    it('raise-safeguard-concern, respond-to-concern and close-safeguard-concern', async () => {
      const caseId = await api.open();
      const raised = await take(
        api.tk.monitor,
        caseId,
        'raise-safeguard-concern',
        { events: ['SafeguardConcernRaised'], status: 'intake' },
        { severity: 'critical' },
      );
      expect(raised.concernId).toBe('k1');
      await take(api.tk.cw, caseId, 'respond-to-concern', { events: ['ConcernResponded'], status: 'intake' });
      expect((await api.view(caseId)).openConcerns).toMatchObject([
        { concernId: 'k1', response: { response: 'An interpreter is booked.' } },
      ]);
      await take(api.tk.monitor, caseId, 'close-safeguard-concern', {
        events: ['SafeguardConcernClosed'],
        status: 'intake',
      });
      expect((await api.view(caseId)).openConcerns).toEqual([]);
      expectProblem(await api.post(api.tk.monitor, caseId, 'close-safeguard-concern'), 409, ['wrong-stage']);
      expectProblem(
        await api.post(api.tk.cw, caseId, 'respond-to-concern', body('respond-to-concern', { concernId: 'k7' })),
        400,
      );
    });

    it('close-case with a manual outcome; afterwards only facts are recorded', async () => {
      const caseId = await api.open(singleAdultCaseBody());
      await take(api.tk.cw, caseId, 'close-case', { events: ['CaseClosed'], status: 'closed' });
      expect(await api.view(caseId)).toMatchObject({ status: 'closed', outcome: 'withdrawn', closedOn: '2026-11-02' });
      expectProblem(await api.post(api.tk.cw, caseId, 'verify-protection-status'), 409, ['case-closed']);
      expectProblem(await api.post(api.tk.cw, caseId, 'close-case'), 409, ['case-closed']);
      expectProblem(
        await api.post(api.tk.cw, caseId, 'close-case', { ...body('close-case'), outcome: 'returned' }),
        400,
      );
      // Facts are never lost, even on a closed case.
      await api.do(api.tk.monitor, caseId, 'record-monitoring-observation', { phase: 'post-return' });
      await api.do(api.tk.cw, caseId, 'report-use-of-force');
      await api.do(api.tk.cw, caseId, 'record-absconding');
    });

    it('erase-personal-data (admin) removes the personal data and keeps the history’s types, times and actors', async () => {
      const caseId = await api.cleared();
      await take(api.tk.admin, caseId, 'erase-personal-data', { events: ['PersonalDataErased'], status: 'intake' });
      const history = (await t.call('GET', `/v1/cases/${caseId}/history`, api.tk.cw)).json().items;
      expect(history.map((i: { type: string }) => i.type)).toEqual([
        'CaseOpened',
        'ProtectionStatusVerified',
        'PersonalDataErased',
      ]);
      expect(history[2].actor).toEqual({ sub: 'ada-admin', role: 'admin' });
      // The person is gone from the view (tests/privacy covers events, files and logs).
      const view = await api.view(caseId);
      expect(view).toMatchObject({ person: null, personalDataErased: true });
      expect(JSON.stringify(view)).not.toContain('Testova');
      expectProblem(
        await api.post(api.tk.admin, caseId, 'erase-personal-data', body('erase-personal-data', { reasons: '' })),
        409,
      );
    });
  });

  it('covers every action of api.md', () => {
    expect([...covered].sort()).toEqual([...ACTION_NAMES].sort());
  });
});
