import type { ActionName, CaseCommand, CaseEvent, OpenCaseBody } from '../contracts/index.ts';
import {
  type ActionRules,
  type ActionTable,
  type DecideContext,
  type InputError,
  type Kind,
  today,
} from './actions/action-rules.ts';
import { holdAndRecordActions } from './actions/holds-and-records.ts';
import { intakeActions } from './actions/intake.ts';
import { readmissionActions } from './actions/readmission.ts';
import { removalActions } from './actions/removal.ts';
import type { CaseState } from './case-state.ts';
import type { RuleId } from './rules.ts';

export type { DecideContext, InputError } from './actions/action-rules.ts';

export type Decision =
  | { ok: true; events: CaseEvent[] }
  | { ok: false; kind: 'refused'; rules: RuleId[] }
  | { ok: false; kind: 'invalid'; errors: InputError[] };

/** Every action's rules, by the part of the return it belongs to. */
const ACTIONS: ActionTable = { ...intakeActions, ...readmissionActions, ...removalActions, ...holdAndRecordActions };

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
