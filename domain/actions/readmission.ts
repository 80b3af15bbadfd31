/** The readmission request and the origin State's answer, up to the travel document. */
import type { ActionBody, AgreementTerms, CaseEvent, EvidenceItem } from '../../contracts/index.ts';
import {
  OPEN_STAGES,
  BEFORE_REMOVAL,
  stage,
  needs,
  today,
  pendingRequest,
  type ActionTable,
  type DecideContext,
} from './action-rules.ts';
import { addCalendarDays, addDays, addPeriod, localDateOf } from '../dates.ts';
import { protectionCleared, readmissionAccepted } from '../removal-rules.ts';
import type { RuleId } from '../rules.ts';
import { openObstacles, type CaseData } from '../state.ts';

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

export const readmissionActions = {
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
} satisfies Partial<ActionTable>;
