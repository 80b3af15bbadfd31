import { ACTION_NAMES, type ActionName } from '../contracts/index.ts';
import { actionAccess, type Principal } from './access.ts';
import type { CaseState } from './case-state.ts';
import { standingBlockers, type DecideContext } from './decide.ts';
import type { RuleId } from './rules.ts';

export interface AllowedAction {
  action: ActionName;
  /** Rules that block it now, whatever the body; empty when it can be taken. */
  blockedBy: RuleId[];
}

/** The actions this caller's roles allow on this case, each with what still blocks it. */
export function allowedActions(state: CaseState, principal: Principal, ctx: DecideContext): AllowedAction[] {
  const c = state.data;
  if (c === null) return [];
  return ACTION_NAMES.filter((action) => actionAccess(principal, action, c).ok).map((action) => ({
    action,
    blockedBy: standingBlockers(state, action, ctx),
  }));
}
