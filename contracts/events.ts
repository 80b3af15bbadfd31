import { z } from 'zod';
import { Actor, FreeText, Instant, IsoDate, MemberId, ShortText, StateCode } from './common.ts';
import { AgreementTerms } from './agreements.ts';
import { HouseholdMember, Outcome, Person } from './cases.ts';
import { actionBodies as b } from './commands.ts';
import { DocumentKind, DocumentMediaType } from './documents.ts';
import { AbortReason, Measure, ObstacleType, ProtectionClaimKind, RejectionReason, Severity } from './vocabulary.ts';
import { threadEventSchemas, type ThreadEventType } from './messages.ts';

/**
 * Stored event payloads of the return case and of readmission agreements. Every payload
 * schema has a version (`EVENT_VERSIONS`); an older stored version is upcast on read
 * (services/event-store/upcasting.ts), so history is never rewritten.
 */
const EvidenceItem = z.strictObject({
  type: ShortText,
  reference: ShortText,
  validUntil: IsoDate.optional(),
  /** How the agreement in force classes this evidence type. */
  class: z.enum(['proof', 'prima-facie', 'unlisted']),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

export const caseEventSchemas = {
  CaseOpened: z.strictObject({
    caseId: z.string(),
    /** The human reference (`DE-2026-000123`); absent on cases opened before references. */
    reference: z.string().optional(),
    destinationState: StateCode,
    originState: StateCode,
    person: Person,
    household: z.array(HouseholdMember),
    returnDecision: z.strictObject({ reference: ShortText, issuedOn: IsoDate }),
    openedOn: IsoDate,
  }),
  ProtectionStatusVerified: b['verify-protection-status'],
  VulnerabilityScreeningRecorded: b['record-vulnerability-screening'],
  BestInterestsAssessmentRecorded: b['record-best-interests-assessment'],
  ReceptionArrangementVerified: b['verify-reception-arrangement'],
  VoluntaryDepartureGranted: b['grant-voluntary-departure'].extend({ endsOn: IsoDate }),
  VoluntaryDeparturePeriodEnded: z.strictObject({ endedOn: IsoDate }),
  AbscondingRiskRecorded: b['record-absconding-risk'],
  VoluntaryDepartureRecorded: b['record-voluntary-departure'],
  ReadmissionRequestSubmitted: z.strictObject({
    requestId: z.string(),
    agreementId: z.string(),
    agreementRevision: z.number().int(),
    /** The terms in force at submission, copied so later amendments never rewrite history. */
    terms: AgreementTerms,
    procedure: z.enum(['normal', 'accelerated']),
    evidence: z.array(EvidenceItem),
    requestInterview: z.boolean(),
    careNeededInTransit: FreeText.optional(),
    submittedOn: IsoDate,
    replyDueOn: IsoDate,
  }),
  ReadmissionRequestAcknowledged: z.strictObject({ requestId: z.string(), receivedOn: IsoDate }),
  IdentificationInterviewRequested: z.strictObject({ requestId: z.string(), proposedOn: IsoDate }),
  IdentificationInterviewRecorded: z.strictObject({
    requestId: z.string(),
    heldOn: IsoDate,
    outcome: z.enum(['national', 'not-national', 'inconclusive']),
  }),
  ReadmissionReplyExtended: z.strictObject({
    requestId: z.string(),
    days: z.number().int(),
    reasons: FreeText,
    replyDueOn: IsoDate,
  }),
  ReadmissionAccepted: z.strictObject({
    requestId: z.string(),
    acceptedOn: IsoDate,
    transferBy: IsoDate,
    travelDocumentDueOn: IsoDate,
  }),
  ReadmissionDeemedAccepted: z.strictObject({
    requestId: z.string(),
    deemedOn: IsoDate,
    transferBy: IsoDate,
    travelDocumentDueOn: IsoDate,
  }),
  ReadmissionRejected: z.strictObject({
    requestId: z.string(),
    rejectedOn: IsoDate,
    reason: RejectionReason,
    reasons: FreeText,
  }),
  TravelDocumentIssued: b['issue-travel-document'],
  FitnessToTravelCertified: b['certify-fitness-to-travel'],
  UseOfForceRiskAssessed: b['assess-use-of-force-risk'],
  MonitorAssigned: b['assign-monitor'],
  RemovalPlanned: z.strictObject({
    removalId: z.string(),
    departureAt: Instant,
    mode: b['plan-removal'].shape.mode,
    /** Everyone who travels, the principal included. */
    members: z.array(MemberId),
    familySeparation: z.strictObject({ reasons: FreeText }).optional(),
    transport: b['plan-removal'].shape.transport,
  }),
  DepartureRecorded: z.strictObject({ removalId: z.string(), departedAt: Instant }),
  RemovalAborted: z.strictObject({
    removalId: z.string().nullable(),
    abortedAt: Instant,
    reason: AbortReason,
    details: FreeText,
  }),
  ArrivalConfirmed: z.strictObject({ removalId: z.string(), arrivedAt: Instant, handedOverTo: ShortText }),
  UseOfForceReported: z.strictObject({
    reportId: z.string(),
    occurredAt: Instant,
    techniques: z.array(Measure),
    prohibitedTechniques: z.array(Measure),
    durationMinutes: z.number().int(),
    justification: FreeText,
    injuries: FreeText.optional(),
  }),
  ProtectionClaimLodged: z.strictObject({ claimId: z.string(), lodgedOn: IsoDate, kind: ProtectionClaimKind }),
  ProtectionClaimDecided: z.strictObject({
    claimId: z.string(),
    decidedOn: IsoDate,
    outcome: z.enum(['rejected', 'granted']),
  }),
  RemovalPostponed: b['postpone-removal'],
  PostponementLifted: b['lift-postponement'],
  AbscondingRecorded: b['record-absconding'],
  WhereaboutsKnown: b['record-whereabouts-known'],
  ObstacleRecorded: z.strictObject({
    obstacleId: z.string(),
    type: ObstacleType,
    openedOn: IsoDate,
    note: FreeText,
    automatic: z.boolean(),
  }),
  ObstacleResolved: z.strictObject({
    obstacleId: z.string(),
    resolvedOn: IsoDate,
    note: FreeText,
    automatic: z.boolean(),
  }),
  MonitoringObservationRecorded: z.strictObject({
    observationId: z.string(),
    phase: b['record-monitoring-observation'].shape.phase,
    observedAt: Instant,
    text: FreeText,
  }),
  SafeguardConcernRaised: z.strictObject({
    concernId: z.string(),
    severity: Severity,
    text: FreeText,
    raisedAt: Instant,
    source: z.enum(['monitor', 'use-of-force-report']),
  }),
  ConcernResponded: z.strictObject({ concernId: z.string(), response: FreeText, respondedAt: Instant }),
  SafeguardConcernClosed: z.strictObject({ concernId: z.string(), note: FreeText, closedAt: Instant }),
  CaseClosed: z.strictObject({ outcome: Outcome, reasons: FreeText.optional(), closedOn: IsoDate }),
  PersonalDataErased: z.strictObject({ erasedAt: Instant }),
  /** An upload (metadata only: the bytes are sealed in the documents folder; who is the event's actor). */
  DocumentAttached: z.strictObject({
    documentId: z.string(),
    kind: DocumentKind,
    size: z.number().int().min(1),
    /** SHA-256 of the plaintext, hex: sealed with the case's key (PERSONAL_FIELDS), so shredded on erasure. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    mediaType: DocumentMediaType,
    /** Shared with the origin State as part of this request; absent: the destination State's only. */
    requestId: z.string().optional(),
  }),
} as const;

export const agreementEventSchemas = {
  AgreementConcluded: z.strictObject({ agreementId: z.string(), terms: AgreementTerms }),
  AgreementAmended: z.strictObject({ agreementId: z.string(), terms: AgreementTerms }),
} as const;

/** A read of a case by a liaison or a monitor (domain.md: every such read is recorded). */
export const auditEventSchemas = {
  CaseRead: z.strictObject({
    caseId: z.string(),
    view: z.enum(['case', 'history', 'documents', 'document', 'messages', 'export']),
    documentId: z.string().optional(),
  }),
} as const;

type DataOf<S> = { [K in keyof S]: { type: K; data: S[K] extends z.ZodType ? z.infer<S[K]> : never } }[keyof S];
export type CaseEvent = DataOf<typeof caseEventSchemas>;
export type CaseEventType = CaseEvent['type'];
export type AgreementEvent = DataOf<typeof agreementEventSchemas>;
export type AgreementEventType = AgreementEvent['type'];
export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;

export const CASE_EVENT_TYPES = Object.keys(caseEventSchemas) as CaseEventType[];

/** Current payload version of each event type. Bump it and add an upcaster when a payload changes. */
export const EVENT_VERSIONS: Record<CaseEventType | AgreementEventType, number> = Object.fromEntries(
  [
    ...Object.keys(caseEventSchemas),
    ...Object.keys(agreementEventSchemas),
    ...Object.keys(auditEventSchemas),
    ...Object.keys(threadEventSchemas),
  ].map((t) => [t, 1]),
) as Record<CaseEventType | AgreementEventType, number>;

/** Metadata stored with every event. */
export const EventMetadata = z.strictObject({
  actor: Actor,
  /** When rrc recorded it (the command's `now`). */
  recordedAt: Instant,
  /** When it happened, where the command says so (a departure time, a lodging date). */
  occurredAt: z.string(),
  schemaVersion: z.number().int().min(1),
  /** The client's Idempotency-Key and a hash of the request: a repeat returns the first answer. */
  idempotencyKey: z.string().optional(),
  requestHash: z.string().optional(),
  /** The case's status after the command, on the command's last event: the first answer, replayable. */
  statusAfter: z.string().optional(),
});
export type EventMetadata = z.infer<typeof EventMetadata>;

/**
 * Paths of the personal data inside each payload: encrypted with the person's key at rest
 * and shredded on erasure. `[]` steps into every array item.
 */
export const PERSONAL_FIELDS: Partial<Record<CaseEventType | ThreadEventType, readonly string[]>> = {
  CaseOpened: [
    'person',
    'household[].givenNames',
    'household[].familyName',
    'household[].dateOfBirth',
    'returnDecision.reference',
  ],
  ProtectionStatusVerified: ['nonRefoulementAssessment.reasons'],
  VulnerabilityScreeningRecorded: ['findings[].note'],
  BestInterestsAssessmentRecorded: ['reasons'],
  ReceptionArrangementVerified: ['details'],
  AbscondingRiskRecorded: ['reasons'],
  ReadmissionRequestSubmitted: ['evidence[].reference', 'careNeededInTransit'],
  ReadmissionReplyExtended: ['reasons'],
  ReadmissionRejected: ['reasons'],
  TravelDocumentIssued: ['documentNumber'],
  FitnessToTravelCertified: ['practitioner', 'conditions'],
  UseOfForceRiskAssessed: ['reasons'],
  RemovalPlanned: ['familySeparation.reasons', 'transport.reference'],
  RemovalAborted: ['details'],
  ArrivalConfirmed: ['handedOverTo'],
  UseOfForceReported: ['justification', 'injuries'],
  RemovalPostponed: ['reasons'],
  ObstacleRecorded: ['note'],
  ObstacleResolved: ['note'],
  MonitoringObservationRecorded: ['text'],
  SafeguardConcernRaised: ['text'],
  ConcernResponded: ['response'],
  SafeguardConcernClosed: ['note'],
  CaseClosed: ['reasons'],
  // A digest of a document's bytes could confirm a guess of its content once the case is erased.
  DocumentAttached: ['sha256'],
  MessagePosted: ['text'],
};
