import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROHIBITED_MEASURES, type CaseCommand } from '../contracts/index.ts';
import {
  act,
  agreement,
  bestInterestsAssessed,
  caseClosed,
  command,
  deadlinesElapse,
  escortedPrerequisites,
  escortedRemovalPlanned,
  familyOfThreeOpened,
  familyWithChildOpened,
  NOW,
  protectionClaimLodged,
  protectionCleared,
  readyForRemoval,
  receptionVerified,
  removalPlanned,
  requestAccepted,
  requestSubmitted,
  requestWithPassport,
  SAFIYA,
  caseOpened,
  singleAdultOpened,
  travelDocumentIssued,
  unaccompaniedMinorOpened,
  unescortedRemovalPlanned,
  voluntaryDepartureGranted,
  type Step,
} from '../tests/support/case-builders.ts';
import { given, When } from '../tests/support/given.ts';
import { decideAttachDocument } from './documents.ts';
import { RULE_IDS } from './rules.ts';

/**
 * One block per rule id of domain.md: a command refused for the rule, and the same command
 * accepted once the rule is satisfied. `not-permitted` is access policy (access.unit.spec.ts).
 */

const escorted = command('plan-removal', { mode: 'escorted' });
const plan = command('plan-removal');
const depart = command('record-departure');
const riskAssessment = {
  outcome: 'risk' as const,
  assessedOn: '2026-10-28',
  reasons: 'Documented risk of ill-treatment for members of the applicant’s group.',
};

describe('protection-clearance-required', () => {
  it('refuses a readmission request before protection status is verified', () => {
    given(singleAdultOpened()).when(command('submit-readmission-request')).thenRefused('protection-clearance-required');
  });

  it('refuses a request while the non-refoulement assessment finds a risk', () => {
    given(singleAdultOpened(), protectionCleared({ nonRefoulementAssessment: riskAssessment }))
      .when(command('submit-readmission-request'))
      .thenRefused('protection-clearance-required');
  });

  it('refuses a request while a remedy with suspensive effect is pending', () => {
    given(singleAdultOpened(), protectionCleared({ suspensiveRemedyPending: true }))
      .when(command('submit-readmission-request'))
      .thenRefused('protection-clearance-required');
  });

  it('refuses a removal plan before clearance, with every other rule that fails', () => {
    given(singleAdultOpened())
      .when(plan)
      .thenRefused('protection-clearance-required', 'readmission-acceptance-required', 'travel-document-required');
  });

  it('refuses a plan once a new assessment finds a risk, even after acceptance', () => {
    given(readyForRemoval(), protectionCleared({ nonRefoulementAssessment: riskAssessment }))
      .when(plan)
      .thenRefused('protection-clearance-required');
  });

  it('accepts the request once status is final and the assessment is no-risk', () => {
    given(singleAdultOpened(), protectionCleared())
      .when(command('submit-readmission-request'))
      .then([{ type: 'ReadmissionRequestSubmitted', data: { requestId: 'q1', replyDueOn: '2026-12-11' } }]);
  });

  it('accepts the plan once cleared', () => {
    given(readyForRemoval()).when(plan).then(['RemovalPlanned']);
  });
});

describe('protection-hold-active', () => {
  it.each(['subsequent-application', 'suspensive-appeal', 'interim-measure'] as const)(
    'refuses a plan while a %s is open',
    (kind) => {
      given(readyForRemoval(), protectionClaimLodged({ kind })).when(plan).thenRefused('protection-hold-active');
    },
  );

  it('refuses a departure after a protection claim aborted the plan: wrong-stage and protection-hold-active', () => {
    const aborted = given(unescortedRemovalPlanned())
      .when(command('lodge-protection-claim'))
      .then([
        { type: 'ProtectionClaimLodged', data: { claimId: 'p1' } },
        { type: 'RemovalAborted', data: { removalId: 'r1', reason: 'protection-claim', abortedAt: NOW.toISOString() } },
      ]);
    expect(aborted.state.status).toBe('readmission');
    given(aborted.history).when(depart).thenRefused('wrong-stage', 'protection-hold-active');
  });

  it('re-checks at departure: a claim on file while the removal is still planned blocks it', () => {
    // Through the decider a claim aborts the plan; a departure still re-checks the holds itself.
    given(readyForRemoval(), removalPlanned(), {
      type: 'ProtectionClaimLodged',
      data: { claimId: 'p1', lodgedOn: '2026-11-17', kind: 'interim-measure' },
    })
      .when(depart)
      .thenRefused('protection-hold-active');
  });

  it('accepts the plan once the claim is rejected', () => {
    given(readyForRemoval(), protectionClaimLodged(), act(command('decide-protection-claim')))
      .when(plan)
      .then(['RemovalPlanned']);
  });

  it('accepts a new plan and the departure after a claim that aborted the first plan is rejected', () => {
    const replanned = given(
      unescortedRemovalPlanned(),
      protectionClaimLodged(),
      act(command('decide-protection-claim')),
    )
      .when(command('plan-removal', { departureAt: '2026-11-27T07:30:00Z' }))
      .then([{ type: 'RemovalPlanned', data: { removalId: 'r2' } }]);
    given(replanned.history)
      .when(command('record-departure', { departedAt: '2026-11-27T07:40:00Z' }))
      .then(['DepartureRecorded']);
  });
});

describe('voluntary-departure-running', () => {
  // Granted on 2 November for 30 days: the period ends on 2 December.
  const duringPeriod: Step = [
    singleAdultOpened(),
    protectionCleared(),
    voluntaryDepartureGranted(),
    requestSubmitted(),
    requestAccepted(),
    travelDocumentIssued(),
  ];

  it('refuses an unescorted removal planned for a date inside the period', () => {
    given(duringPeriod).when(plan).thenRefused('voluntary-departure-running');
  });

  it('refuses an escorted removal planned for the last day of the period', () => {
    given(duringPeriod, escortedPrerequisites())
      .when(command('plan-removal', { mode: 'escorted', departureAt: '2026-12-02T07:30:00Z' }))
      .thenRefused('voluntary-departure-running');
  });

  it('accepts a forced removal inside the period once an absconding risk is recorded with reasons', () => {
    given(duringPeriod, act(command('record-absconding-risk')))
      .when(plan)
      .then(['RemovalPlanned']);
  });

  it('accepts an assisted voluntary return inside the period', () => {
    given(duringPeriod)
      .when(command('plan-removal', { mode: 'voluntary-assisted' }))
      .then([{ type: 'RemovalPlanned', data: { mode: 'voluntary-assisted' } }]);
  });

  it('accepts a forced removal for the day after the period', () => {
    given(duringPeriod)
      .when(command('plan-removal', { departureAt: '2026-12-03T07:30:00Z' }))
      .then(['RemovalPlanned']);
  });

  // Review against the law (art. 7(1), 8(1)): found by the property spec. A plan dated after the
  // period let a forced departure be recorded on a date inside it.
  it('re-checks at departure: a forced departure recorded inside the period is refused', () => {
    given(duringPeriod, removalPlanned({ departureAt: '2026-12-03T07:30:00Z' }))
      .when(command('record-departure', { departedAt: '2026-11-25T07:30:00Z' }))
      .thenRefused('voluntary-departure-running');
  });

  it('accepts that departure once the period is over', () => {
    given(duringPeriod, removalPlanned({ departureAt: '2026-12-03T07:30:00Z' }))
      .when(command('record-departure', { departedAt: '2026-12-03T07:40:00Z' }), {
        now: new Date('2026-12-03T08:00:00Z'),
      })
      .then(['DepartureRecorded']);
  });
});

describe('best-interests-assessment-required', () => {
  const family = readyForRemoval(familyWithChildOpened());

  it('refuses moving a child with no assessment', () => {
    given(family).when(plan).thenRefused('best-interests-assessment-required');
  });

  it('refuses an assessment made by a body that is not independent of enforcement', () => {
    given(family, bestInterestsAssessed('m1', { independentOfEnforcement: false }))
      .when(plan)
      .thenRefused('best-interests-assessment-required');
  });

  it('refuses an assessment concluding return is not in the child’s best interests', () => {
    given(family, bestInterestsAssessed('m1', { conclusion: 'return-not-in-best-interests' }))
      .when(plan)
      .thenRefused('best-interests-assessment-required');
  });

  it('accepts the plan with an independent assessment concluding return is in the child’s interests', () => {
    given(family, bestInterestsAssessed('m1'))
      .when(plan)
      .then([{ type: 'RemovalPlanned', data: { members: ['principal', 'm1'] } }]);
  });

  // Review against the law: a partly known date of birth is read at its latest possible day.
  it('treats a member born in 2008 (day and month unknown) as a child in November 2026', () => {
    const born2008 = readyForRemoval(caseOpened({ household: [{ ...SAFIYA, dateOfBirth: '2008' }] }));
    given(born2008).when(plan).thenRefused('best-interests-assessment-required');
    given(born2008, bestInterestsAssessed('m1')).when(plan).then(['RemovalPlanned']);
  });

  it('counts age on the departure date: 17 on 20 November, 18 on 2 December', () => {
    const safiya = readyForRemoval(caseOpened({ household: [SAFIYA] }));
    given(safiya).when(plan).thenRefused('best-interests-assessment-required');
    given(safiya)
      .when(command('plan-removal', { departureAt: '2026-12-02T07:30:00Z' }))
      .then(['RemovalPlanned']);
  });

  // Review against the law (art. 5(a), 10(1)): found by the property spec. An assessment dated
  // after the departure was counted, as if the child had been assessed before being moved.
  it('refuses an assessment dated after the departure date', () => {
    given(family, bestInterestsAssessed('m1', { assessedOn: '2026-11-25' }))
      .when(plan)
      .thenRefused('best-interests-assessment-required');
  });

  it('re-checks at departure: a later negative assessment blocks the departure', () => {
    given(
      family,
      bestInterestsAssessed('m1'),
      removalPlanned(),
      bestInterestsAssessed('m1', { conclusion: 'return-not-in-best-interests' }),
    )
      .when(depart)
      .thenRefused('best-interests-assessment-required');
  });
});

describe('unaccompanied-minor-reception-unverified', () => {
  const leyla = readyForRemoval(unaccompaniedMinorOpened());

  it('refuses removing an unaccompanied minor before reception is verified', () => {
    given(leyla, bestInterestsAssessed('principal')).when(plan).thenRefused('unaccompanied-minor-reception-unverified');
  });

  it('lists it with the missing best-interests assessment', () => {
    given(leyla)
      .when(plan)
      .thenRefused('best-interests-assessment-required', 'unaccompanied-minor-reception-unverified');
  });

  it('accepts the plan once reception by family is verified', () => {
    given(leyla, bestInterestsAssessed('principal'), receptionVerified('principal'))
      .when(plan)
      .then(['RemovalPlanned']);
  });
});

describe('family-separation-unrecorded', () => {
  const family = readyForRemoval(familyOfThreeOpened());

  it('refuses a plan that moves only part of the household without a recorded decision', () => {
    given(family)
      .when(command('plan-removal', { members: ['m1'] }))
      .thenRefused('family-separation-unrecorded');
  });

  it('lists it with every other rule that fails: the child who travels needs an assessment', () => {
    given(family)
      .when(command('plan-removal', { members: ['m2'] }))
      .thenRefused('family-separation-unrecorded', 'best-interests-assessment-required');
  });

  it('accepts it with the decision and its reasons', () => {
    given(family)
      .when(
        command('plan-removal', {
          members: ['m1'],
          familySeparation: { reasons: 'Rustam (m1) and Amina travel first; Timur stays with his grandmother.' },
        }),
      )
      .then([{ type: 'RemovalPlanned', data: { members: ['principal', 'm1'] } }]);
  });

  it('needs no decision when the whole household moves', () => {
    given(family, bestInterestsAssessed('m2'))
      .when(plan)
      .then([{ type: 'RemovalPlanned', data: { members: ['principal', 'm1', 'm2'] } }]);
  });
});

describe('fitness-to-travel-required', () => {
  const withoutCertificate: Step = [
    readyForRemoval(),
    act(command('assess-use-of-force-risk')),
    act(command('assign-monitor')),
  ];

  it('refuses an escorted removal with no certificate', () => {
    given(withoutCertificate).when(escorted).thenRefused('fitness-to-travel-required');
  });

  it('refuses a certificate that expires before the departure date', () => {
    given(withoutCertificate, act(command('certify-fitness-to-travel', { validUntil: '2026-11-19' })))
      .when(escorted)
      .thenRefused('fitness-to-travel-required');
  });

  it('refuses a certificate that finds the person unfit', () => {
    given(withoutCertificate, act(command('certify-fitness-to-travel', { fit: false })))
      .when(escorted)
      .thenRefused('fitness-to-travel-required');
  });

  it('accepts with a fit certificate valid on the departure date', () => {
    given(withoutCertificate, act(command('certify-fitness-to-travel')))
      .when(escorted)
      .then([{ type: 'RemovalPlanned', data: { mode: 'escorted' } }]);
  });

  it('re-checks at departure: a departure after the certificate expired is refused', () => {
    given(escortedRemovalPlanned())
      .when(command('record-departure', { departedAt: '2026-12-16T07:30:00Z' }))
      .thenRefused('fitness-to-travel-required');
  });

  it('does not apply to an unescorted removal', () => {
    given(readyForRemoval()).when(plan).then(['RemovalPlanned']);
  });
});

describe('use-of-force-assessment-required', () => {
  it('refuses an escorted removal with no individual risk assessment', () => {
    given(readyForRemoval(), act(command('certify-fitness-to-travel')), act(command('assign-monitor')))
      .when(escorted)
      .thenRefused('use-of-force-assessment-required');
  });

  it('accepts it with the assessment', () => {
    given(
      readyForRemoval(),
      act(command('certify-fitness-to-travel')),
      act(command('assign-monitor')),
      act(command('assess-use-of-force-risk')),
    )
      .when(escorted)
      .then(['RemovalPlanned']);
  });
});

describe('monitor-required', () => {
  it('refuses an escorted removal with no monitor', () => {
    given(readyForRemoval(), act(command('certify-fitness-to-travel')), act(command('assess-use-of-force-risk')))
      .when(escorted)
      .thenRefused('monitor-required');
  });

  it('lists all three escort prerequisites when none is there', () => {
    given(readyForRemoval())
      .when(escorted)
      .thenRefused('fitness-to-travel-required', 'use-of-force-assessment-required', 'monitor-required');
  });

  it('accepts it once a monitor is assigned (a monitor may assign one)', () => {
    given(
      readyForRemoval(),
      act(command('certify-fitness-to-travel')),
      act(command('assess-use-of-force-risk')),
      act(command('assign-monitor')),
    )
      .when(escorted)
      .then(['RemovalPlanned']);
  });
});

describe('prohibited-restraint-method', () => {
  it.each(PROHIBITED_MEASURES)('never authorises %s, whoever asks', (measure) => {
    given(singleAdultOpened())
      .when(command('assess-use-of-force-risk', { riskLevel: 'high', authorisedMeasures: ['escort', measure] }))
      .thenRefused('prohibited-restraint-method');
  });

  it('lists it with blank reasons', () => {
    given(singleAdultOpened())
      .when(command('assess-use-of-force-risk', { authorisedMeasures: ['gag'], reasons: ' ' }))
      .thenRefused('prohibited-restraint-method', 'reasons-required');
  });

  it('authorises the permitted measures', () => {
    given(singleAdultOpened())
      .when(
        command('assess-use-of-force-risk', {
          riskLevel: 'high',
          authorisedMeasures: ['escort', 'handcuffs', 'body-cuff', 'leg-restraints', 'helmet', 'spit-hood'],
        }),
      )
      .then(['UseOfForceRiskAssessed']);
  });

  it('still records a use-of-force report naming one (a fact), raising a critical concern', () => {
    given(singleAdultOpened())
      .when(command('report-use-of-force', { techniques: ['sedation'] }))
      .then([
        { type: 'UseOfForceReported', data: { prohibitedTechniques: ['sedation'] } },
        { type: 'SafeguardConcernRaised', data: { severity: 'critical', source: 'use-of-force-report' } },
      ]);
  });
});

describe('agreement-required', () => {
  const cleared: Step = [singleAdultOpened(), protectionCleared()];
  const submit = command('submit-readmission-request');

  it('refuses a request naming no known agreement', () => {
    given(cleared).when(submit, { agreement: undefined }).thenRefused({ atLeast: true }, 'agreement-required');
  });

  it('refuses a request naming another agreement than the one loaded', () => {
    given(cleared)
      .when(command('submit-readmission-request', { agreementId: 'agr-elsewhere' }))
      .thenRefused('agreement-required');
  });

  it.each([
    ['no longer in force', { inForceUntil: '2020-12-31' }],
    ['not yet in force', { inForceFrom: '2027-01-01' }],
    ['with another origin State', { originState: 'MA' }],
    ['for other destination States', { destinationStates: ['FR', 'BE'] }],
  ])('refuses an agreement %s', (_what, terms) => {
    given(cleared)
      .when(submit, { agreement: agreement(terms) })
      .thenRefused('agreement-required');
  });

  it('refuses the accelerated procedure under an agreement that has none', () => {
    given(cleared)
      .when(command('submit-readmission-request', { procedure: 'accelerated' }), {
        agreement: agreement({ acceleratedReplyDeadline: null }),
      })
      .thenRefused('agreement-required');
  });

  it('accepts a request under the agreement in force between these two States, copying its terms', () => {
    given(cleared)
      .when(submit, { now: new Date('2026-11-03T10:00:00Z') })
      .then([
        {
          type: 'ReadmissionRequestSubmitted',
          data: {
            agreementId: 'agr-de-pk',
            agreementRevision: 1,
            terms: agreement().terms,
            submittedOn: '2026-11-03',
            replyDueOn: '2026-11-28',
          },
        },
      ]);
  });

  it('accepts the accelerated procedure: 2 working days from Tuesday', () => {
    given(cleared)
      .when(command('submit-readmission-request', { procedure: 'accelerated' }), {
        now: new Date('2026-11-03T10:00:00Z'),
      })
      .then([{ type: 'ReadmissionRequestSubmitted', data: { procedure: 'accelerated', replyDueOn: '2026-11-05' } }]);
  });
});

describe('evidence-or-interview-required', () => {
  const cleared: Step = [singleAdultOpened(), protectionCleared()];

  it('refuses a request with no evidence and no interview', () => {
    given(cleared)
      .when(command('submit-readmission-request', { evidence: [] }))
      .thenRefused('evidence-or-interview-required');
  });

  it('refuses evidence the agreement classes neither as proof nor as prima-facie', () => {
    given(cleared)
      .when(command('submit-readmission-request', { evidence: [{ type: 'library-card', reference: 'LC-1' }] }))
      .thenRefused('evidence-or-interview-required');
  });

  it('accepts a request asking for an identification interview instead', () => {
    given(cleared)
      .when(command('submit-readmission-request', { evidence: [], requestInterview: true }))
      .then([{ type: 'ReadmissionRequestSubmitted', data: { evidence: [], requestInterview: true } }]);
  });

  it('accepts prima-facie evidence, classed as such', () => {
    given(cleared)
      .when(
        command('submit-readmission-request', {
          evidence: [
            { type: 'birth-certificate', reference: 'BC-TEST-7' },
            { type: 'library-card', reference: 'LC-1' },
          ],
        }),
      )
      .then([
        {
          type: 'ReadmissionRequestSubmitted',
          data: {
            evidence: [
              { type: 'birth-certificate', class: 'prima-facie' },
              { type: 'library-card', class: 'unlisted' },
            ],
          },
        },
      ]);
  });
});

describe('readmission-acceptance-required', () => {
  const passportPending: Step = [singleAdultOpened(), protectionCleared(), requestWithPassport()];

  it('refuses a forced removal before acceptance', () => {
    given(passportPending).when(plan).thenRefused('readmission-acceptance-required');
  });

  it('refuses a removal after a rejection', () => {
    given(passportPending, act(command('reject-readmission')))
      .when(plan)
      .thenRefused('readmission-acceptance-required');
  });

  it('refuses a departure date beyond the transfer window (accepted 10 Nov + 90 days = 8 Feb)', () => {
    given(readyForRemoval())
      .when(command('plan-removal', { departureAt: '2027-02-09T07:30:00Z' }))
      .thenRefused('readmission-acceptance-required');
  });

  it('refuses a plan giving less notice of arrival than the agreement asks (23.5 h < 24 h)', () => {
    given(readyForRemoval())
      .when(plan, { now: new Date('2026-11-19T08:00:00Z') })
      .thenRefused('readmission-acceptance-required');
  });

  it('refuses a departure dated before the acceptance: outside the transfer window', () => {
    given(passportPending, requestAccepted(), removalPlanned())
      .when(command('record-departure', { departedAt: '2026-11-09T07:45:00Z' }))
      .thenRefused('readmission-acceptance-required');
  });

  it('refuses an assisted voluntary return without acceptance when the passport expires before departure', () => {
    given(singleAdultOpened(), protectionCleared(), requestWithPassport('2026-11-19'))
      .when(command('plan-removal', { mode: 'voluntary-assisted' }))
      .thenRefused('readmission-acceptance-required', 'travel-document-required');
  });

  it('accepts once readmission is accepted', () => {
    given(passportPending, requestAccepted()).when(plan).then(['RemovalPlanned']);
  });

  it('accepts on the last day of the transfer window with exactly the notice asked', () => {
    given(readyForRemoval())
      .when(command('plan-removal', { departureAt: '2027-02-08T07:30:00Z' }))
      .then(['RemovalPlanned']);
    given(readyForRemoval())
      .when(plan, { now: new Date('2026-11-19T07:30:00Z') })
      .then(['RemovalPlanned']);
  });

  it('accepts a deemed acceptance (silence past the deadline where it means consent)', () => {
    // Reply due 28 November; deemed accepted on the 29th: the window opens that day, not before.
    const deemed: Step = [singleAdultOpened(), protectionCleared(), requestSubmitted(), deadlinesElapse('2026-11-29')];
    given(deemed, travelDocumentIssued({ issuedOn: '2026-12-01' }))
      .when(command('plan-removal', { departureAt: '2026-12-04T07:30:00Z' }), { now: new Date('2026-11-30T09:00:00Z') })
      .then(['RemovalPlanned']);
    given(deemed, travelDocumentIssued())
      .when(plan, { now: new Date('2026-11-14T09:00:00Z') })
      .thenRefused('readmission-acceptance-required');
  });

  it('needs no acceptance for an assisted voluntary return with a passport valid on the departure date', () => {
    given(passportPending)
      .when(command('plan-removal', { mode: 'voluntary-assisted' }))
      .then([{ type: 'RemovalPlanned', data: { mode: 'voluntary-assisted' } }]);
  });
});

describe('travel-document-required', () => {
  const accepted: Step = [singleAdultOpened(), protectionCleared(), requestSubmitted(), requestAccepted()];

  it('refuses a removal with neither passport nor travel document', () => {
    given(accepted).when(plan).thenRefused('travel-document-required');
  });

  it('refuses a travel document that expires before the departure date', () => {
    given(accepted, travelDocumentIssued({ validUntil: '2026-11-19' }))
      .when(plan)
      .thenRefused('travel-document-required');
  });

  it('refuses a travel document issued after the departure date', () => {
    given(accepted, travelDocumentIssued({ issuedOn: '2026-11-21', validUntil: '2027-05-21' }))
      .when(plan)
      .thenRefused('travel-document-required');
  });

  it('re-checks at departure: the document expired before the actual departure', () => {
    given(accepted, travelDocumentIssued({ validUntil: '2026-11-25' }), removalPlanned())
      .when(command('record-departure', { departedAt: '2026-11-26T07:30:00Z' }))
      .thenRefused('travel-document-required');
  });

  it('accepts a travel document valid on the departure date', () => {
    given(accepted, travelDocumentIssued()).when(plan).then(['RemovalPlanned']);
  });

  it('accepts a passport valid on the departure date instead', () => {
    given(singleAdultOpened(), protectionCleared(), requestWithPassport('2026-11-20'), requestAccepted())
      .when(plan)
      .then(['RemovalPlanned']);
  });
});

describe('reasons-required', () => {
  const pending: Step = [singleAdultOpened(), protectionCleared(), requestSubmitted()];
  const cases: [string, Step, (text: string) => CaseCommand][] = [
    ['a rejection', pending, (reasons) => command('reject-readmission', { reasons })],
    ['an extension', pending, (reasons) => command('request-reply-extension', { reasons })],
    ['an absconding risk', singleAdultOpened(), (reasons) => command('record-absconding-risk', { reasons })],
    [
      'a family separation',
      readyForRemoval(familyOfThreeOpened()),
      (reasons) => command('plan-removal', { members: ['m1'], familySeparation: { reasons } }),
    ],
    ['a postponement', singleAdultOpened(), (reasons) => command('postpone-removal', { reasons })],
    [
      'a non-refoulement assessment',
      singleAdultOpened(),
      (reasons) =>
        command('verify-protection-status', {
          nonRefoulementAssessment: { outcome: 'no-risk', assessedOn: '2026-10-28', reasons },
        }),
    ],
    [
      'a best-interests assessment',
      familyWithChildOpened(),
      (reasons) => command('record-best-interests-assessment', { reasons }),
    ],
    ['a reception arrangement', singleAdultOpened(), (details) => command('verify-reception-arrangement', { details })],
    ['an abort', unescortedRemovalPlanned(), (details) => command('abort-removal', { details })],
    [
      'a use-of-force report',
      singleAdultOpened(),
      (justification) => command('report-use-of-force', { justification }),
    ],
    ['a monitoring observation', singleAdultOpened(), (text) => command('record-monitoring-observation', { text })],
    ['a safeguard concern', singleAdultOpened(), (text) => command('raise-safeguard-concern', { text })],
    [
      'a response to a concern',
      [singleAdultOpened(), act(command('raise-safeguard-concern'))],
      (response) => command('respond-to-concern', { response }),
    ],
    ['closing a case', singleAdultOpened(), (reasons) => command('close-case', { reasons })],
    ['an erasure', singleAdultOpened(), (reasons) => command('erase-personal-data', { reasons })],
  ];

  it.each(cases)('refuses %s with blank text', (_what, history, make) => {
    for (const blank of ['', '   ', '\n\t ']) given(history).when(make(blank)).thenRefused('reasons-required');
  });

  it.each(cases)('accepts %s with reasons', (_what, history, make) => {
    given(history).when(make('Explained in writing to the person, in Urdu.')).thenAccepted();
  });
});

describe('critical-concern-unanswered', () => {
  const concernRaised: Step = [unescortedRemovalPlanned(), act(command('raise-safeguard-concern'))];

  it('refuses a departure while a critical concern has no caseworker response', () => {
    given(concernRaised).when(depart).thenRefused('critical-concern-unanswered');
  });

  it('accepts the departure once a caseworker responds', () => {
    given(concernRaised, act(command('respond-to-concern')))
      .when(depart)
      .then(['DepartureRecorded']);
  });

  it('is not raised by a major concern', () => {
    given(unescortedRemovalPlanned(), act(command('raise-safeguard-concern', { severity: 'major' })))
      .when(depart)
      .then(['DepartureRecorded']);
  });

  it('is lifted when the monitor closes the concern', () => {
    given(concernRaised, act(command('close-safeguard-concern')))
      .when(depart)
      .then(['DepartureRecorded']);
  });

  it('shows on the departure’s standing blockers: a second concern needs its own response', () => {
    given(
      concernRaised,
      act(command('respond-to-concern')),
      act(command('raise-safeguard-concern', { text: 'Escort refused an interpreter.' })),
    )
      .when(depart)
      .thenRefused('critical-concern-unanswered');
  });
});

describe('wrong-stage', () => {
  it('refuses a departure with no removal planned', () => {
    given(readyForRemoval()).when(depart).thenRefused('wrong-stage');
  });

  it('refuses an answer to a request never made', () => {
    given(singleAdultOpened(), protectionCleared()).when(command('accept-readmission')).thenRefused('wrong-stage');
  });

  it('refuses a second acceptance', () => {
    given(singleAdultOpened(), protectionCleared(), requestSubmitted(), requestAccepted())
      .when(command('accept-readmission'))
      .thenRefused('wrong-stage');
  });

  it('refuses a second request while the first is pending, and arrival before departure', () => {
    given(singleAdultOpened(), protectionCleared(), requestSubmitted())
      .when(command('submit-readmission-request'))
      .thenRefused('wrong-stage');
    given(unescortedRemovalPlanned()).when(command('confirm-arrival')).thenRefused('wrong-stage');
  });

  it('refuses any command on a case that was never opened', () => {
    given().when(command('verify-protection-status')).thenRefused('wrong-stage');
  });

  it('accepts the departure once a removal is planned, and the answer once a request is made', () => {
    given(unescortedRemovalPlanned()).when(depart).then(['DepartureRecorded']);
    given(singleAdultOpened(), protectionCleared(), requestSubmitted())
      .when(command('accept-readmission'))
      .then(['ReadmissionRequestAcknowledged', 'ReadmissionAccepted']);
  });

  it('accepts a new request after a rejection', () => {
    given(singleAdultOpened(), protectionCleared(), requestSubmitted(), act(command('reject-readmission')))
      .when(command('submit-readmission-request', { requestInterview: true }))
      .then([{ type: 'ReadmissionRequestSubmitted', data: { requestId: 'q2' } }]);
  });
});

describe('case-closed', () => {
  it('refuses authorising commands on a closed case', () => {
    given(readyForRemoval(), caseClosed()).when(plan).thenRefused('case-closed');
    given(readyForRemoval(), caseClosed()).when(command('close-case')).thenRefused('case-closed');
  });

  it('accepts the same commands while the case is open', () => {
    given(readyForRemoval()).when(plan).then(['RemovalPlanned']);
    given(readyForRemoval()).when(command('close-case')).then(['CaseClosed']);
  });
});

describe('removal-postponed', () => {
  it('refuses a plan while a removal is postponed', () => {
    given(readyForRemoval(), act(command('postpone-removal')))
      .when(plan)
      .thenRefused('removal-postponed');
  });

  it('refuses a departure planned inside a postponement until a date', () => {
    given(unescortedRemovalPlanned(), act(command('postpone-removal', { reason: 'technical', until: '2026-11-20' })))
      .when(depart)
      .thenRefused('removal-postponed');
  });

  it('accepts once the postponement is lifted', () => {
    given(readyForRemoval(), act(command('postpone-removal')), act(command('lift-postponement')))
      .when(plan)
      .then(['RemovalPlanned']);
  });

  it('accepts a departure after the date a postponement runs until', () => {
    given(readyForRemoval(), act(command('postpone-removal', { until: '2026-11-19' })))
      .when(plan)
      .then(['RemovalPlanned']);
  });
});

describe('whereabouts-unknown', () => {
  it('refuses a plan while the person has absconded', () => {
    given(readyForRemoval(), act(command('record-absconding')))
      .when(plan)
      .thenRefused('whereabouts-unknown');
  });

  it('refuses the departure after absconding during a planned removal', () => {
    given(unescortedRemovalPlanned(), act(command('record-absconding')))
      .when(depart)
      .thenRefused('whereabouts-unknown');
  });

  it('accepts once the whereabouts are known again', () => {
    given(readyForRemoval(), act(command('record-absconding')), act(command('record-whereabouts-known')))
      .when(plan)
      .then(['RemovalPlanned']);
  });
});

describe('extension-beyond-agreement', () => {
  const pending: Step = [singleAdultOpened(), protectionCleared(), requestSubmitted()];

  it('refuses an extension longer than the agreement allows', () => {
    given(pending)
      .when(command('request-reply-extension', { days: 61 }))
      .thenRefused('extension-beyond-agreement');
  });

  it('refuses a second extension', () => {
    given(pending, act(command('request-reply-extension')))
      .when(command('request-reply-extension', { days: 5 }))
      .thenRefused('extension-beyond-agreement');
  });

  it('refuses any extension where the agreement allows none', () => {
    given(singleAdultOpened(), protectionCleared(), requestSubmitted({ terms: { maxExtension: null } }))
      .when(command('request-reply-extension'))
      .thenRefused('extension-beyond-agreement');
  });

  it('accepts an extension up to the maximum, moving the reply deadline', () => {
    given(pending)
      .when(command('request-reply-extension', { days: 60 }))
      .then([
        'ReadmissionRequestAcknowledged',
        { type: 'ReadmissionReplyExtended', data: { days: 60, replyDueOn: '2027-01-27' } },
      ]);
  });
});

describe('document-not-shareable', () => {
  const requested: Step = [singleAdultOpened(), protectionCleared(), requestSubmitted()];
  const upload = (kind: 'medical-certificate' | 'court-decision' | 'passport-copy', requestId?: string) => {
    const g = given(requested);
    return new When(
      g,
      decideAttachDocument(g.state, {
        documentId: '00000000-0000-4000-8000-000000000001',
        kind,
        size: 10,
        sha256: '0'.repeat(64),
        mediaType: 'application/pdf',
        ...(requestId ? { requestId } : {}),
      }),
    );
  };

  it('refuses to share a medical certificate or a court decision with the origin State', () => {
    upload('medical-certificate', 'q1').thenRefused('document-not-shareable');
    upload('court-decision', 'q1').thenRefused('document-not-shareable');
  });

  it('accepts them kept by the destination State, and a passport copy shared', () => {
    upload('medical-certificate').then(['DocumentAttached']);
    upload('passport-copy', 'q1').then(['DocumentAttached']);
  });
});

describe('rule ids', () => {
  it('every rule id the decider can produce has its own block here; not-permitted is access policy', () => {
    const source = readFileSync(fileURLToPath(import.meta.url), 'utf8');
    const blocks = RULE_IDS.filter((rule) => source.includes(`describe('${rule}'`));
    expect(blocks.sort()).toEqual(RULE_IDS.filter((rule) => rule !== 'not-permitted').sort());
    expect(RULE_IDS).toContain('not-permitted');
  });
});
