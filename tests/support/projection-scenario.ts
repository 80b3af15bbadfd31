import type { ActionBody, ActionName, AgreementTerms, CaseCommand, OpenCaseBody } from '../../contracts/index.ts';
import type { Principal } from '../../domain/index.ts';
import type { CommandAnswer } from '../../services/commands/case-commands.ts';
import { agreementBody, cleared, singleAdultCaseBody } from './http-fixtures.ts';
import type { TestApp } from './test-app.ts';

/**
 * A known set of cases for the read-model and report specs, walked day by day through the
 * command path (services.commands) with the test clock. Every figure the specs assert follows
 * from this timeline (all 2026):
 *
 *  PK, agreement A (reply 25 calendar days, silence is consent, travel document 3 working days):
 *   F1  family (child m1), accepted 3 Nov (1 day), document 3 Nov, removed 7 Nov, returned
 *   P1  accepted 4 Nov (2), document 6 Nov (on time), removed 9 Nov, returned
 *   P2  accepted 7 Nov (5), document 13 Nov (late, due 11 Nov); removal 19 Nov aborted (medical);
 *       escorted removal 26 Nov with a monitor, use of force with a face-down restraint (critical
 *       concern, answered in 3 h), returned
 *   P3  accepted 12 Nov (10), no document (due 17 Nov: delay obstacle 18 Nov); no-transport
 *       obstacle 20-24 Nov; a monitor's critical concern answered in 6.5 h, a major one
 *   P4  rejected 22 Nov (20, insufficient-evidence); obstacles readmission-rejected 23-30 Nov,
 *       identification-failure from 23 Nov (open)
 *   P5  silence: deemed accepted 28 Nov; no document (due 2 Dec: delay obstacle 3 Dec)
 *   P6  extension of 20 days on 20 Nov (due 17 Dec), accepted 10 Dec (38, on time)
 *   P7  opened and requested 1 Dec, pending (due 26 Dec)
 *   P8  no request; non-cooperation obstacle from 10 Nov (open)
 *  MA, agreement B (reply 15 calendar days, silence is not consent, document 5 working days):
 *   M1  passport holder, accepted 5 Nov (3)      M2  rejected 10 Nov (8, not-a-national)
 *   M3  silence: no-reply 18 Nov, accepted late 25 Nov (23), document 1 Dec (on time)
 *   M4  silence: no-reply from 18 Nov (open), pending      M5  rejected 16 Nov (14, not-a-national)
 *  The deadline service runs on 18 Nov, 28 Nov and 3 Dec. "Today" at the end is 15 Dec 2026.
 */
export const SCENARIO_TODAY = '2026-12-15';

export interface Scenario {
  agreementA: string;
  agreementB: string;
  cases: Record<string, string>;
  /** The position of the last command. */
  position: number;
}

export const principals = {
  admin: { sub: 'scenario-admin', roles: ['admin'] } satisfies Principal,
  cwDE: { sub: 'scenario-cw-de', roles: ['caseworker'], state: 'DE' } satisfies Principal,
  cwFR: { sub: 'scenario-cw-fr', roles: ['caseworker'], state: 'FR' } satisfies Principal,
  liaisonPK: { sub: 'scenario-liaison-pk', roles: ['liaison'], state: 'PK' } satisfies Principal,
  liaisonMA: { sub: 'scenario-liaison-ma', roles: ['liaison'], state: 'MA' } satisfies Principal,
  monitor: { sub: 'scenario-monitor', roles: ['monitor'] } satisfies Principal,
};

export const AGREEMENT_A_TITLE = 'Fictional agreement "EU–PK", test terms';

export function agreementA(): AgreementTerms {
  return agreementBody({ title: AGREEMENT_A_TITLE, destinationStates: ['DE', 'FR'], originState: 'PK' });
}

export function agreementB(): AgreementTerms {
  return agreementBody({
    title: 'Fictional agreement EU–MA',
    destinationStates: ['DE', 'FR'],
    originState: 'MA',
    replyDeadline: { days: 15, dayKind: 'calendar' },
    acceleratedReplyDeadline: null,
    maxExtension: { days: 30, dayKind: 'calendar' },
    silenceMeansConsent: false,
    travelDocument: { issueWithin: { days: 5, dayKind: 'working' }, minValidityDays: 90 },
  });
}

export async function buildScenario(t: TestApp): Promise<Scenario> {
  const { commands, agreements, deadlines } = t.services;
  const cases: Record<string, string> = {};
  let position = 0;
  const at = (date: string, time = '09:00') => t.clock.set(`${date}T${time}:00Z`);
  const track = <T extends { position: number }>(a: T): T => {
    position = Math.max(position, a.position);
    return a;
  };
  const act = async <A extends ActionName>(
    who: Principal,
    name: string,
    action: A,
    body: ActionBody<A>,
  ): Promise<CommandAnswer> => track(await commands.execute(who, cases[name]!, { action, body } as CaseCommand));
  const cw = <A extends ActionName>(name: string, action: A, body: ActionBody<A>) =>
    act(principals.cwDE, name, action, body);
  const li = <A extends ActionName>(name: string, action: A, body: ActionBody<A>) =>
    act(name.startsWith('M') ? principals.liaisonMA : principals.liaisonPK, name, action, body);
  const open = async (name: string, body: OpenCaseBody) => {
    cases[name] = track(await commands.open(principals.cwDE, body)).caseId;
  };
  type Evidence = ActionBody<'submit-readmission-request'>['evidence'];
  const idCard = (name: string): Evidence => [{ type: 'identity-card', reference: `ID-${name}` }];
  const submit = (name: string, agreementId: string, evidence = idCard(name)) =>
    cw(name, 'submit-readmission-request', { agreementId, procedure: 'normal', evidence, requestInterview: false });
  const document = (name: string, issuedOn: string) =>
    li(name, 'issue-travel-document', { documentNumber: `TD-${name}`, issuedOn, validUntil: '2027-06-30' });

  at('2026-11-02');
  const a = track(await agreements.conclude(principals.admin, agreementA())).agreementId;
  const b = track(await agreements.conclude(principals.admin, agreementB())).agreementId;
  for (const name of ['F1', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P8']) {
    await open(
      name,
      singleAdultCaseBody(
        name === 'F1'
          ? {
              household: [
                { givenNames: 'Sami', familyName: 'Testova', dateOfBirth: '2019-05-02', relationship: 'child' },
              ],
            }
          : {},
      ),
    );
  }
  for (const name of ['M1', 'M2', 'M3', 'M4', 'M5']) await open(name, singleAdultCaseBody({ originState: 'MA' }));
  for (const name of ['F1', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'M1', 'M2', 'M3', 'M4', 'M5']) {
    await cw(name, 'verify-protection-status', cleared as ActionBody<'verify-protection-status'>);
  }
  await cw('F1', 'record-best-interests-assessment', {
    memberId: 'm1',
    assessedOn: '2026-11-02',
    assessingBody: 'Independent Child Welfare Board (fictional)',
    independentOfEnforcement: true,
    conclusion: 'return-in-best-interests',
    reasons: 'Fictional reasons.',
  });
  for (const name of ['F1', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6']) await submit(name, a);
  await submit('M1', b, [{ type: 'passport', reference: 'P-M1', validUntil: '2030-01-31' }]);
  for (const name of ['M2', 'M3', 'M4', 'M5']) await submit(name, b);

  at('2026-11-03');
  await li('F1', 'accept-readmission', { acceptedOn: '2026-11-03' });
  await document('F1', '2026-11-03');

  at('2026-11-04');
  await li('P1', 'accept-readmission', { acceptedOn: '2026-11-04' });
  await cw('F1', 'plan-removal', {
    departureAt: '2026-11-07T07:30:00Z',
    mode: 'unescorted',
    transport: { kind: 'scheduled-flight' },
  });

  at('2026-11-05');
  await li('M1', 'accept-readmission', { acceptedOn: '2026-11-05' });

  at('2026-11-06');
  await document('P1', '2026-11-06');
  await cw('P1', 'plan-removal', {
    departureAt: '2026-11-09T07:30:00Z',
    mode: 'unescorted',
    transport: { kind: 'scheduled-flight' },
  });

  at('2026-11-07', '12:00');
  await li('P2', 'accept-readmission', { acceptedOn: '2026-11-07' });
  await cw('F1', 'record-departure', { departedAt: '2026-11-07T07:45:00Z' });
  await li('F1', 'confirm-arrival', {
    arrivedAt: '2026-11-07T15:00:00+05:00',
    handedOverTo: 'Border police (fictional)',
  });

  at('2026-11-09', '12:00');
  await cw('P1', 'record-departure', { departedAt: '2026-11-09T07:45:00Z' });
  await li('P1', 'confirm-arrival', {
    arrivedAt: '2026-11-09T15:00:00+05:00',
    handedOverTo: 'Border police (fictional)',
  });

  at('2026-11-10');
  await li('M2', 'reject-readmission', {
    rejectedOn: '2026-11-10',
    reason: 'not-a-national',
    reasons: 'Fictional reasons.',
  });
  await cw('P8', 'record-obstacle', { type: 'non-cooperation', openedOn: '2026-11-10', note: 'Fictional note.' });

  at('2026-11-12');
  await li('P3', 'accept-readmission', { acceptedOn: '2026-11-12' });

  at('2026-11-13');
  await document('P2', '2026-11-13');

  at('2026-11-16');
  await li('M5', 'reject-readmission', {
    rejectedOn: '2026-11-16',
    reason: 'not-a-national',
    reasons: 'Fictional reasons.',
  });
  await cw('P2', 'plan-removal', {
    departureAt: '2026-11-19T07:30:00Z',
    mode: 'unescorted',
    transport: { kind: 'scheduled-flight' },
  });

  at('2026-11-18', '00:05');
  await deadlines.runOnce(); // M3, M4: no-reply; P3: travel-document-delay

  at('2026-11-19');
  await cw('P2', 'abort-removal', {
    abortedAt: '2026-11-19T07:10:00Z',
    reason: 'medical',
    details: 'Fictional details.',
  });

  at('2026-11-20', '10:00');
  await cw('P3', 'record-obstacle', { type: 'no-transport', openedOn: '2026-11-20', note: 'Fictional note.' });
  await li('P6', 'request-reply-extension', { days: 20, reasons: 'Fictional reasons.' });
  const concern = await act(principals.monitor, 'P3', 'raise-safeguard-concern', {
    severity: 'critical',
    text: 'Fictional text.',
  });
  await act(principals.monitor, 'P3', 'raise-safeguard-concern', { severity: 'major', text: 'Fictional text.' });
  at('2026-11-20', '16:30');
  await cw('P3', 'respond-to-concern', { concernId: concern.created.concernId!, response: 'Fictional response.' });

  at('2026-11-22');
  await li('P4', 'reject-readmission', {
    rejectedOn: '2026-11-22',
    reason: 'insufficient-evidence',
    reasons: 'Fictional reasons.',
  });

  at('2026-11-23');
  const rejected = await cw('P4', 'record-obstacle', {
    type: 'readmission-rejected',
    openedOn: '2026-11-23',
    note: 'Fictional note.',
  });
  await cw('P4', 'record-obstacle', {
    type: 'identification-failure',
    openedOn: '2026-11-23',
    note: 'Fictional note.',
  });
  await cw('P2', 'certify-fitness-to-travel', {
    memberId: 'principal',
    examinedOn: '2026-11-23',
    validUntil: '2026-12-23',
    fit: true,
    practitioner: 'Dr. Fictional',
  });
  await cw('P2', 'assess-use-of-force-risk', {
    assessedOn: '2026-11-23',
    riskLevel: 'medium',
    authorisedMeasures: ['escort', 'handcuffs'],
    reasons: 'Fictional reasons.',
  });
  await act(principals.monitor, 'P2', 'assign-monitor', {
    monitorId: 'mon-1',
    organisation: 'Fictional Monitoring Office',
  });
  await cw('P2', 'plan-removal', {
    departureAt: '2026-11-26T07:30:00Z',
    mode: 'escorted',
    transport: { kind: 'charter' },
  });

  at('2026-11-24');
  const noTransport = (await t.services.repository.load(cases.P3!)).state.data!.obstacles.find(
    (o) => o.type === 'no-transport',
  )!;
  await cw('P3', 'resolve-obstacle', {
    obstacleId: noTransport.obstacleId,
    resolvedOn: '2026-11-24',
    note: 'Fictional note.',
  });

  at('2026-11-25');
  await li('M3', 'accept-readmission', { acceptedOn: '2026-11-25' });

  at('2026-11-26');
  await cw('P2', 'record-departure', { departedAt: '2026-11-26T07:45:00Z' });
  const force = await act(principals.monitor, 'P2', 'report-use-of-force', {
    occurredAt: '2026-11-26T08:30:00Z',
    techniques: ['handcuffs', 'face-down-restraint'],
    durationMinutes: 12,
    justification: 'Fictional justification.',
  });
  at('2026-11-26', '12:00');
  await cw('P2', 'respond-to-concern', { concernId: force.created.concernId!, response: 'Fictional response.' });
  at('2026-11-26', '13:00');
  await li('P2', 'confirm-arrival', {
    arrivedAt: '2026-11-26T15:00:00+05:00',
    handedOverTo: 'Border police (fictional)',
  });

  at('2026-11-28', '00:05');
  await deadlines.runOnce(); // P5 deemed accepted

  at('2026-11-30');
  await cw('P4', 'resolve-obstacle', {
    obstacleId: rejected.created.obstacleId!,
    resolvedOn: '2026-11-30',
    note: 'Fictional note.',
  });

  at('2026-12-01');
  await document('M3', '2026-12-01');
  await open('P7', singleAdultCaseBody());
  await cw('P7', 'verify-protection-status', cleared as ActionBody<'verify-protection-status'>);
  await submit('P7', a);

  at('2026-12-03', '00:05');
  await deadlines.runOnce(); // P5: travel-document-delay

  at('2026-12-10');
  await li('P6', 'accept-readmission', { acceptedOn: '2026-12-10' });

  at(SCENARIO_TODAY, '10:00');
  await t.services.projections.waitFor(position, 10_000);
  return { agreementA: a, agreementB: b, cases, position };
}
