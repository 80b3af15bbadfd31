import type { ActionName, Role } from '../contracts/index.ts';
import type { CaseData } from './state.ts';

/** The caller as the domain sees it: from the token's claims. */
export interface Principal {
  sub: string;
  roles: readonly Role[];
  state?: string | undefined;
}

/** Which roles may take each case action (api.md). */
export const ACTION_ROLES: Record<ActionName, readonly Role[]> = {
  'verify-protection-status': ['caseworker'],
  'record-vulnerability-screening': ['caseworker'],
  'record-best-interests-assessment': ['caseworker'],
  'verify-reception-arrangement': ['caseworker'],
  'grant-voluntary-departure': ['caseworker'],
  'record-absconding-risk': ['caseworker'],
  'record-voluntary-departure': ['caseworker'],
  'submit-readmission-request': ['caseworker'],
  'acknowledge-readmission-request': ['liaison'],
  'request-identification-interview': ['liaison'],
  'record-identification-interview': ['liaison'],
  'request-reply-extension': ['liaison'],
  'accept-readmission': ['liaison'],
  'reject-readmission': ['liaison'],
  'issue-travel-document': ['liaison'],
  'certify-fitness-to-travel': ['caseworker'],
  'assess-use-of-force-risk': ['caseworker'],
  'assign-monitor': ['caseworker', 'monitor'],
  'plan-removal': ['caseworker'],
  'record-departure': ['caseworker'],
  'abort-removal': ['caseworker'],
  'confirm-arrival': ['liaison'],
  'report-use-of-force': ['caseworker', 'monitor'],
  'lodge-protection-claim': ['caseworker'],
  'decide-protection-claim': ['caseworker'],
  'postpone-removal': ['caseworker'],
  'lift-postponement': ['caseworker'],
  'record-absconding': ['caseworker'],
  'record-whereabouts-known': ['caseworker'],
  'record-obstacle': ['caseworker'],
  'resolve-obstacle': ['caseworker'],
  'record-monitoring-observation': ['monitor'],
  'raise-safeguard-concern': ['monitor'],
  'close-safeguard-concern': ['monitor'],
  'respond-to-concern': ['caseworker'],
  'close-case': ['caseworker'],
  'erase-personal-data': ['admin'],
};

type CaseScope = Pick<CaseData, 'destinationState' | 'originState' | 'requestCount'>;

/**
 * Whether a role may know of this case at all. A caseworker knows its own State's cases;
 * a liaison only cases with a readmission request addressed to its State; monitors see
 * every safeguard record; an admin may erase any case. Analysts see aggregates only.
 */
export function roleReaches(role: Role, principal: Principal, c: CaseScope): boolean {
  switch (role) {
    case 'caseworker':
      return principal.state === c.destinationState;
    case 'liaison':
      return principal.state === c.originState && c.requestCount > 0;
    case 'monitor':
    case 'admin':
      return true;
    case 'analyst':
      return false;
    default: {
      const unknownRole: never = role;
      return unknownRole;
    }
  }
}

/** Roles that may read the case view (admin only erases; analysts only read reports). */
const READER_ROLES: readonly Role[] = ['caseworker', 'liaison', 'monitor'];

export type Access = { ok: true; role: Role } | { ok: false; status: 403 | 404 };

/** Whether the caller may know of the case: 404 (not 403) hides cases of other States. */
export const mayKnowOf = (p: Principal, c: CaseScope): boolean => p.roles.some((r) => roleReaches(r, p, c));

/**
 * 403 or 404, one answer for reading and acting (review against the law, domain/README.md):
 *
 * 1. The role alone first. A caller none of whose roles may ever read case views, or ever take
 *    this action, gets 403 `not-permitted` whatever the case id, before the case is loaded
 *    (`readRoleGate`, `actionRoleGate`): the same answer for a case that exists and one that
 *    does not, so it reveals nothing. An analyst is 403 both reading and acting.
 * 2. Then the case: a role that could act or read but does not reach this case (another
 *    State's, or a request not addressed to the liaison's State) gets 404, as for an unknown id.
 * 3. A caller who knows of the case through one role but may act only through another that
 *    does not reach it gets 403 (it knows the case exists: nothing to hide).
 */
export type RoleGate = { ok: true } | { ok: false; status: 403 };

/** Step 1 for reading: does any of the caller's roles read case views at all? */
export const readRoleGate = (p: Principal): RoleGate =>
  p.roles.some((r) => READER_ROLES.includes(r)) ? { ok: true } : { ok: false, status: 403 };

/** Step 1 for acting: may any of the caller's roles ever take this action? */
export const actionRoleGate = (p: Principal, action: ActionName): RoleGate =>
  p.roles.some((r) => ACTION_ROLES[action].includes(r)) ? { ok: true } : { ok: false, status: 403 };

/** The role the caller reads the case as, the widest view first. */
export function readAccess(p: Principal, c: CaseScope): Access {
  const gate = readRoleGate(p);
  if (!gate.ok) return gate;
  for (const role of ['caseworker', 'monitor', 'liaison'] as const) {
    if (p.roles.includes(role) && roleReaches(role, p, c)) return { ok: true, role };
  }
  return { ok: false, status: 404 };
}

/** The role the caller acts as for an action on this case, or why not. */
export function actionAccess(p: Principal, action: ActionName, c: CaseScope): Access {
  const gate = actionRoleGate(p, action);
  if (!gate.ok) return gate;
  const allowed = ACTION_ROLES[action];
  const role = p.roles.find((r) => allowed.includes(r) && roleReaches(r, p, c));
  if (role) return { ok: true, role };
  return mayKnowOf(p, c) ? { ok: false, status: 403 } : { ok: false, status: 404 };
}

/** Opening a case: a caseworker, for its own State as destination. */
export const mayOpenCase = (p: Principal): boolean => p.roles.includes('caseworker') && p.state !== undefined;
