import type { AgreementTerms, OpenCaseBody } from '../../contracts/index.ts';

/** Request bodies for fictional people and a typical agreement; override what a spec is about. */
export function agreementBody(overrides: Partial<AgreementTerms> = {}): AgreementTerms {
  return {
    title: 'Readmission agreement DE/FR–PK (fictional test terms)',
    destinationStates: ['DE', 'FR'],
    originState: 'PK',
    kind: 'agreement',
    inForceFrom: '2010-12-01',
    inForceUntil: null,
    replyDeadline: { days: 25, dayKind: 'calendar' },
    acceleratedReplyDeadline: { days: 2, dayKind: 'working' },
    maxExtension: { days: 60, dayKind: 'calendar' },
    silenceMeansConsent: true,
    travelDocument: { issueWithin: { days: 3, dayKind: 'working' }, minValidityDays: 90 },
    transferWindowDays: 90,
    arrivalNoticeHours: 24,
    evidence: { proof: ['passport', 'identity-card'], primaFacie: ['birth-certificate', 'driving-licence'] },
    ...overrides,
  };
}

export function familyCaseBody(overrides: Partial<OpenCaseBody> = {}): OpenCaseBody {
  return {
    person: {
      givenNames: 'Amina',
      familyName: 'Testova',
      aliases: [],
      sex: 'female',
      dateOfBirth: '1990-04-01',
      placeOfBirth: 'Faisalabad',
      nationality: 'PK',
      languages: ['ur'],
    },
    household: [{ givenNames: 'Sami', familyName: 'Testova', dateOfBirth: '2019-05-02', relationship: 'child' }],
    originState: 'PK',
    returnDecision: { reference: 'RD-2026-0001', issuedOn: '2026-10-01' },
    ...overrides,
  };
}

export function singleAdultCaseBody(overrides: Partial<OpenCaseBody> = {}): OpenCaseBody {
  return familyCaseBody({
    person: {
      givenNames: 'Bilal',
      familyName: 'Examplo',
      aliases: ['B. Examplo'],
      sex: 'male',
      dateOfBirth: '1985-07-12',
      placeOfBirth: 'Multan',
      nationality: 'PK',
      languages: ['ur', 'en'],
    },
    household: [],
    ...overrides,
  });
}

export const cleared = {
  decisionFinalOn: '2026-10-15',
  suspensiveRemedyPending: false,
  nonRefoulementAssessment: {
    outcome: 'no-risk',
    assessedOn: '2026-10-20',
    reasons: 'No risk found for return to PK.',
  },
} as const;
