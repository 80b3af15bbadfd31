/**
 * Holds (protection claims, postponement, absconding, obstacles), the monitors' records and
 * concerns, and the end of a case (closing, erasure).
 */
import { DEADLINE_OBSTACLES } from '../../contracts/index.ts';
import { OPEN_STAGES, stage, needs, today, nowIso, type ActionTable, type InputError } from './action-rules.ts';
import { openClaims, openConcerns, openObstacles, type CaseData } from '../state.ts';

function concernExists(c: CaseData, concernId: string): InputError[] {
  return c.concerns.some((k) => k.concernId === concernId)
    ? []
    : [{ path: 'concernId', message: `no safeguard concern ${concernId} on this case` }];
}

export const holdAndRecordActions = {
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
} satisfies Partial<ActionTable>;
