import type {
  ActionBody,
  AgreementTerms,
  CaseEvent,
  CaseEventOf,
  DocumentKind,
  EvidenceItem,
  HouseholdMember,
  Outcome,
  Person,
} from '../contracts/index.ts';

/**
 * What rrc knows about one return case: the fold of its events. The lifecycle stage is the
 * XState machine's (`machine.ts`); everything else is here. Plain data, so it can be
 * cloned, compared and cached by revision.
 */
export interface ReadmissionRequest {
  requestId: string;
  agreementId: string;
  agreementRevision: number;
  terms: AgreementTerms;
  procedure: 'normal' | 'accelerated';
  evidence: EvidenceItem[];
  requestInterview: boolean;
  careNeededInTransit?: string | undefined;
  submittedOn: string;
  replyDueOn: string;
  acknowledgedOn?: string;
  interviewProposedOn?: string;
  interview?: { heldOn: string; outcome: 'national' | 'not-national' | 'inconclusive' };
  extension?: { days: number; reasons: string };
  status: 'pending' | 'accepted' | 'deemed-accepted' | 'rejected';
  acceptedOn?: string;
  transferBy?: string;
  travelDocumentDueOn?: string;
  rejection?: { rejectedOn: string; reason: string; reasons: string };
}

export interface Removal {
  removalId: string;
  departureAt: string;
  mode: 'voluntary-assisted' | 'unescorted' | 'escorted';
  members: string[];
  familySeparation?: { reasons: string } | undefined;
  transport: { kind: string; reference?: string | undefined };
  departedAt?: string;
}

export interface Obstacle {
  obstacleId: string;
  type: string;
  openedOn: string;
  note: string;
  automatic: boolean;
  resolvedOn?: string;
}

export interface Concern {
  concernId: string;
  severity: 'critical' | 'major' | 'minor';
  text: string;
  raisedAt: string;
  source: 'monitor' | 'use-of-force-report';
  response?: { response: string; respondedAt: string };
  closed?: { note: string; closedAt: string };
}

export interface ProtectionClaim {
  claimId: string;
  lodgedOn: string;
  kind: string;
  decided?: { decidedOn: string; outcome: 'rejected' | 'granted' };
}

/** A document attached to the case (its metadata; the bytes live sealed outside the log). */
export interface CaseDocument {
  documentId: string;
  kind: DocumentKind;
  size: number;
  /** Absent once the personal data are erased. */
  sha256?: string | undefined;
  mediaType: string;
  requestId?: string | undefined;
}

export interface CaseData {
  caseId: string;
  /** `DE-2026-000123`: per destination State and year; null on cases opened before references. */
  reference: string | null;
  destinationState: string;
  originState: string;
  openedOn: string;
  /** `undefined` once the personal data are erased. */
  person: Person | undefined;
  household: HouseholdMember[];
  returnDecision: { reference: string; issuedOn: string };
  protection?: ActionBody<'verify-protection-status'>;
  screening?: ActionBody<'record-vulnerability-screening'>;
  bestInterests: Record<string, ActionBody<'record-best-interests-assessment'>>;
  reception: Record<string, ActionBody<'verify-reception-arrangement'>>;
  voluntaryDeparture?: ActionBody<'grant-voluntary-departure'> & { endsOn: string; ended: boolean };
  abscondingRisk?: ActionBody<'record-absconding-risk'>;
  voluntaryDepartureRecorded?: ActionBody<'record-voluntary-departure'>;
  request?: ReadmissionRequest;
  /** Every request ever made, the current one last. */
  requestCount: number;
  travelDocument?: ActionBody<'issue-travel-document'>;
  fitness: Record<string, ActionBody<'certify-fitness-to-travel'>>;
  useOfForceAssessment?: ActionBody<'assess-use-of-force-risk'>;
  monitor?: ActionBody<'assign-monitor'>;
  removal?: Removal;
  removalCount: number;
  aborts: { removalId: string | null; abortedAt: string; reason: string }[];
  useOfForceReports: CaseEventOf<'UseOfForceReported'>['data'][];
  observations: number;
  claims: ProtectionClaim[];
  postponement?: ActionBody<'postpone-removal'>;
  absconded?: { since: string };
  obstacles: Obstacle[];
  concerns: Concern[];
  outcome?: Outcome;
  closedOn?: string;
  personalDataErased: boolean;
  documents: CaseDocument[];
}

export type CaseContext = CaseData | null;

function openCase(e: CaseEventOf<'CaseOpened'>['data']): CaseData {
  return {
    caseId: e.caseId,
    reference: e.reference ?? null,
    destinationState: e.destinationState,
    originState: e.originState,
    openedOn: e.openedOn,
    person: e.person,
    household: e.household,
    returnDecision: e.returnDecision,
    bestInterests: {},
    reception: {},
    requestCount: 0,
    fitness: {},
    removalCount: 0,
    aborts: [],
    useOfForceReports: [],
    observations: 0,
    claims: [],
    obstacles: [],
    concerns: [],
    personalDataErased: false,
    documents: [],
  };
}

const withRequest = (c: CaseData, f: (r: ReadmissionRequest) => ReadmissionRequest): CaseData =>
  c.request ? { ...c, request: f(c.request) } : c;

/**
 * Fold one event into the case data. Pure and total: every event type has a branch, and
 * the `never` check makes a new event type a compile error until it is handled here.
 */
export function foldCase(c: CaseContext, event: CaseEvent): CaseContext {
  if (event.type === 'CaseOpened') return openCase(event.data);
  if (c === null) return c; // an event before CaseOpened cannot happen in a well-formed stream
  switch (event.type) {
    case 'ProtectionStatusVerified':
      return { ...c, protection: event.data };
    case 'VulnerabilityScreeningRecorded':
      return { ...c, screening: event.data };
    case 'BestInterestsAssessmentRecorded':
      return { ...c, bestInterests: { ...c.bestInterests, [event.data.memberId]: event.data } };
    case 'ReceptionArrangementVerified':
      return { ...c, reception: { ...c.reception, [event.data.memberId]: event.data } };
    case 'VoluntaryDepartureGranted':
      return { ...c, voluntaryDeparture: { ...event.data, ended: false } };
    case 'VoluntaryDeparturePeriodEnded':
      return c.voluntaryDeparture ? { ...c, voluntaryDeparture: { ...c.voluntaryDeparture, ended: true } } : c;
    case 'AbscondingRiskRecorded':
      return { ...c, abscondingRisk: event.data };
    case 'VoluntaryDepartureRecorded':
      return { ...c, voluntaryDepartureRecorded: event.data };
    case 'ReadmissionRequestSubmitted': {
      const { careNeededInTransit, ...rest } = event.data;
      return {
        ...c,
        requestCount: c.requestCount + 1,
        request: { ...rest, careNeededInTransit, status: 'pending' },
      };
    }
    case 'ReadmissionRequestAcknowledged':
      return withRequest(c, (r) => ({ ...r, acknowledgedOn: event.data.receivedOn }));
    case 'IdentificationInterviewRequested':
      return withRequest(c, (r) => ({ ...r, interviewProposedOn: event.data.proposedOn }));
    case 'IdentificationInterviewRecorded':
      return withRequest(c, (r) => ({ ...r, interview: { heldOn: event.data.heldOn, outcome: event.data.outcome } }));
    case 'ReadmissionReplyExtended':
      return withRequest(c, (r) => ({
        ...r,
        extension: { days: event.data.days, reasons: event.data.reasons },
        replyDueOn: event.data.replyDueOn,
      }));
    case 'ReadmissionAccepted':
      return withRequest(c, (r) => ({
        ...r,
        status: 'accepted',
        acceptedOn: event.data.acceptedOn,
        transferBy: event.data.transferBy,
        travelDocumentDueOn: event.data.travelDocumentDueOn,
      }));
    case 'ReadmissionDeemedAccepted':
      return withRequest(c, (r) => ({
        ...r,
        status: 'deemed-accepted',
        acceptedOn: event.data.deemedOn,
        transferBy: event.data.transferBy,
        travelDocumentDueOn: event.data.travelDocumentDueOn,
      }));
    case 'ReadmissionRejected':
      return withRequest(c, (r) => ({
        ...r,
        status: 'rejected',
        rejection: { rejectedOn: event.data.rejectedOn, reason: event.data.reason, reasons: event.data.reasons },
      }));
    case 'TravelDocumentIssued':
      return { ...c, travelDocument: event.data };
    case 'FitnessToTravelCertified':
      return { ...c, fitness: { ...c.fitness, [event.data.memberId]: event.data } };
    case 'UseOfForceRiskAssessed':
      return { ...c, useOfForceAssessment: event.data };
    case 'MonitorAssigned':
      return { ...c, monitor: event.data };
    case 'RemovalPlanned':
      return { ...c, removal: { ...event.data }, removalCount: c.removalCount + 1 };
    case 'DepartureRecorded':
      return c.removal ? { ...c, removal: { ...c.removal, departedAt: event.data.departedAt } } : c;
    case 'RemovalAborted': {
      const { removalId, abortedAt, reason } = event.data;
      const { removal: _dropped, ...rest } = c;
      return { ...(removalId !== null ? rest : c), aborts: [...c.aborts, { removalId, abortedAt, reason }] };
    }
    case 'ArrivalConfirmed':
      return c;
    case 'UseOfForceReported':
      return { ...c, useOfForceReports: [...c.useOfForceReports, event.data] };
    case 'ProtectionClaimLodged':
      return { ...c, claims: [...c.claims, { ...event.data }] };
    case 'ProtectionClaimDecided':
      return {
        ...c,
        claims: c.claims.map((p) =>
          p.claimId === event.data.claimId
            ? { ...p, decided: { decidedOn: event.data.decidedOn, outcome: event.data.outcome } }
            : p,
        ),
      };
    case 'RemovalPostponed':
      return { ...c, postponement: event.data };
    case 'PostponementLifted': {
      const { postponement: _lifted, ...rest } = c;
      return rest;
    }
    case 'AbscondingRecorded':
      return { ...c, absconded: event.data };
    case 'WhereaboutsKnown': {
      const { absconded: _found, ...rest } = c;
      return rest;
    }
    case 'ObstacleRecorded':
      return { ...c, obstacles: [...c.obstacles, { ...event.data }] };
    case 'ObstacleResolved':
      return {
        ...c,
        obstacles: c.obstacles.map((o) =>
          o.obstacleId === event.data.obstacleId ? { ...o, resolvedOn: event.data.resolvedOn } : o,
        ),
      };
    case 'MonitoringObservationRecorded':
      return { ...c, observations: c.observations + 1 };
    case 'SafeguardConcernRaised':
      return { ...c, concerns: [...c.concerns, { ...event.data }] };
    case 'ConcernResponded':
      return {
        ...c,
        concerns: c.concerns.map((k) =>
          k.concernId === event.data.concernId
            ? { ...k, response: { response: event.data.response, respondedAt: event.data.respondedAt } }
            : k,
        ),
      };
    case 'SafeguardConcernClosed':
      return {
        ...c,
        concerns: c.concerns.map((k) =>
          k.concernId === event.data.concernId
            ? { ...k, closed: { note: event.data.note, closedAt: event.data.closedAt } }
            : k,
        ),
      };
    case 'CaseClosed':
      return { ...c, outcome: event.data.outcome, closedOn: event.data.closedOn };
    case 'PersonalDataErased':
      return { ...c, personalDataErased: true };
    case 'DocumentAttached':
      return { ...c, documents: [...c.documents, event.data] };
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/** Everyone on the case: the principal first, then the household in order. */
export interface Traveller {
  memberId: string;
  dateOfBirth: string | undefined;
  relationship: 'principal' | HouseholdMember['relationship'];
}

export function travellers(c: CaseData): Traveller[] {
  return [
    { memberId: 'principal', dateOfBirth: c.person?.dateOfBirth, relationship: 'principal' },
    ...c.household.map((m) => ({ memberId: m.memberId, dateOfBirth: m.dateOfBirth, relationship: m.relationship })),
  ];
}

export const memberExists = (c: CaseData, memberId: string): boolean =>
  memberId === 'principal' || c.household.some((m) => m.memberId === memberId);

export const openClaims = (c: CaseData): ProtectionClaim[] => c.claims.filter((p) => !p.decided);
export const openObstacles = (c: CaseData): Obstacle[] => c.obstacles.filter((o) => o.resolvedOn === undefined);
export const openConcerns = (c: CaseData): Concern[] => c.concerns.filter((k) => !k.closed);
