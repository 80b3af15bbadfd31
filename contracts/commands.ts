import { z } from 'zod';
import { FreeText, Instant, IsoDate, MemberId, ShortText } from './common.ts';
import { ManualOutcome } from './cases.ts';
import {
  AbortReason,
  Measure,
  MonitoringPhase,
  ObstacleType,
  ProtectionClaimKind,
  RejectionReason,
  RemovalMode,
  Severity,
  TransportKind,
  VulnerabilityKind,
} from './vocabulary.ts';

/**
 * One strict body schema per case action (`POST /v1/cases/{caseId}/{action}`), exactly as
 * `api.md` names them. Free texts are `FreeText`: blank ones are refused by the domain
 * with `reasons-required` (409), not by the schema.
 */
export const actionBodies = {
  'verify-protection-status': z.strictObject({
    decisionFinalOn: IsoDate,
    suspensiveRemedyPending: z.boolean(),
    nonRefoulementAssessment: z.strictObject({
      outcome: z.enum(['no-risk', 'risk']),
      assessedOn: IsoDate,
      reasons: FreeText,
    }),
  }),
  'record-vulnerability-screening': z.strictObject({
    screenedOn: IsoDate,
    findings: z.array(z.strictObject({ memberId: MemberId, kind: VulnerabilityKind, note: FreeText })).max(100),
  }),
  'record-best-interests-assessment': z.strictObject({
    memberId: MemberId,
    assessedOn: IsoDate,
    assessingBody: ShortText.min(1),
    independentOfEnforcement: z.boolean(),
    conclusion: z.enum(['return-in-best-interests', 'return-not-in-best-interests']),
    reasons: FreeText,
  }),
  'verify-reception-arrangement': z.strictObject({
    memberId: MemberId,
    kind: z.enum(['family', 'guardian', 'reception-facility']),
    verifiedOn: IsoDate,
    details: FreeText,
  }),
  'grant-voluntary-departure': z.strictObject({
    grantedOn: IsoDate,
    days: z.number().int().min(7).max(30),
    assisted: z.boolean(),
  }),
  'record-absconding-risk': z.strictObject({ assessedOn: IsoDate, reasons: FreeText }),
  'record-voluntary-departure': z.strictObject({
    departedOn: IsoDate,
    verifiedBy: z.enum(['exit-check', 'consular-confirmation', 'other']),
  }),
  'submit-readmission-request': z.strictObject({
    agreementId: ShortText.min(1),
    procedure: z.enum(['normal', 'accelerated']),
    evidence: z
      .array(z.strictObject({ type: ShortText.min(1), reference: ShortText.min(1), validUntil: IsoDate.optional() }))
      .max(50),
    requestInterview: z.boolean(),
    careNeededInTransit: FreeText.optional(),
  }),
  'acknowledge-readmission-request': z.strictObject({ receivedOn: IsoDate }),
  'request-identification-interview': z.strictObject({ proposedOn: IsoDate }),
  'record-identification-interview': z.strictObject({
    heldOn: IsoDate,
    outcome: z.enum(['national', 'not-national', 'inconclusive']),
  }),
  'request-reply-extension': z.strictObject({ days: z.number().int().min(1).max(365), reasons: FreeText }),
  'accept-readmission': z.strictObject({ acceptedOn: IsoDate }),
  'reject-readmission': z.strictObject({ rejectedOn: IsoDate, reason: RejectionReason, reasons: FreeText }),
  'issue-travel-document': z.strictObject({
    documentNumber: ShortText.min(1),
    issuedOn: IsoDate,
    validUntil: IsoDate,
  }),
  'certify-fitness-to-travel': z.strictObject({
    memberId: MemberId,
    examinedOn: IsoDate,
    validUntil: IsoDate,
    fit: z.boolean(),
    practitioner: ShortText.min(1),
    conditions: FreeText.optional(),
  }),
  'assess-use-of-force-risk': z.strictObject({
    assessedOn: IsoDate,
    riskLevel: z.enum(['low', 'medium', 'high']),
    authorisedMeasures: z.array(Measure).max(20),
    reasons: FreeText,
  }),
  'assign-monitor': z.strictObject({ monitorId: ShortText.min(1), organisation: ShortText.min(1) }),
  'plan-removal': z.strictObject({
    departureAt: Instant,
    mode: RemovalMode,
    members: z.array(MemberId).max(31).optional(),
    familySeparation: z.strictObject({ reasons: FreeText }).optional(),
    transport: z.strictObject({ kind: TransportKind, reference: ShortText.optional() }),
  }),
  'record-departure': z.strictObject({ departedAt: Instant }),
  'abort-removal': z.strictObject({ abortedAt: Instant, reason: AbortReason, details: FreeText }),
  'confirm-arrival': z.strictObject({ arrivedAt: Instant, handedOverTo: ShortText.min(1) }),
  'report-use-of-force': z.strictObject({
    occurredAt: Instant,
    techniques: z.array(Measure).min(1).max(20),
    durationMinutes: z.number().int().min(0).max(10_000),
    justification: FreeText,
    injuries: FreeText.optional(),
  }),
  'lodge-protection-claim': z.strictObject({ lodgedOn: IsoDate, kind: ProtectionClaimKind }),
  'decide-protection-claim': z.strictObject({
    decidedOn: IsoDate,
    outcome: z.enum(['rejected', 'granted']),
    claimId: ShortText.optional(),
  }),
  'postpone-removal': z.strictObject({
    reason: z.enum(['health', 'technical']),
    until: IsoDate.optional(),
    reasons: FreeText,
  }),
  'lift-postponement': z.strictObject({ liftedOn: IsoDate }),
  'record-absconding': z.strictObject({ since: IsoDate }),
  'record-whereabouts-known': z.strictObject({ on: IsoDate }),
  'record-obstacle': z.strictObject({ type: ObstacleType, openedOn: IsoDate, note: FreeText }),
  'resolve-obstacle': z.strictObject({ obstacleId: ShortText.min(1), resolvedOn: IsoDate, note: FreeText }),
  'record-monitoring-observation': z.strictObject({ phase: MonitoringPhase, observedAt: Instant, text: FreeText }),
  'raise-safeguard-concern': z.strictObject({ severity: Severity, text: FreeText }),
  'close-safeguard-concern': z.strictObject({ concernId: ShortText.min(1), note: FreeText }),
  'respond-to-concern': z.strictObject({ concernId: ShortText.min(1), response: FreeText }),
  'close-case': z.strictObject({ outcome: ManualOutcome, reasons: FreeText }),
  'erase-personal-data': z.strictObject({ reasons: FreeText }),
} as const;

export type ActionName = keyof typeof actionBodies;
export const ACTION_NAMES = Object.keys(actionBodies) as ActionName[];
export type ActionBody<A extends ActionName> = z.infer<(typeof actionBodies)[A]>;

/** A case command as the domain sees it: the action and its parsed body. */
export type CaseCommand = { [A in ActionName]: { action: A; body: ActionBody<A> } }[ActionName];

/** Commands only the system issues (the deadline service): never exposed over HTTP. */
export type SystemCommand = { action: 'apply-elapsed-deadlines'; body: { asOf: string } };
