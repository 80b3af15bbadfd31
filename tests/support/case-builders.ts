import { agreementBody } from './http-fixtures.ts';
import type {
  ActionBody,
  ActionName,
  AgreementTerms,
  CaseCommand,
  CaseEvent,
  HouseholdMemberInput,
  OpenCaseBody,
  Person,
} from '../../contracts/index.ts';
import {
  decide,
  decideElapsedDeadlines,
  decideOpenCase,
  evolve,
  initialState,
  type CaseState,
  type DecideContext,
} from '../../domain/index.ts';

/**
 * Builders for domain specs: fictional people, agreements, command bodies and the event
 * sequences of common situations. Everyone here is invented ("Amina Testova"); no real
 * person's data belongs in a test. Time is always passed in: nothing reads the clock.
 *
 * The standard timeline (all 2026 unless said):
 *   Mon 2 Nov  case opened, protection verified
 *   Tue 3 Nov  readmission request submitted (reply due 28 Nov, 25 calendar days)
 *   Tue 10 Nov request accepted (transfer by 8 Feb 2027, travel document due Fri 13 Nov)
 *   Thu 12 Nov travel document issued, valid until 12 May 2027
 *   Mon 16 Nov `NOW`: removal planned for Fri 20 Nov 07:30 UTC
 *   Fri 20 Nov departure 07:45 UTC, arrival 15:20 +05:00
 */

export const DESTINATION = 'DE';
export const ORIGIN = 'PK';
export const CASE_ID = 'case-0001';

/** The default "now" of a spec: Monday 16 November 2026, 09:00 UTC. */
export const NOW = new Date('2026-11-16T09:00:00Z');
export const OPENED_AT = new Date('2026-11-02T08:00:00Z');
export const SUBMITTED_AT = new Date('2026-11-03T10:00:00Z');
export const DEPARTURE_AT = '2026-11-20T07:30:00Z';
export const DEPARTED_AT = '2026-11-20T07:45:00Z';

// ---------------------------------------------------------------------------------------
// Fictional people

export const AMINA: Person = {
  givenNames: 'Amina',
  familyName: 'Testova',
  aliases: ['Amina Testowa'],
  sex: 'female',
  dateOfBirth: '1990-04-01',
  placeOfBirth: 'Fiktivabad',
  nationality: ORIGIN,
  languages: ['ur'],
};

/** Amina's son, 7 on the standard departure date. */
export const TIMUR: HouseholdMemberInput = {
  givenNames: 'Timur',
  familyName: 'Testov',
  dateOfBirth: '2019-05-02',
  relationship: 'child',
};

export const RUSTAM: HouseholdMemberInput = {
  givenNames: 'Rustam',
  familyName: 'Testov',
  dateOfBirth: '1987-08-09',
  relationship: 'spouse',
};

/** A girl who turns 18 on 1 December 2026: a minor on 20 November, an adult on 2 December. */
export const SAFIYA: HouseholdMemberInput = {
  givenNames: 'Safiya',
  familyName: 'Testova',
  dateOfBirth: '2008-12-01',
  relationship: 'child',
};

/** A 16-year-old who arrived alone: an unaccompanied minor. */
export const LEYLA: Person = {
  givenNames: 'Leyla',
  familyName: 'Beispielova',
  aliases: [],
  sex: 'female',
  dateOfBirth: '2010-06-15',
  placeOfBirth: 'Musterkot',
  nationality: ORIGIN,
  languages: ['ur', 'en'],
};

export const JONAS: Person = {
  givenNames: 'Jonas',
  familyName: 'Fiktivson',
  aliases: [],
  sex: 'male',
  dateOfBirth: '1985-02-28',
  placeOfBirth: 'Exampleton',
  nationality: ORIGIN,
  languages: ['pa'],
};

export const person = (overrides: Partial<Person> = {}): Person => ({ ...AMINA, ...overrides });

export const openCaseBody = (overrides: Partial<OpenCaseBody> = {}): OpenCaseBody => ({
  person: AMINA,
  household: [],
  originState: ORIGIN,
  returnDecision: { reference: 'RD-2026-TEST-0001', issuedOn: '2026-10-01' },
  ...overrides,
});

// ---------------------------------------------------------------------------------------
// Agreements

export const AGREEMENT_ID = 'agr-de-pk';

/** Readmission terms between DE/FR and PK, shaped like the real examples in domain.md. */
export const agreementTerms = (overrides: Partial<AgreementTerms> = {}): AgreementTerms =>
  agreementBody({ destinationStates: [DESTINATION, 'FR'], originState: ORIGIN, ...overrides });

export type AgreementRef = NonNullable<DecideContext['agreement']>;

export const agreement = (
  overrides: Partial<AgreementTerms> = {},
  agreementId = AGREEMENT_ID,
  revision = 1,
): AgreementRef => ({
  agreementId,
  revision,
  terms: agreementTerms(overrides),
});

/** The context a spec decides in: the fixed `NOW` and the standard agreement, unless told otherwise. */
export const context = (overrides: Partial<DecideContext> = {}): DecideContext => ({
  now: NOW,
  agreement: agreement(),
  ...overrides,
});

// ---------------------------------------------------------------------------------------
// Commands: a valid body for every action, on the standard timeline

export const DEFAULT_BODIES: { [A in ActionName]: ActionBody<A> } = {
  'verify-protection-status': {
    decisionFinalOn: '2026-10-20',
    suspensiveRemedyPending: false,
    nonRefoulementAssessment: {
      outcome: 'no-risk',
      assessedOn: '2026-10-28',
      reasons: 'Country information reviewed; no individual risk identified.',
    },
  },
  'record-vulnerability-screening': {
    screenedOn: '2026-11-02',
    findings: [{ memberId: 'principal', kind: 'health', note: 'Needs daily medication.' }],
  },
  'record-best-interests-assessment': {
    memberId: 'm1',
    assessedOn: '2026-11-05',
    assessingBody: 'Independent Child Welfare Board (fictional)',
    independentOfEnforcement: true,
    conclusion: 'return-in-best-interests',
    reasons: 'School place and extended family available on return.',
  },
  'verify-reception-arrangement': {
    memberId: 'principal',
    kind: 'family',
    verifiedOn: '2026-11-06',
    details: 'An aunt confirmed through the social services of the origin State.',
  },
  'grant-voluntary-departure': { grantedOn: '2026-11-02', days: 30, assisted: true },
  'record-absconding-risk': { assessedOn: '2026-11-04', reasons: 'Left two reception centres without notice.' },
  'record-voluntary-departure': { departedOn: '2026-11-18', verifiedBy: 'exit-check' },
  'submit-readmission-request': {
    agreementId: AGREEMENT_ID,
    procedure: 'normal',
    evidence: [{ type: 'identity-card', reference: 'ID-TEST-0001' }],
    requestInterview: false,
  },
  'acknowledge-readmission-request': { receivedOn: '2026-11-04' },
  'request-identification-interview': { proposedOn: '2026-11-09' },
  'record-identification-interview': { heldOn: '2026-11-09', outcome: 'national' },
  'request-reply-extension': { days: 20, reasons: 'Registry records are being checked.' },
  'accept-readmission': { acceptedOn: '2026-11-10' },
  'reject-readmission': {
    rejectedOn: '2026-11-10',
    reason: 'insufficient-evidence',
    reasons: 'The identity card could not be matched to a registry entry.',
  },
  'issue-travel-document': { documentNumber: 'TD-TEST-0001', issuedOn: '2026-11-12', validUntil: '2027-05-12' },
  'certify-fitness-to-travel': {
    memberId: 'principal',
    examinedOn: '2026-11-15',
    validUntil: '2026-12-15',
    fit: true,
    practitioner: 'Dr. Erika Beispiel (fictional)',
  },
  'assess-use-of-force-risk': {
    assessedOn: '2026-11-15',
    riskLevel: 'low',
    authorisedMeasures: ['escort'],
    reasons: 'Cooperative so far; an escort suffices.',
  },
  'assign-monitor': { monitorId: 'mon-0007', organisation: 'Independent Return Monitoring Office (fictional)' },
  'plan-removal': {
    departureAt: DEPARTURE_AT,
    mode: 'unescorted',
    transport: { kind: 'scheduled-flight', reference: 'XX 1234' },
  },
  'record-departure': { departedAt: DEPARTED_AT },
  'abort-removal': {
    abortedAt: '2026-11-20T07:10:00Z',
    reason: 'medical',
    details: 'Fainted at the gate and was seen by the airport doctor.',
  },
  'confirm-arrival': { arrivedAt: '2026-11-20T15:20:00+05:00', handedOverTo: 'Border police, arrivals hall' },
  'report-use-of-force': {
    occurredAt: '2026-11-20T07:20:00Z',
    techniques: ['handcuffs'],
    durationMinutes: 15,
    justification: 'Tried to leave the boarding area.',
  },
  'lodge-protection-claim': { lodgedOn: '2026-11-17', kind: 'subsequent-application' },
  'decide-protection-claim': { decidedOn: '2026-11-18', outcome: 'rejected' },
  'postpone-removal': { reason: 'health', reasons: 'Third trimester of pregnancy.' },
  'lift-postponement': { liftedOn: '2026-11-18' },
  'record-absconding': { since: '2026-11-17' },
  'record-whereabouts-known': { on: '2026-11-18' },
  'record-obstacle': { type: 'charter-refused', openedOn: '2026-11-17', note: 'The carrier declined the booking.' },
  'resolve-obstacle': { obstacleId: 'o1', resolvedOn: '2026-11-18', note: 'Another carrier was booked.' },
  'record-monitoring-observation': {
    phase: 'pre-departure',
    observedAt: '2026-11-20T06:30:00Z',
    text: 'Information given in a language understood.',
  },
  'raise-safeguard-concern': { severity: 'critical', text: 'Medication was not handed over to the escort.' },
  'close-safeguard-concern': { concernId: 'k1', note: 'Medication handed over.' },
  'respond-to-concern': { concernId: 'k1', response: 'Medication handed to the escort leader.' },
  'close-case': { outcome: 'withdrawn', reasons: 'The return decision was withdrawn by the court.' },
  'erase-personal-data': { reasons: 'The retention period ended.' },
};

/** A command with the default body of its action, fields overridden as given. */
export function command<A extends ActionName>(action: A, overrides: Partial<ActionBody<A>> = {}): CaseCommand {
  return { action, body: { ...DEFAULT_BODIES[action], ...overrides } } as CaseCommand;
}

// ---------------------------------------------------------------------------------------
// Steps: what a `given` is made of

/** A literal event, a function of the state so far (a command run through the decider), or a list of steps. */
export type Step = CaseEvent | ((state: CaseState) => readonly CaseEvent[]) | readonly Step[];

/** Fold steps onto a state; returns the state and every event the steps produced. */
export function fold(
  steps: readonly Step[],
  from: CaseState = initialState(),
): { state: CaseState; events: CaseEvent[] } {
  let state = from;
  const events: CaseEvent[] = [];
  const apply = (step: Step): void => {
    if (Array.isArray(step)) {
      (step as readonly Step[]).forEach(apply);
      return;
    }
    const produced = typeof step === 'function' ? step(state) : [step as CaseEvent];
    for (const e of produced) {
      state = evolve(state, e);
      events.push(e);
    }
  };
  steps.forEach(apply);
  return { state, events };
}

/** The events of some steps, folded from the beginning. */
export const eventsOf = (...steps: Step[]): CaseEvent[] => fold(steps).events;

/** Run a command through the decider; a refusal here is a broken `given`, so it throws. */
export const act =
  (cmd: CaseCommand, ctx: Partial<DecideContext> = {}): Step =>
  (state) => {
    const decision = decide(state, cmd, context(ctx));
    if (!decision.ok) {
      const why = decision.kind === 'refused' ? decision.rules.join(', ') : JSON.stringify(decision.errors);
      throw new Error(`given: ${cmd.action} was not accepted (${decision.kind}: ${why})`);
    }
    return decision.events;
  };

/** The deadline service running on `asOf`. */
export const deadlinesElapse =
  (asOf: string): Step =>
  (state) =>
    decideElapsedDeadlines(state, asOf);

// ---------------------------------------------------------------------------------------
// Situations

export interface OpenOptions {
  person?: Person;
  household?: HouseholdMemberInput[];
  now?: Date;
  caseId?: string;
}

/** A case opened by a DE caseworker. */
export function caseOpened(options: OpenOptions = {}): Step {
  const decision = decideOpenCase(
    openCaseBody({ person: options.person ?? AMINA, household: options.household ?? [] }),
    { now: options.now ?? OPENED_AT, caseId: options.caseId ?? CASE_ID, destinationState: DESTINATION },
  );
  if (!decision.ok) throw new Error('given: the case could not be opened');
  return decision.events;
}

/** Amina alone. */
export const singleAdultOpened = (): Step => caseOpened({ person: AMINA });
/** Amina with her son Timur (m1). */
export const familyWithChildOpened = (): Step => caseOpened({ household: [TIMUR] });
/** Amina with her husband Rustam (m1) and son Timur (m2). */
export const familyOfThreeOpened = (): Step => caseOpened({ household: [RUSTAM, TIMUR] });
/** Leyla, 16, alone. */
export const unaccompaniedMinorOpened = (): Step => caseOpened({ person: LEYLA });

export const protectionCleared = (overrides: Partial<ActionBody<'verify-protection-status'>> = {}): Step =>
  act(command('verify-protection-status', overrides), { now: OPENED_AT });

export interface RequestOptions {
  body?: Partial<ActionBody<'submit-readmission-request'>>;
  terms?: Partial<AgreementTerms>;
  now?: Date;
}

export const requestSubmitted = (options: RequestOptions = {}): Step =>
  act(command('submit-readmission-request', options.body ?? {}), {
    now: options.now ?? SUBMITTED_AT,
    agreement: agreement(options.terms ?? {}),
  });

/** A request with a passport valid until the given date as evidence. */
export const requestWithPassport = (validUntil = '2030-01-31', options: RequestOptions = {}): Step =>
  requestSubmitted({
    ...options,
    body: { evidence: [{ type: 'passport', reference: 'P-TEST-0001', validUntil }], ...options.body },
  });

export const requestAccepted = (acceptedOn = '2026-11-10'): Step =>
  act(command('accept-readmission', { acceptedOn }), { now: new Date(`${acceptedOn}T12:00:00Z`) });

export const travelDocumentIssued = (overrides: Partial<ActionBody<'issue-travel-document'>> = {}): Step =>
  act(command('issue-travel-document', overrides));

export const bestInterestsAssessed = (
  memberId = 'm1',
  overrides: Partial<ActionBody<'record-best-interests-assessment'>> = {},
): Step => act(command('record-best-interests-assessment', { memberId, ...overrides }));

export const receptionVerified = (memberId = 'principal'): Step =>
  act(command('verify-reception-arrangement', { memberId }));

export const voluntaryDepartureGranted = (overrides: Partial<ActionBody<'grant-voluntary-departure'>> = {}): Step =>
  act(command('grant-voluntary-departure', overrides), { now: OPENED_AT });

/** What an escorted removal needs besides acceptance and a document: fitness, a use-of-force assessment, a monitor. */
export const escortedPrerequisites = (): Step => [
  act(command('certify-fitness-to-travel')),
  act(command('assess-use-of-force-risk')),
  act(command('assign-monitor')),
];

/** Cleared, requested, accepted and documented: a removal can be planned. */
export const readyForRemoval = (opened: Step = singleAdultOpened()): Step => [
  opened,
  protectionCleared(),
  requestSubmitted(),
  requestAccepted(),
  travelDocumentIssued(),
];

export const removalPlanned = (overrides: Partial<ActionBody<'plan-removal'>> = {}, now: Date = NOW): Step =>
  act(command('plan-removal', overrides), { now });

/** Amina alone, an unescorted removal planned for 20 November. */
export const unescortedRemovalPlanned = (): Step => [readyForRemoval(), removalPlanned()];

/** Amina alone, an escorted removal planned with everything it needs. */
export const escortedRemovalPlanned = (): Step => [
  readyForRemoval(),
  escortedPrerequisites(),
  removalPlanned({ mode: 'escorted' }),
];

export const departed = (departedAt = DEPARTED_AT): Step => act(command('record-departure', { departedAt }));

export const protectionClaimLodged = (overrides: Partial<ActionBody<'lodge-protection-claim'>> = {}): Step =>
  act(command('lodge-protection-claim', overrides));

/** A case closed with a manual outcome (`withdrawn` unless told). */
export const caseClosed = (overrides: Partial<ActionBody<'close-case'>> = {}): Step =>
  act(command('close-case', overrides));
