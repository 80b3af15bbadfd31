import { describe, expect, it } from 'vitest';
import {
  ACTION_NAMES,
  type ActionName,
  type CaseCommand,
  type CaseEventType,
  type CaseStatus,
} from '../contracts/index.ts';
import {
  act,
  AMINA,
  caseClosed,
  CASE_ID,
  command,
  DEFAULT_BODIES,
  departed,
  DESTINATION,
  escortedRemovalPlanned,
  familyWithChildOpened,
  fold,
  NOW,
  openCaseBody,
  ORIGIN,
  protectionClaimLodged,
  protectionCleared,
  readyForRemoval,
  requestAccepted,
  requestSubmitted,
  requestWithPassport,
  singleAdultOpened,
  TIMUR,
  unaccompaniedMinorOpened,
  unescortedRemovalPlanned,
  voluntaryDepartureGranted,
  type Step,
} from '../tests/support/case-builders.ts';
import { given, type Accepted } from '../tests/support/given.ts';
import { actionKind, decide, decideOpenCase, occurredAt } from './decide.ts';
import { replay } from './case-state.ts';
import type { RuleId } from './rules.ts';

const pending: Step = [singleAdultOpened(), protectionCleared(), requestSubmitted()];

describe('opening a case', () => {
  it('numbers the household m1, m2, … and records the destination State from the caller', () => {
    const decision = decideOpenCase(openCaseBody({ household: [TIMUR] }), {
      now: NOW,
      caseId: CASE_ID,
      destinationState: DESTINATION,
    });
    expect(decision).toMatchObject({
      ok: true,
      events: [
        {
          type: 'CaseOpened',
          data: {
            caseId: CASE_ID,
            destinationState: DESTINATION,
            originState: ORIGIN,
            person: AMINA,
            household: [{ ...TIMUR, memberId: 'm1' }],
            openedOn: '2026-11-16',
          },
        },
      ],
    });
  });

  it('is invalid when the origin State is the caller’s own', () => {
    const decision = decideOpenCase(openCaseBody({ originState: DESTINATION }), {
      now: NOW,
      caseId: CASE_ID,
      destinationState: DESTINATION,
    });
    expect(decision).toMatchObject({ ok: false, kind: 'invalid', errors: [{ path: 'originState' }] });
  });
});

/** Every action of api.md, accepted at least once, with the events it produces. */
const ACCEPTED: Record<ActionName, () => Accepted> = {
  'verify-protection-status': () =>
    given(singleAdultOpened())
      .when(command('verify-protection-status'))
      .then([{ type: 'ProtectionStatusVerified', data: DEFAULT_BODIES['verify-protection-status'] }]),
  'record-vulnerability-screening': () =>
    given(singleAdultOpened())
      .when(command('record-vulnerability-screening'))
      .then([{ type: 'VulnerabilityScreeningRecorded', data: DEFAULT_BODIES['record-vulnerability-screening'] }]),
  'record-best-interests-assessment': () =>
    given(familyWithChildOpened())
      .when(command('record-best-interests-assessment'))
      .then([{ type: 'BestInterestsAssessmentRecorded', data: { memberId: 'm1', independentOfEnforcement: true } }]),
  'verify-reception-arrangement': () =>
    given(unaccompaniedMinorOpened())
      .when(command('verify-reception-arrangement'))
      .then([{ type: 'ReceptionArrangementVerified', data: { memberId: 'principal', kind: 'family' } }]),
  'grant-voluntary-departure': () =>
    given(singleAdultOpened())
      .when(command('grant-voluntary-departure'))
      .then([{ type: 'VoluntaryDepartureGranted', data: { grantedOn: '2026-11-02', days: 30, endsOn: '2026-12-02' } }]),
  'record-absconding-risk': () =>
    given(singleAdultOpened()).when(command('record-absconding-risk')).then(['AbscondingRiskRecorded']),
  'record-voluntary-departure': () =>
    given(singleAdultOpened(), voluntaryDepartureGranted())
      .when(command('record-voluntary-departure'))
      .then([
        { type: 'VoluntaryDepartureRecorded', data: { departedOn: '2026-11-18', verifiedBy: 'exit-check' } },
        { type: 'CaseClosed', data: { outcome: 'departed-voluntarily', closedOn: '2026-11-18' } },
      ]),
  'submit-readmission-request': () =>
    given(singleAdultOpened(), protectionCleared())
      .when(command('submit-readmission-request', { careNeededInTransit: 'Insulin, kept cool.' }))
      .then([
        {
          type: 'ReadmissionRequestSubmitted',
          data: {
            requestId: 'q1',
            agreementId: 'agr-de-pk',
            procedure: 'normal',
            evidence: [{ type: 'identity-card', reference: 'ID-TEST-0001', class: 'proof' }],
            careNeededInTransit: 'Insulin, kept cool.',
            submittedOn: '2026-11-16',
            replyDueOn: '2026-12-11',
          },
        },
      ]),
  'acknowledge-readmission-request': () =>
    given(pending)
      .when(command('acknowledge-readmission-request'))
      .then([{ type: 'ReadmissionRequestAcknowledged', data: { requestId: 'q1', receivedOn: '2026-11-04' } }]),
  'request-identification-interview': () =>
    given(pending, act(command('acknowledge-readmission-request')))
      .when(command('request-identification-interview'))
      .then([{ type: 'IdentificationInterviewRequested', data: { requestId: 'q1', proposedOn: '2026-11-09' } }]),
  'record-identification-interview': () =>
    given(pending)
      .when(command('record-identification-interview'))
      .then([{ type: 'IdentificationInterviewRecorded', data: { requestId: 'q1', outcome: 'national' } }]),
  'request-reply-extension': () =>
    given(pending)
      .when(command('request-reply-extension'))
      .then([
        { type: 'ReadmissionRequestAcknowledged', data: { receivedOn: '2026-11-16' } },
        { type: 'ReadmissionReplyExtended', data: { requestId: 'q1', days: 20, replyDueOn: '2026-12-18' } },
      ]),
  'accept-readmission': () =>
    given(pending)
      .when(command('accept-readmission'))
      .then([
        { type: 'ReadmissionRequestAcknowledged', data: { receivedOn: '2026-11-10' } },
        {
          type: 'ReadmissionAccepted',
          data: {
            requestId: 'q1',
            acceptedOn: '2026-11-10',
            transferBy: '2027-02-08',
            travelDocumentDueOn: '2026-11-13',
          },
        },
      ]),
  'reject-readmission': () =>
    given(pending, act(command('acknowledge-readmission-request')))
      .when(command('reject-readmission'))
      .then([{ type: 'ReadmissionRejected', data: { requestId: 'q1', reason: 'insufficient-evidence' } }]),
  'issue-travel-document': () =>
    given(pending, requestAccepted())
      .when(command('issue-travel-document'))
      .then([{ type: 'TravelDocumentIssued', data: DEFAULT_BODIES['issue-travel-document'] }]),
  'certify-fitness-to-travel': () =>
    given(singleAdultOpened())
      .when(command('certify-fitness-to-travel'))
      .then([{ type: 'FitnessToTravelCertified', data: { memberId: 'principal', fit: true } }]),
  'assess-use-of-force-risk': () =>
    given(singleAdultOpened())
      .when(command('assess-use-of-force-risk'))
      .then([{ type: 'UseOfForceRiskAssessed', data: { authorisedMeasures: ['escort'] } }]),
  'assign-monitor': () =>
    given(singleAdultOpened())
      .when(command('assign-monitor'))
      .then([{ type: 'MonitorAssigned', data: DEFAULT_BODIES['assign-monitor'] }]),
  'plan-removal': () =>
    given(readyForRemoval())
      .when(command('plan-removal'))
      .then([
        {
          type: 'RemovalPlanned',
          data: {
            removalId: 'r1',
            departureAt: '2026-11-20T07:30:00Z',
            mode: 'unescorted',
            members: ['principal'],
            transport: { kind: 'scheduled-flight', reference: 'XX 1234' },
          },
        },
      ]),
  'record-departure': () =>
    given(unescortedRemovalPlanned())
      .when(command('record-departure'))
      .then([{ type: 'DepartureRecorded', data: { removalId: 'r1', departedAt: '2026-11-20T07:45:00Z' } }]),
  'abort-removal': () =>
    given(unescortedRemovalPlanned())
      .when(command('abort-removal'))
      .then([
        { type: 'RemovalAborted', data: { removalId: 'r1', reason: 'medical', abortedAt: '2026-11-20T07:10:00Z' } },
      ]),
  'confirm-arrival': () =>
    given(unescortedRemovalPlanned(), departed())
      .when(command('confirm-arrival'))
      .then([
        { type: 'ArrivalConfirmed', data: { removalId: 'r1', handedOverTo: 'Border police, arrivals hall' } },
        { type: 'CaseClosed', data: { outcome: 'returned', closedOn: '2026-11-20' } },
      ]),
  'report-use-of-force': () =>
    given(escortedRemovalPlanned())
      .when(command('report-use-of-force'))
      .then([
        { type: 'UseOfForceReported', data: { reportId: 'f1', techniques: ['handcuffs'], prohibitedTechniques: [] } },
      ]),
  'lodge-protection-claim': () =>
    given(singleAdultOpened())
      .when(command('lodge-protection-claim'))
      .then([{ type: 'ProtectionClaimLodged', data: { claimId: 'p1', kind: 'subsequent-application' } }]),
  'decide-protection-claim': () =>
    given(singleAdultOpened(), protectionClaimLodged())
      .when(command('decide-protection-claim'))
      .then([
        { type: 'ProtectionClaimDecided', data: { claimId: 'p1', outcome: 'rejected', decidedOn: '2026-11-18' } },
      ]),
  'postpone-removal': () =>
    given(singleAdultOpened())
      .when(command('postpone-removal'))
      .then([{ type: 'RemovalPostponed', data: { reason: 'health' } }]),
  'lift-postponement': () =>
    given(singleAdultOpened(), act(command('postpone-removal')))
      .when(command('lift-postponement'))
      .then([{ type: 'PostponementLifted', data: { liftedOn: '2026-11-18' } }]),
  'record-absconding': () =>
    given(singleAdultOpened())
      .when(command('record-absconding'))
      .then([{ type: 'AbscondingRecorded', data: { since: '2026-11-17' } }]),
  'record-whereabouts-known': () =>
    given(singleAdultOpened(), act(command('record-absconding')))
      .when(command('record-whereabouts-known'))
      .then([{ type: 'WhereaboutsKnown', data: { on: '2026-11-18' } }]),
  'record-obstacle': () =>
    given(singleAdultOpened())
      .when(command('record-obstacle'))
      .then([{ type: 'ObstacleRecorded', data: { obstacleId: 'o1', type: 'charter-refused', automatic: false } }]),
  'resolve-obstacle': () =>
    given(singleAdultOpened(), act(command('record-obstacle')))
      .when(command('resolve-obstacle'))
      .then([{ type: 'ObstacleResolved', data: { obstacleId: 'o1', resolvedOn: '2026-11-18', automatic: false } }]),
  'record-monitoring-observation': () =>
    given(escortedRemovalPlanned())
      .when(command('record-monitoring-observation'))
      .then([{ type: 'MonitoringObservationRecorded', data: { observationId: 'w1', phase: 'pre-departure' } }]),
  'raise-safeguard-concern': () =>
    given(singleAdultOpened())
      .when(command('raise-safeguard-concern'))
      .then([
        {
          type: 'SafeguardConcernRaised',
          data: { concernId: 'k1', severity: 'critical', source: 'monitor', raisedAt: '2026-11-16T09:00:00.000Z' },
        },
      ]),
  'close-safeguard-concern': () =>
    given(singleAdultOpened(), act(command('raise-safeguard-concern')))
      .when(command('close-safeguard-concern'))
      .then([{ type: 'SafeguardConcernClosed', data: { concernId: 'k1', closedAt: '2026-11-16T09:00:00.000Z' } }]),
  'respond-to-concern': () =>
    given(singleAdultOpened(), act(command('raise-safeguard-concern')))
      .when(command('respond-to-concern'))
      .then([{ type: 'ConcernResponded', data: { concernId: 'k1', respondedAt: '2026-11-16T09:00:00.000Z' } }]),
  'close-case': () =>
    given(singleAdultOpened())
      .when(command('close-case'))
      .then([{ type: 'CaseClosed', data: { outcome: 'withdrawn', closedOn: '2026-11-16' } }]),
  'erase-personal-data': () =>
    given(singleAdultOpened(), caseClosed())
      .when(command('erase-personal-data'))
      .then([{ type: 'PersonalDataErased', data: { erasedAt: '2026-11-16T09:00:00.000Z' } }]),
};

describe('every action is accepted with the events it produces', () => {
  it('covers every action of api.md', () => {
    expect(Object.keys(ACCEPTED).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it.each(ACTION_NAMES)('%s', (action) => {
    const accepted = ACCEPTED[action]();
    expect(accepted.events.length).toBeGreaterThan(0);
    // What was accepted replays to the same state.
    expect(replay(accepted.history)).toEqual(accepted.state);
  });
});

describe('input that names what the case does not have is invalid (400), not refused', () => {
  it.each<[string, Step, CaseCommand, string]>([
    [
      'an unknown member in a screening',
      singleAdultOpened(),
      command('record-vulnerability-screening', { findings: [{ memberId: 'm3', kind: 'other', note: 'x' }] }),
      'findings.0.memberId',
    ],
    [
      'an unknown member in an assessment',
      singleAdultOpened(),
      command('record-best-interests-assessment', { memberId: 'm2' }),
      'memberId',
    ],
    ['an unknown member in a plan', readyForRemoval(), command('plan-removal', { members: ['m4'] }), 'members.0'],
    [
      'a document valid before it is issued',
      [pending, requestAccepted()],
      command('issue-travel-document', { validUntil: '2026-11-01' }),
      'validUntil',
    ],
    ['an unknown obstacle', singleAdultOpened(), command('resolve-obstacle', { obstacleId: 'o9' }), 'obstacleId'],
    ['an unknown concern', singleAdultOpened(), command('respond-to-concern', { concernId: 'k9' }), 'concernId'],
    [
      'a deadline obstacle recorded by hand',
      singleAdultOpened(),
      command('record-obstacle', { type: 'no-reply' }),
      'type',
    ],
    [
      'an unknown protection claim',
      [singleAdultOpened(), protectionClaimLodged()],
      command('decide-protection-claim', { claimId: 'p7' }),
      'claimId',
    ],
  ])('%s', (_what, history, cmd, path) => {
    given(history).when(cmd).thenInvalid(path);
  });
});

describe('every outcome is reached', () => {
  const outcome = (accepted: Accepted) => ({ status: accepted.state.status, outcome: accepted.state.data?.outcome });

  it('returned: the origin State confirms arrival', () => {
    expect(
      outcome(given(unescortedRemovalPlanned(), departed()).when(command('confirm-arrival')).thenAccepted()),
    ).toEqual({
      status: 'closed',
      outcome: 'returned',
    });
  });

  it('departed-voluntarily', () => {
    expect(
      outcome(
        given(singleAdultOpened(), voluntaryDepartureGranted())
          .when(command('record-voluntary-departure'))
          .thenAccepted(),
      ),
    ).toEqual({ status: 'closed', outcome: 'departed-voluntarily' });
  });

  it('protection-granted: a claim decided in the person’s favour', () => {
    expect(
      outcome(
        given(unescortedRemovalPlanned(), protectionClaimLodged())
          .when(command('decide-protection-claim', { outcome: 'granted' }))
          .then([
            'ProtectionClaimDecided',
            { type: 'CaseClosed', data: { outcome: 'protection-granted', closedOn: '2026-11-18' } },
          ]),
      ),
    ).toEqual({ status: 'closed', outcome: 'protection-granted' });
  });

  it.each(['permit-granted', 'return-not-possible', 'absconded', 'deceased', 'withdrawn'] as const)(
    '%s: closed by a caseworker with reasons',
    (manual) => {
      expect(
        outcome(
          given(singleAdultOpened(), protectionCleared())
            .when(command('close-case', { outcome: manual }))
            .thenAccepted(),
        ),
      ).toEqual({ status: 'closed', outcome: manual });
    },
  );
});

describe('a closed case', () => {
  // Closed with an obstacle, a concern and a claim on file, so that no body names something missing.
  const closed: Step = [
    familyWithChildOpened(),
    act(command('record-obstacle')),
    act(command('raise-safeguard-concern', { severity: 'minor' })),
    caseClosed(),
  ];

  it.each<[string, CaseCommand, CaseEventType[]]>([
    ['abort-removal', command('abort-removal'), ['RemovalAborted']],
    ['report-use-of-force', command('report-use-of-force'), ['UseOfForceReported']],
    ['record-monitoring-observation', command('record-monitoring-observation'), ['MonitoringObservationRecorded']],
    ['raise-safeguard-concern', command('raise-safeguard-concern'), ['SafeguardConcernRaised']],
    ['record-absconding', command('record-absconding'), ['AbscondingRecorded']],
    ['lodge-protection-claim', command('lodge-protection-claim'), ['ProtectionClaimLodged']],
  ])('still records the fact %s', (_action, cmd, types) => {
    const accepted = given(closed).when(cmd).then(types);
    expect(accepted.state.status).toBe('closed');
  });

  it('records an abort on a closed case against no removal', () => {
    given(closed)
      .when(command('abort-removal'))
      .then([{ type: 'RemovalAborted', data: { removalId: null } }]);
  });

  it('records a use-of-force report naming a prohibited technique, raising a critical concern', () => {
    given(closed)
      .when(command('report-use-of-force', { techniques: ['punitive-force'] }))
      .then([
        'UseOfForceReported',
        { type: 'SafeguardConcernRaised', data: { concernId: 'k2', severity: 'critical' } },
      ]);
  });

  const authorising = ACTION_NAMES.filter((a) => actionKind(a) === 'authorise');

  it('has the facts and the authorising commands apart', () => {
    expect(ACTION_NAMES.filter((a) => actionKind(a) === 'record').sort()).toEqual(
      [
        'abort-removal',
        'close-safeguard-concern',
        'erase-personal-data',
        'lodge-protection-claim',
        'raise-safeguard-concern',
        'record-absconding',
        'record-monitoring-observation',
        'report-use-of-force',
        'respond-to-concern',
      ].sort(),
    );
  });

  it.each(authorising)('refuses %s with case-closed', (action) => {
    given(closed).when(command(action)).thenRefused('case-closed');
  });
});

describe('the departure after a protection claim aborted the plan', () => {
  it('fails both wrong-stage and protection-hold-active', () => {
    given(unescortedRemovalPlanned(), protectionClaimLodged())
      .when(command('record-departure'))
      .thenRefused('wrong-stage', 'protection-hold-active');
  });
});

describe('a use-of-force report naming a prohibited technique', () => {
  const reported = () =>
    given(escortedRemovalPlanned())
      .when(command('report-use-of-force', { techniques: ['handcuffs', 'face-down-restraint'] }))
      .then([
        {
          type: 'UseOfForceReported',
          data: {
            reportId: 'f1',
            techniques: ['handcuffs', 'face-down-restraint'],
            prohibitedTechniques: ['face-down-restraint'],
          },
        },
        {
          type: 'SafeguardConcernRaised',
          data: { concernId: 'k1', severity: 'critical', source: 'use-of-force-report' },
        },
      ]);

  it('is recorded and raises a critical concern by itself', () => {
    expect(reported().state.data?.concerns).toHaveLength(1);
  });

  it('blocks the departure until a caseworker responds', () => {
    const { history } = reported();
    given(history).when(command('record-departure')).thenRefused('critical-concern-unanswered');
    given(history, act(command('respond-to-concern', { concernId: 'k1' })))
      .when(command('record-departure'))
      .then(['DepartureRecorded']);
  });
});

/** The statuses after each step, starting from the first. */
function statuses(...steps: Step[]): (CaseStatus | 'new')[] {
  const out: (CaseStatus | 'new')[] = [];
  let state = fold([]).state;
  for (const step of steps) {
    state = fold([step], state).state;
    out.push(state.status);
  }
  return out;
}

describe('status moves (api.md)', () => {
  it('intake -> voluntary-departure -> readmission -> removal-planned -> departed -> closed', () => {
    expect(
      statuses(
        singleAdultOpened(),
        protectionCleared(),
        voluntaryDepartureGranted(),
        requestSubmitted(),
        requestAccepted(),
        act(command('issue-travel-document')),
        act(command('record-absconding-risk')),
        act(command('plan-removal')),
        departed(),
        act(command('confirm-arrival')),
      ),
    ).toEqual([
      'intake',
      'intake',
      'voluntary-departure',
      'readmission',
      'readmission',
      'readmission',
      'readmission',
      'removal-planned',
      'departed',
      'closed',
    ]);
  });

  it('voluntary-departure returns to intake when the period ends with no request', () => {
    const ended = given(singleAdultOpened(), voluntaryDepartureGranted())
      .whenDeadlinesElapse('2026-12-03')
      .then([{ type: 'VoluntaryDeparturePeriodEnded', data: { endedOn: '2026-12-02' } }]);
    expect(ended.state.status).toBe('intake');
  });

  it('an aborted removal returns to readmission', () => {
    const aborted = given(unescortedRemovalPlanned()).when(command('abort-removal')).thenAccepted();
    expect(aborted.state.status).toBe('readmission');
    expect(aborted.state.data?.removal).toBeUndefined();
  });

  it('a handover refused after departure returns to readmission too', () => {
    const aborted = given(unescortedRemovalPlanned(), departed())
      .when(command('abort-removal', { reason: 'origin-state-refusal', abortedAt: '2026-11-20T15:00:00+05:00' }))
      .thenAccepted();
    expect(aborted.state.status).toBe('readmission');
  });

  it('a passport-holder’s assisted voluntary return moves straight from readmission to removal-planned', () => {
    expect(
      statuses(
        singleAdultOpened(),
        protectionCleared(),
        requestWithPassport(),
        act(command('plan-removal', { mode: 'voluntary-assisted' })),
      ),
    ).toEqual(['intake', 'intake', 'readmission', 'removal-planned']);
  });

  const holds: [string, CaseCommand, CaseCommand][] = [
    ['a protection claim', command('lodge-protection-claim'), command('decide-protection-claim')],
    ['a postponement', command('postpone-removal'), command('lift-postponement')],
    ['absconding', command('record-absconding'), command('record-whereabouts-known')],
  ];

  it.each(holds)('%s never changes status (intake, voluntary-departure, readmission)', (_hold, place, lift) => {
    for (const before of [
      [singleAdultOpened()],
      [singleAdultOpened(), voluntaryDepartureGranted()],
      [singleAdultOpened(), protectionCleared(), requestSubmitted()],
    ] as Step[][]) {
      const from = fold(before).state.status;
      const placed = given(before).when(place).thenAccepted();
      expect(placed.state.status).toBe(from);
      const lifted = given(placed.history).when(lift).thenAccepted();
      expect(lifted.state.status).toBe(from);
    }
  });

  it.each<[string, CaseCommand, CaseCommand, RuleId]>([
    ['a postponement', command('postpone-removal'), command('lift-postponement'), 'removal-postponed'],
    ['absconding', command('record-absconding'), command('record-whereabouts-known'), 'whereabouts-unknown'],
  ])('%s during a planned removal blocks the departure but keeps removal-planned', (_hold, place, lift, rule) => {
    const placed = given(unescortedRemovalPlanned()).when(place).thenAccepted();
    expect(placed.state.status).toBe('removal-planned');
    given(placed.history).when(command('record-departure')).thenRefused(rule);
    const lifted = given(placed.history).when(lift).thenAccepted();
    expect(lifted.state.status).toBe('removal-planned');
    given(lifted.history).when(command('record-departure')).then(['DepartureRecorded']);
  });

  it('a protection claim during a planned removal aborts it (the abort moves the status, not the hold)', () => {
    given(unescortedRemovalPlanned())
      .when(command('lodge-protection-claim'))
      .then((events, state) => {
        expect(events.map((e) => e.type)).toEqual(['ProtectionClaimLodged', 'RemovalAborted']);
        expect(state.status).toBe('readmission');
      });
  });
});

describe('determinism', () => {
  it('decides the same way twice on the same inputs', () => {
    const { state } = fold([readyForRemoval()]);
    const cmd = command('plan-removal');
    expect(decide(state, cmd, { now: NOW })).toEqual(decide(state, cmd, { now: NOW }));
  });

  it('dates events by their payload, else by when they were recorded', () => {
    expect(
      occurredAt({ type: 'DepartureRecorded', data: { removalId: 'r1', departedAt: '2026-11-20T07:45:00Z' } }, 'x'),
    ).toBe('2026-11-20T07:45:00Z');
    expect(
      occurredAt({ type: 'ArrivalConfirmed', data: { removalId: 'r1', arrivedAt: 'a', handedOverTo: 'b' } }, 'x'),
    ).toBe('a');
    expect(
      occurredAt({ type: 'MonitorAssigned', data: DEFAULT_BODIES['assign-monitor'] }, '2026-11-16T09:00:00Z'),
    ).toBe('2026-11-16T09:00:00Z');
  });
});
