import type { Role } from '../contracts/index.ts';
import type { AllowedAction } from './allowed-actions.ts';
import type { CaseState } from './case-state.ts';
import { utcDateOf } from './dates.ts';
import { openClaims, openConcerns, openObstacles, type CaseData } from './state.ts';

/**
 * What each role may see of a case (domain.md, data protection). The liaison view is an
 * allow-list built field by field: anything not named here is absent, never hidden.
 */
export interface Deadline {
  kind: 'voluntary-departure-ends' | 'readmission-reply' | 'travel-document' | 'transfer';
  dueOn: string;
  overdue: boolean;
}

export function deadlines(c: CaseData, status: string, asOf: string): Deadline[] {
  if (status === 'closed') return [];
  const list: Deadline[] = [];
  const add = (kind: Deadline['kind'], dueOn: string | undefined) => {
    if (dueOn !== undefined) list.push({ kind, dueOn, overdue: asOf > dueOn });
  };
  if (c.voluntaryDeparture && !c.voluntaryDeparture.ended) add('voluntary-departure-ends', c.voluntaryDeparture.endsOn);
  const r = c.request;
  if (r?.status === 'pending') add('readmission-reply', r.replyDueOn);
  if (r && (r.status === 'accepted' || r.status === 'deemed-accepted')) {
    if (c.travelDocument === undefined) add('travel-document', r.travelDocumentDueOn);
    if (status !== 'departed') add('transfer', r.transferBy);
  }
  return list.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}

export function holds(c: CaseData) {
  return {
    protectionClaims: openClaims(c).map(({ claimId, lodgedOn, kind }) => ({ claimId, lodgedOn, kind })),
    postponement: c.postponement ?? null,
    absconded: c.absconded ?? null,
  };
}

export interface ViewInput {
  state: CaseState;
  revision: number;
  now: Date;
  allowedActions: AllowedAction[];
}

/** The full record, for caseworkers and monitors. */
export function fullCaseView({ state, revision, now, allowedActions }: ViewInput) {
  const c = state.data!;
  const asOf = utcDateOf(now);
  return {
    caseId: c.caseId,
    reference: c.reference,
    revision,
    status: state.status,
    outcome: c.outcome ?? null,
    destinationState: c.destinationState,
    originState: c.originState,
    openedOn: c.openedOn,
    closedOn: c.closedOn ?? null,
    personalDataErased: c.personalDataErased,
    person: c.person ?? null,
    household: c.household,
    returnDecision: c.returnDecision,
    protection: c.protection ?? null,
    vulnerabilityScreening: c.screening ?? null,
    bestInterestsAssessments: Object.values(c.bestInterests),
    receptionArrangements: Object.values(c.reception),
    voluntaryDeparture: c.voluntaryDeparture ?? null,
    abscondingRisk: c.abscondingRisk ?? null,
    readmissionRequest: c.request ?? null,
    travelDocument: c.travelDocument ?? null,
    fitnessToTravel: Object.values(c.fitness),
    useOfForceAssessment: c.useOfForceAssessment ?? null,
    monitor: c.monitor ?? null,
    removal: c.removal ?? null,
    abortedRemovals: c.aborts,
    useOfForceReports: c.useOfForceReports,
    holds: holds(c),
    deadlines: deadlines(c, state.status, asOf),
    openObstacles: openObstacles(c),
    openConcerns: openConcerns(c),
    allowedActions,
  };
}

/** Identity documents the origin State may see: passports and identity cards, not other evidence. */
const IDENTITY_DOCUMENTS = new Set(['passport', 'identity-card', 'national-id-card', 'travel-document', 'id-card']);

/**
 * The origin State's view: identity, the request and its deadlines, travel arrangements and
 * the care needed in transit. Never protection, health, holds, incidents or concerns.
 */
export function liaisonCaseView({ state, revision, now, allowedActions }: ViewInput) {
  const c = state.data!;
  const r = c.request!;
  const asOf = utcDateOf(now);
  const p = c.person;
  // Who travels with the person: the planned removal's members, or, before a plan, the whole
  // household the case was opened with (domain.md: "with the household members who travel with
  // them"). The origin State readmits them too and needs to identify them (the agreements'
  // request forms list the accompanying spouse and minor children); members who stay behind
  // after a recorded family separation are none of its business.
  const travelling = new Set(c.removal ? c.removal.members : c.household.map((m) => m.memberId));
  return {
    caseId: c.caseId,
    reference: c.reference,
    revision,
    person: p
      ? {
          givenNames: p.givenNames,
          familyName: p.familyName,
          aliases: p.aliases,
          sex: p.sex,
          dateOfBirth: p.dateOfBirth,
          placeOfBirth: p.placeOfBirth,
          nationality: p.nationality,
        }
      : null,
    accompanyingMembers: c.household
      .filter((m) => travelling.has(m.memberId))
      .map((m) => ({
        memberId: m.memberId,
        givenNames: m.givenNames,
        familyName: m.familyName,
        dateOfBirth: m.dateOfBirth,
        // Needed to readmit a non-national spouse or child with the person; nothing else about them.
        relationship: m.relationship,
      })),
    identityDocuments: r.evidence
      .filter((e) => IDENTITY_DOCUMENTS.has(e.type))
      .map((e) => ({ type: e.type, reference: e.reference, validUntil: e.validUntil ?? null })),
    readmissionRequest: {
      requestId: r.requestId,
      agreementId: r.agreementId,
      procedure: r.procedure,
      status: r.status,
      submittedOn: r.submittedOn,
      acknowledgedOn: r.acknowledgedOn ?? null,
      replyDueOn: r.replyDueOn,
      overdue: r.status === 'pending' && asOf > r.replyDueOn,
      requestInterview: r.requestInterview,
      interview: r.interview ?? null,
      extension: r.extension ? { days: r.extension.days } : null,
      acceptedOn: r.acceptedOn ?? null,
      transferBy: r.transferBy ?? null,
      travelDocumentDueOn: r.travelDocumentDueOn ?? null,
      rejection: r.rejection ? { rejectedOn: r.rejection.rejectedOn, reason: r.rejection.reason } : null,
    },
    travelDocument: c.travelDocument ?? null,
    travelArrangements: c.removal
      ? {
          departureAt: c.removal.departureAt,
          mode: c.removal.mode,
          transport: c.removal.transport,
          departedAt: c.removal.departedAt ?? null,
        }
      : null,
    careNeededInTransit: r.careNeededInTransit ?? null,
    allowedActions,
  };
}

export function caseViewFor(role: Role, input: ViewInput) {
  return role === 'liaison' ? liaisonCaseView(input) : fullCaseView(input);
}
