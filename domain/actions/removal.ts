/** Fitness, force and monitoring checks, the removal itself, and what happens on it. */
import { isProhibited } from '../../contracts/index.ts';
import {
  OPEN_STAGES,
  BEFORE_REMOVAL,
  stage,
  needs,
  unknownMember,
  today,
  nowIso,
  type ActionTable,
} from './action-rules.ts';
import { dateOf } from '../dates.ts';
import { holdRules, protectionCleared, removalRules, unansweredCriticalConcerns } from '../removal-rules.ts';
import { travellers, type CaseData } from '../state.ts';

/** The principal always travels; `members` names who goes along. */
const movingMembers = (c: CaseData, members: readonly string[] | undefined): string[] =>
  members === undefined
    ? travellers(c).map((t) => t.memberId)
    : ['principal', ...members.filter((m) => m !== 'principal')].filter((m, i, all) => all.indexOf(m) === i);

export const removalActions = {
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
} satisfies Partial<ActionTable>;
