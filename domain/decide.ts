import {
  DEADLINE_OBSTACLES,
  isProhibited,
  type ActionBody,
  type ActionName,
  type AgreementTerms,
  type CaseCommand,
  type CaseEvent,
  type CaseStatus,
  type EvidenceItem,
  type OpenCaseBody,
} from '../contracts/index.ts';
import type { CaseState } from './case-state.ts';
import { addCalendarDays, addDays, addPeriod, dateOf, localDateOf, utcDateOf } from './dates.ts';
import {
  holdRules,
  isBlank,
  passportValidOn,
  protectionCleared,
  readmissionAccepted,
  removalRules,
  unansweredCriticalConcerns,
} from './removal-rules.ts';
import type { RuleId } from './rules.ts';
import { memberExists, openClaims, openConcerns, openObstacles, travellers, type CaseData } from './state.ts';

/** What the command handler gives `decide` besides the state: time is an input, never read. */
export interface DecideContext {
  now: Date;
  /** The agreement a readmission request names, loaded by the handler. */
  agreement?: { agreementId: string; revision: number; terms: AgreementTerms } | undefined;
}

export interface InputError {
  path: string;
  message: string;
}

export type Decision =
  | { ok: true; events: CaseEvent[] }
  | { ok: false; kind: 'refused'; rules: RuleId[] }
  | { ok: false; kind: 'invalid'; errors: InputError[] };

/**
 * `authorise`: allows an action; refused while a rule fails, and on a closed case.
 * `record`: records a fact (or answers a record); accepted whenever well-formed, closed case included.
 */
type Kind = 'authorise' | 'record';

interface ActionRules<A extends ActionName> {
  kind: Kind;
  /** Rules that fail whatever the body says: they block the action in `allowedActions`. */
  standing?: (c: CaseData, status: CaseStatus, ctx: DecideContext) => RuleId[];
  /** Input that names something the case does not have: a 400, not a refusal. */
  invalid?: (c: CaseData, body: ActionBody<A>) => InputError[];
  /** Rules that depend on the body. */
  check?: (c: CaseData, body: ActionBody<A>, status: CaseStatus, ctx: DecideContext) => RuleId[];
  events: (c: CaseData, body: ActionBody<A>, status: CaseStatus, ctx: DecideContext) => CaseEvent[];
}

type ActionTable = { [A in ActionName]: ActionRules<A> };

const OPEN_STAGES: readonly CaseStatus[] = ['intake', 'voluntary-departure', 'readmission', 'removal-planned'];
const BEFORE_REMOVAL: readonly CaseStatus[] = ['intake', 'voluntary-departure', 'readmission'];

const stage = (status: CaseStatus, allowed: readonly CaseStatus[]): RuleId[] =>
  allowed.includes(status) ? [] : ['wrong-stage'];
const needs = (...texts: (string | undefined)[]): RuleId[] => (texts.some(isBlank) ? ['reasons-required'] : []);
const unknownMember = (c: CaseData, path: string, memberId: string): InputError[] =>
  memberExists(c, memberId) ? [] : [{ path, message: `no member ${memberId} on this case` }];
const today = (ctx: DecideContext): string => utcDateOf(ctx.now);
const nowIso = (ctx: DecideContext): string => ctx.now.toISOString();

const pendingRequest = (c: CaseData): RuleId[] => (c.request?.status === 'pending' ? [] : ['wrong-stage']);

/** Accepting, rejecting or asking for an extension imply the read receipt. */
function acknowledgement(c: CaseData, on: string): CaseEvent[] {
  const r = c.request;
  return r && r.acknowledgedOn === undefined
    ? [{ type: 'ReadmissionRequestAcknowledged', data: { requestId: r.requestId, receivedOn: on } }]
    : [];
}

/** Deadline obstacles close by themselves once their cause goes. */
function resolveAutomatic(c: CaseData, type: string, on: string, note: string): CaseEvent[] {
  return openObstacles(c)
    .filter((o) => o.type === type && o.automatic)
    .map((o) => ({
      type: 'ObstacleResolved',
      data: { obstacleId: o.obstacleId, resolvedOn: on, note, automatic: true },
    }));
}

function acceptanceTerms(c: CaseData, on: string): { transferBy: string; travelDocumentDueOn: string } {
  const terms = c.request!.terms;
  return {
    transferBy: addCalendarDays(on, terms.transferWindowDays),
    travelDocumentDueOn: addPeriod(on, terms.travelDocument.issueWithin, terms.calendar),
  };
}

const classify = (terms: AgreementTerms, type: string): EvidenceItem['class'] =>
  terms.evidence.proof.includes(type) ? 'proof' : terms.evidence.primaFacie.includes(type) ? 'prima-facie' : 'unlisted';

function agreementRules(c: CaseData, body: ActionBody<'submit-readmission-request'>, ctx: DecideContext): RuleId[] {
  const a = ctx.agreement;
  const on = today(ctx);
  const fits =
    a !== undefined &&
    a.agreementId === body.agreementId &&
    a.terms.originState === c.originState &&
    a.terms.destinationStates.includes(c.destinationState) &&
    a.terms.inForceFrom <= on &&
    (a.terms.inForceUntil === null || a.terms.inForceUntil >= on) &&
    (body.procedure === 'normal' || a.terms.acceleratedReplyDeadline !== null);
  return fits ? [] : ['agreement-required'];
}

/** The principal always travels; `members` names who goes along. */
const movingMembers = (c: CaseData, members: readonly string[] | undefined): string[] =>
  members === undefined
    ? travellers(c).map((t) => t.memberId)
    : ['principal', ...members.filter((m) => m !== 'principal')].filter((m, i, all) => all.indexOf(m) === i);

const ACTIONS: ActionTable = {
  'verify-protection-status': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    check: (_c, b) => needs(b.nonRefoulementAssessment.reasons),
    events: (_c, b) => [{ type: 'ProtectionStatusVerified', data: b }],
  },
  'record-vulnerability-screening': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    invalid: (c, b) => b.findings.flatMap((f, i) => unknownMember(c, `findings.${i}.memberId`, f.memberId)),
    events: (_c, b) => [{ type: 'VulnerabilityScreeningRecorded', data: b }],
  },
  'record-best-interests-assessment': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    invalid: (c, b) => unknownMember(c, 'memberId', b.memberId),
    check: (_c, b) => needs(b.reasons),
    events: (_c, b) => [{ type: 'BestInterestsAssessmentRecorded', data: b }],
  },
  'verify-reception-arrangement': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    invalid: (c, b) => unknownMember(c, 'memberId', b.memberId),
    check: (_c, b) => needs(b.details),
    events: (_c, b) => [{ type: 'ReceptionArrangementVerified', data: b }],
  },
  'grant-voluntary-departure': {
    kind: 'authorise',
    standing: (c, s) => (s === 'intake' && c.voluntaryDeparture === undefined ? [] : ['wrong-stage']),
    events: (_c, b) => [
      { type: 'VoluntaryDepartureGranted', data: { ...b, endsOn: addCalendarDays(b.grantedOn, b.days) } },
    ],
  },
  'record-absconding-risk': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    check: (_c, b) => needs(b.reasons),
    events: (_c, b) => [{ type: 'AbscondingRiskRecorded', data: b }],
  },
  'record-voluntary-departure': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    events: (_c, b) => [
      { type: 'VoluntaryDepartureRecorded', data: b },
      { type: 'CaseClosed', data: { outcome: 'departed-voluntarily', closedOn: b.departedOn } },
    ],
  },
  'submit-readmission-request': {
    kind: 'authorise',
    standing: (c, s) => [
      ...stage(s, BEFORE_REMOVAL),
      ...(c.request && c.request.status !== 'rejected' ? (['wrong-stage'] as const) : []),
      ...(protectionCleared(c) ? [] : (['protection-clearance-required'] as const)),
    ],
    check: (c, b, _s, ctx) => {
      const rules = agreementRules(c, b, ctx);
      const terms = ctx.agreement?.terms;
      const classed = terms ? b.evidence.filter((e) => classify(terms, e.type) !== 'unlisted') : [];
      if (classed.length === 0 && !b.requestInterview) rules.push('evidence-or-interview-required');
      return rules;
    },
    events: (c, b, _s, ctx) => {
      const a = ctx.agreement!;
      const submittedOn = today(ctx);
      const deadline = b.procedure === 'accelerated' ? a.terms.acceleratedReplyDeadline! : a.terms.replyDeadline;
      // Submitting delivers the request: the reply period runs from the day of receipt in the
      // requested State (its date, in its time zone), that day not counted (Reg. 1182/71 art. 3(1)).
      const receivedOn = localDateOf(ctx.now, a.terms.calendar?.timeZone);
      return [
        {
          type: 'ReadmissionRequestSubmitted',
          data: {
            requestId: `q${c.requestCount + 1}`,
            agreementId: a.agreementId,
            agreementRevision: a.revision,
            terms: a.terms,
            procedure: b.procedure,
            evidence: b.evidence.map((e) => ({ ...e, class: classify(a.terms, e.type) })),
            requestInterview: b.requestInterview,
            ...(b.careNeededInTransit !== undefined ? { careNeededInTransit: b.careNeededInTransit } : {}),
            submittedOn,
            replyDueOn: addPeriod(receivedOn, deadline, a.terms.calendar),
          },
        },
      ];
    },
  },
  'acknowledge-readmission-request': {
    kind: 'authorise',
    standing: (c) => (c.request?.status === 'pending' && c.request.acknowledgedOn === undefined ? [] : ['wrong-stage']),
    events: (c, b) => [
      { type: 'ReadmissionRequestAcknowledged', data: { requestId: c.request!.requestId, receivedOn: b.receivedOn } },
    ],
  },
  'request-identification-interview': {
    kind: 'authorise',
    standing: pendingRequest,
    events: (c, b) => [
      ...acknowledgement(c, b.proposedOn),
      { type: 'IdentificationInterviewRequested', data: { requestId: c.request!.requestId, proposedOn: b.proposedOn } },
    ],
  },
  'record-identification-interview': {
    kind: 'authorise',
    standing: pendingRequest,
    events: (c, b) => [{ type: 'IdentificationInterviewRecorded', data: { requestId: c.request!.requestId, ...b } }],
  },
  'request-reply-extension': {
    kind: 'authorise',
    standing: (c) => [
      ...pendingRequest(c),
      ...(c.request?.extension || (c.request && c.request.terms.maxExtension === null)
        ? (['extension-beyond-agreement'] as const)
        : []),
    ],
    check: (c, b) => {
      const max = c.request?.terms.maxExtension;
      return [...needs(b.reasons), ...(max && b.days > max.days ? (['extension-beyond-agreement'] as const) : [])];
    },
    events: (c, b, _s, ctx) => {
      const r = c.request!;
      return [
        ...acknowledgement(c, today(ctx)),
        {
          type: 'ReadmissionReplyExtended',
          data: {
            requestId: r.requestId,
            days: b.days,
            reasons: b.reasons,
            replyDueOn: addDays(r.replyDueOn, b.days, r.terms.maxExtension!.dayKind, r.terms.calendar),
          },
        },
        ...resolveAutomatic(c, 'no-reply', today(ctx), 'reply deadline extended'),
      ];
    },
  },
  'accept-readmission': {
    kind: 'authorise',
    standing: pendingRequest,
    events: (c, b) => [
      ...acknowledgement(c, b.acceptedOn),
      {
        type: 'ReadmissionAccepted',
        data: { requestId: c.request!.requestId, acceptedOn: b.acceptedOn, ...acceptanceTerms(c, b.acceptedOn) },
      },
      ...resolveAutomatic(c, 'no-reply', b.acceptedOn, 'readmission accepted'),
    ],
  },
  'reject-readmission': {
    kind: 'authorise',
    standing: pendingRequest,
    check: (_c, b) => needs(b.reasons),
    events: (c, b) => [
      ...acknowledgement(c, b.rejectedOn),
      { type: 'ReadmissionRejected', data: { requestId: c.request!.requestId, ...b } },
      ...resolveAutomatic(c, 'no-reply', b.rejectedOn, 'readmission rejected'),
    ],
  },
  'issue-travel-document': {
    kind: 'authorise',
    standing: (c, s) => [...stage(s, OPEN_STAGES), ...(readmissionAccepted(c) ? [] : (['wrong-stage'] as const))],
    invalid: (_c, b) => (b.validUntil < b.issuedOn ? [{ path: 'validUntil', message: 'before issuedOn' }] : []),
    events: (c, b) => [
      { type: 'TravelDocumentIssued', data: b },
      ...resolveAutomatic(c, 'travel-document-delay', b.issuedOn, 'travel document issued'),
    ],
  },
  'certify-fitness-to-travel': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    invalid: (c, b) => [
      ...unknownMember(c, 'memberId', b.memberId),
      ...(b.validUntil < b.examinedOn ? [{ path: 'validUntil', message: 'before examinedOn' }] : []),
    ],
    events: (_c, b) => [{ type: 'FitnessToTravelCertified', data: b }],
  },
  'assess-use-of-force-risk': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    check: (_c, b) => [
      ...(b.authorisedMeasures.some(isProhibited) ? (['prohibited-restraint-method'] as const) : []),
      ...needs(b.reasons),
    ],
    events: (_c, b) => [{ type: 'UseOfForceRiskAssessed', data: b }],
  },
  'assign-monitor': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, [...OPEN_STAGES, 'departed']),
    events: (_c, b) => [{ type: 'MonitorAssigned', data: b }],
  },
  'plan-removal': {
    kind: 'authorise',
    standing: (c, s) => [
      ...stage(s, BEFORE_REMOVAL),
      ...(protectionCleared(c) ? [] : (['protection-clearance-required'] as const)),
      // Only holds that block every date: a postponement until a date still lets a later plan through.
      ...holdRules(c, '9999-12-31'),
    ],
    invalid: (c, b) => (b.members ?? []).flatMap((m, i) => unknownMember(c, `members.${i}`, m)),
    check: (c, b, _s, ctx) => [
      ...removalRules(
        c,
        {
          departureAt: b.departureAt,
          mode: b.mode,
          members: movingMembers(c, b.members),
          familySeparation: b.familySeparation,
        },
        'plan',
        ctx.now,
      ),
      ...(b.familySeparation ? needs(b.familySeparation.reasons) : []),
    ],
    events: (c, b) => [
      {
        type: 'RemovalPlanned',
        data: {
          removalId: `r${c.removalCount + 1}`,
          departureAt: b.departureAt,
          mode: b.mode,
          members: movingMembers(c, b.members),
          ...(b.familySeparation ? { familySeparation: b.familySeparation } : {}),
          transport: b.transport,
        },
      },
    ],
  },
  'record-departure': {
    kind: 'authorise',
    // A departure is recorded as it happens: holds are judged for today.
    standing: (c, s, ctx) => [
      ...stage(s, ['removal-planned']),
      ...holdRules(c, today(ctx)),
      ...(unansweredCriticalConcerns(c).length > 0 ? (['critical-concern-unanswered'] as const) : []),
    ],
    check: (c, b, _s, ctx) =>
      c.removal
        ? removalRules(c, { ...c.removal, departureAt: b.departedAt }, 'departure', ctx.now)
        : holdRules(c, dateOf(b.departedAt)),
    events: (c, b) => [
      { type: 'DepartureRecorded', data: { removalId: c.removal!.removalId, departedAt: b.departedAt } },
    ],
  },
  'abort-removal': {
    kind: 'record',
    check: (_c, b) => needs(b.details),
    events: (c, b, s) => [
      {
        type: 'RemovalAborted',
        data: { removalId: s === 'removal-planned' || s === 'departed' ? (c.removal?.removalId ?? null) : null, ...b },
      },
    ],
  },
  'confirm-arrival': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, ['departed']),
    events: (c, b) => [
      { type: 'ArrivalConfirmed', data: { removalId: c.removal!.removalId, ...b } },
      { type: 'CaseClosed', data: { outcome: 'returned', closedOn: dateOf(b.arrivedAt) } },
    ],
  },
  'report-use-of-force': {
    kind: 'record',
    check: (_c, b) => needs(b.justification),
    events: (c, b, _s, ctx) => {
      const prohibited = b.techniques.filter(isProhibited);
      const reportId = `f${c.useOfForceReports.length + 1}`;
      return [
        { type: 'UseOfForceReported', data: { reportId, ...b, prohibitedTechniques: prohibited } },
        // A prohibited technique raises a critical concern by itself: the record must not wait for a monitor.
        ...(prohibited.length > 0
          ? [
              {
                type: 'SafeguardConcernRaised' as const,
                data: {
                  concernId: `k${c.concerns.length + 1}`,
                  severity: 'critical' as const,
                  text: `Use-of-force report ${reportId} names a prohibited technique: ${prohibited.join(', ')}.`,
                  raisedAt: nowIso(ctx),
                  source: 'use-of-force-report' as const,
                },
              },
            ]
          : []),
      ];
    },
  },
  'lodge-protection-claim': {
    kind: 'record',
    events: (c, b, s, ctx) => [
      { type: 'ProtectionClaimLodged', data: { claimId: `p${c.claims.length + 1}`, ...b } },
      // A protection claim lodged during a removal aborts it: nothing moves the person now.
      ...(s === 'removal-planned'
        ? [
            {
              type: 'RemovalAborted' as const,
              data: {
                removalId: c.removal?.removalId ?? null,
                abortedAt: nowIso(ctx),
                reason: 'protection-claim' as const,
                details: 'Aborted by rrc: a protection claim was lodged.',
              },
            },
          ]
        : []),
    ],
  },
  'decide-protection-claim': {
    kind: 'authorise',
    standing: (c) => (openClaims(c).length > 0 ? [] : ['wrong-stage']),
    invalid: (c, b) =>
      b.claimId !== undefined && !openClaims(c).some((p) => p.claimId === b.claimId)
        ? [{ path: 'claimId', message: `no open protection claim ${b.claimId}` }]
        : [],
    events: (c, b) => [
      // Without a claimId, the decision answers every open claim.
      ...openClaims(c)
        .filter((p) => b.claimId === undefined || p.claimId === b.claimId)
        .map((p) => ({
          type: 'ProtectionClaimDecided' as const,
          data: { claimId: p.claimId, decidedOn: b.decidedOn, outcome: b.outcome },
        })),
      ...(b.outcome === 'granted'
        ? [{ type: 'CaseClosed' as const, data: { outcome: 'protection-granted' as const, closedOn: b.decidedOn } }]
        : []),
    ],
  },
  'postpone-removal': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, OPEN_STAGES),
    check: (_c, b) => needs(b.reasons),
    events: (_c, b) => [{ type: 'RemovalPostponed', data: b }],
  },
  'lift-postponement': {
    kind: 'authorise',
    standing: (c) => (c.postponement ? [] : ['wrong-stage']),
    events: (_c, b) => [{ type: 'PostponementLifted', data: b }],
  },
  'record-absconding': {
    kind: 'record',
    events: (_c, b) => [{ type: 'AbscondingRecorded', data: b }],
  },
  'record-whereabouts-known': {
    kind: 'authorise',
    standing: (c) => (c.absconded ? [] : ['wrong-stage']),
    events: (_c, b) => [{ type: 'WhereaboutsKnown', data: b }],
  },
  'record-obstacle': {
    kind: 'authorise',
    standing: (_c, s) => stage(s, [...OPEN_STAGES, 'departed']),
    invalid: (_c, b) =>
      DEADLINE_OBSTACLES.includes(b.type)
        ? [{ path: 'type', message: `${b.type} obstacles are opened by the deadline service` }]
        : [],
    events: (c, b) => [
      { type: 'ObstacleRecorded', data: { obstacleId: `o${c.obstacles.length + 1}`, ...b, automatic: false } },
    ],
  },
  'resolve-obstacle': {
    kind: 'authorise',
    invalid: (c, b) =>
      c.obstacles.some((o) => o.obstacleId === b.obstacleId)
        ? []
        : [{ path: 'obstacleId', message: `no obstacle ${b.obstacleId} on this case` }],
    check: (c, b) => (openObstacles(c).some((o) => o.obstacleId === b.obstacleId) ? [] : ['wrong-stage']),
    events: (_c, b) => [{ type: 'ObstacleResolved', data: { ...b, automatic: false } }],
  },
  'record-monitoring-observation': {
    kind: 'record',
    check: (_c, b) => needs(b.text),
    events: (c, b) => [
      { type: 'MonitoringObservationRecorded', data: { observationId: `w${c.observations + 1}`, ...b } },
    ],
  },
  'raise-safeguard-concern': {
    kind: 'record',
    check: (_c, b) => needs(b.text),
    events: (c, b, _s, ctx) => [
      {
        type: 'SafeguardConcernRaised',
        data: { concernId: `k${c.concerns.length + 1}`, ...b, raisedAt: nowIso(ctx), source: 'monitor' },
      },
    ],
  },
  'close-safeguard-concern': {
    kind: 'record',
    invalid: (c, b) => concernExists(c, b.concernId),
    check: (c, b) => (openConcerns(c).some((k) => k.concernId === b.concernId) ? [] : ['wrong-stage']),
    events: (_c, b, _s, ctx) => [{ type: 'SafeguardConcernClosed', data: { ...b, closedAt: nowIso(ctx) } }],
  },
  'respond-to-concern': {
    kind: 'record',
    invalid: (c, b) => concernExists(c, b.concernId),
    check: (_c, b) => needs(b.response),
    events: (_c, b, _s, ctx) => [{ type: 'ConcernResponded', data: { ...b, respondedAt: nowIso(ctx) } }],
  },
  'close-case': {
    kind: 'authorise',
    check: (_c, b) => needs(b.reasons),
    events: (_c, b, _s, ctx) => [{ type: 'CaseClosed', data: { ...b, closedOn: today(ctx) } }],
  },
  'erase-personal-data': {
    kind: 'record',
    standing: (c) => (c.personalDataErased ? ['wrong-stage'] : []),
    check: (_c, b) => needs(b.reasons),
    events: (_c, _b, _s, ctx) => [{ type: 'PersonalDataErased', data: { erasedAt: nowIso(ctx) } }],
  },
};

function concernExists(c: CaseData, concernId: string): InputError[] {
  return c.concerns.some((k) => k.concernId === concernId)
    ? []
    : [{ path: 'concernId', message: `no safeguard concern ${concernId} on this case` }];
}

const unique = (rules: readonly RuleId[]): RuleId[] => [...new Set(rules)];

export const actionKind = (action: ActionName): Kind => ACTIONS[action].kind;

/** The rules that block an action whatever its body: what `allowedActions` shows. */
export function standingBlockers(state: CaseState, action: ActionName, ctx: DecideContext): RuleId[] {
  const c = state.data;
  if (c === null || state.status === 'new') return ['wrong-stage'];
  const rules = ACTIONS[action] as ActionRules<ActionName>;
  if (state.status === 'closed' && rules.kind === 'authorise') return ['case-closed'];
  return unique(rules.standing?.(c, state.status, ctx) ?? []);
}

/**
 * The decider: a command on a case's state gives the events to append, or a refusal that
 * lists every rule that fails, or the input errors. Pure: same inputs, same answer.
 */
export function decide(state: CaseState, command: CaseCommand, ctx: DecideContext): Decision {
  const c = state.data;
  if (c === null || state.status === 'new') return { ok: false, kind: 'refused', rules: ['wrong-stage'] };
  const rules = ACTIONS[command.action] as ActionRules<ActionName>;
  const body = command.body;
  const errors = rules.invalid?.(c, body) ?? [];
  if (errors.length > 0) return { ok: false, kind: 'invalid', errors };
  if (state.status === 'closed' && rules.kind === 'authorise') {
    return { ok: false, kind: 'refused', rules: ['case-closed'] };
  }
  const failing = unique([
    ...(rules.standing?.(c, state.status, ctx) ?? []),
    ...(rules.check?.(c, body, state.status, ctx) ?? []),
  ]);
  if (failing.length > 0) return { ok: false, kind: 'refused', rules: failing };
  return { ok: true, events: rules.events(c, body, state.status, ctx) };
}

/** Opening a case: the household gets ids m1, m2, … in order. */
export function decideOpenCase(
  body: OpenCaseBody,
  ctx: DecideContext & { caseId: string; destinationState: string; reference?: string },
): Decision {
  if (body.originState === ctx.destinationState) {
    return { ok: false, kind: 'invalid', errors: [{ path: 'originState', message: 'the origin State is this State' }] };
  }
  return {
    ok: true,
    events: [
      {
        type: 'CaseOpened',
        data: {
          caseId: ctx.caseId,
          ...(ctx.reference === undefined ? {} : { reference: ctx.reference }),
          destinationState: ctx.destinationState,
          originState: body.originState,
          person: body.person,
          household: body.household.map((m, i) => ({ ...m, memberId: `m${i + 1}` })),
          returnDecision: body.returnDecision,
          openedOn: today(ctx),
        },
      },
    ],
  };
}

/**
 * The day it is in a time zone: exactly, at an instant; for a `YYYY-MM-DD` (a UTC date, the
 * time unknown) the earliest it can be there, so that a deadline is never judged over early
 * west of UTC (a day ends at midnight in the requested State, not in UTC).
 */
const dayIn = (asOf: string | Date, timeZone: string | undefined): string =>
  localDateOf(typeof asOf === 'string' ? new Date(`${asOf}T00:00:00Z`) : asOf, timeZone);

/**
 * The deadline service's command: what elapsed by `asOf` (an instant, or a UTC date) becomes
 * events. The request's deadlines end at midnight in the requested State's time zone (the
 * agreement's calendar). Idempotent by construction: a deadline already turned into an event
 * is not turned again.
 */
export function decideElapsedDeadlines(state: CaseState, at: string | Date): CaseEvent[] {
  const c = state.data;
  if (c === null || state.status === 'new' || state.status === 'closed') return [];
  const events: CaseEvent[] = [];
  const r = c.request;
  // The requested State's day for the request's deadlines; the UTC day for the rest.
  const asOf = dayIn(at, r?.terms.calendar?.timeZone);
  const utcAsOf = dayIn(at, undefined);
  let accepted = r?.status === 'accepted' || r?.status === 'deemed-accepted';
  let due = r?.travelDocumentDueOn;
  if (r?.status === 'pending' && asOf > r.replyDueOn) {
    const lapsedOn = addCalendarDays(r.replyDueOn, 1);
    if (r.terms.silenceMeansConsent) {
      // The document deadline that the deemed acceptance starts may have elapsed too: one run does both.
      accepted = true;
      due = addPeriod(lapsedOn, r.terms.travelDocument.issueWithin, r.terms.calendar);
      events.push({
        type: 'ReadmissionDeemedAccepted',
        data: {
          requestId: r.requestId,
          deemedOn: lapsedOn,
          transferBy: addCalendarDays(lapsedOn, r.terms.transferWindowDays),
          travelDocumentDueOn: due,
        },
      });
    } else if (!openObstacles(c).some((o) => o.type === 'no-reply')) {
      events.push(obstacle(c, 'no-reply', lapsedOn, 'The reply deadline passed with no answer.'));
    }
  }
  if (
    accepted &&
    // Once the person has left, no travel document is missing any more.
    state.status !== 'departed' &&
    due !== undefined &&
    asOf > due &&
    c.travelDocument === undefined &&
    !passportValidOn(c, asOf) &&
    !c.obstacles.some((o) => o.type === 'travel-document-delay' && o.automatic)
  ) {
    events.push(obstacle(c, 'travel-document-delay', addCalendarDays(due, 1), 'The travel document is overdue.'));
  }
  const vd = c.voluntaryDeparture;
  if (vd && !vd.ended && utcAsOf > vd.endsOn) {
    events.push({ type: 'VoluntaryDeparturePeriodEnded', data: { endedOn: vd.endsOn } });
  }
  return events;
}

function obstacle(c: CaseData, type: 'no-reply' | 'travel-document-delay', openedOn: string, note: string): CaseEvent {
  return {
    type: 'ObstacleRecorded',
    data: { obstacleId: `o${c.obstacles.length + 1}`, type, openedOn, note, automatic: true },
  };
}

/** When an event happened, as its payload says; otherwise when it was recorded. */
export function occurredAt(event: CaseEvent, recordedAt: string): string {
  const d = event.data as Record<string, unknown>;
  for (const key of OCCURRED_KEYS) {
    const v = d[key];
    if (typeof v === 'string') return v;
  }
  return recordedAt;
}
const OCCURRED_KEYS = [
  'departedAt',
  'abortedAt',
  'arrivedAt',
  'occurredAt',
  'observedAt',
  'raisedAt',
  'respondedAt',
  'closedAt',
  'erasedAt',
  'lodgedOn',
  'decidedOn',
  'assessedOn',
  'screenedOn',
  'verifiedOn',
  'grantedOn',
  'examinedOn',
  'issuedOn',
  'acceptedOn',
  'deemedOn',
  'rejectedOn',
  'receivedOn',
  'heldOn',
  'proposedOn',
  'departedOn',
  'decisionFinalOn',
  'since',
  'on',
  'liftedOn',
  'resolvedOn',
  'endedOn',
  'submittedOn',
  'closedOn',
] as const;
