/** Intake: protection status, vulnerability, children's best interests, voluntary departure. */
import { OPEN_STAGES, stage, needs, unknownMember, type ActionTable } from './action-rules.ts';
import { addCalendarDays } from '../dates.ts';

export const intakeActions = {
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
} satisfies Partial<ActionTable>;
