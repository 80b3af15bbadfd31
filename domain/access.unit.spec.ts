import { describe, expect, it } from 'vitest';
import { ACTION_NAMES, type ActionName, type Role } from '../contracts/index.ts';
import {
  caseClosed,
  context,
  DESTINATION,
  fold,
  ORIGIN,
  protectionCleared,
  requestSubmitted,
  singleAdultOpened,
} from '../tests/support/case-builders.ts';
import {
  ACTION_ROLES,
  actionAccess,
  actionRoleGate,
  mayKnowOf,
  mayOpenCase,
  readAccess,
  readRoleGate,
  roleReaches,
  type Access,
  type Principal,
} from './access.ts';
import { allowedActions } from './allowed-actions.ts';
import { actionKind } from './decide.ts';
import { RULE_IDS, RULE_TEXT } from './rules.ts';

/**
 * Who may do what (domain.md, "Who uses it"; api.md's table). A caller who may know of a case
 * but not take the action gets 403 with `rules: ["not-permitted"]`; a caller who may not know
 * of the case at all gets 404, so that a case's existence never leaks across States.
 */
const scope = (requestCount = 1) => ({ destinationState: DESTINATION, originState: ORIGIN, requestCount });
const before = scope(0);
const after = scope(1);

const caseworker: Principal = { sub: 'cw-1', roles: ['caseworker'], state: DESTINATION };
const otherCaseworker: Principal = { sub: 'cw-2', roles: ['caseworker'], state: 'FR' };
const liaison: Principal = { sub: 'li-1', roles: ['liaison'], state: ORIGIN };
const otherLiaison: Principal = { sub: 'li-2', roles: ['liaison'], state: 'MA' };
const monitor: Principal = { sub: 'mo-1', roles: ['monitor'] };
const analyst: Principal = { sub: 'an-1', roles: ['analyst'] };
const admin: Principal = { sub: 'ad-1', roles: ['admin'] };

/** api.md's answer for an access decision: what the HTTP layer sends. */
const answer = (access: Access) =>
  access.ok
    ? { status: 200, role: access.role }
    : access.status === 403
      ? { status: 403, rules: ['not-permitted'] }
      : { status: 404 };

const LIAISON_ACTIONS: ActionName[] = [
  'acknowledge-readmission-request',
  'request-identification-interview',
  'record-identification-interview',
  'request-reply-extension',
  'accept-readmission',
  'reject-readmission',
  'issue-travel-document',
  'confirm-arrival',
];
const MONITOR_ONLY: ActionName[] = [
  'record-monitoring-observation',
  'raise-safeguard-concern',
  'close-safeguard-concern',
];
const SHARED: ActionName[] = ['assign-monitor', 'report-use-of-force'];

describe('ACTION_ROLES (api.md)', () => {
  it('names every action', () => {
    expect(Object.keys(ACTION_ROLES).sort()).toEqual([...ACTION_NAMES].sort());
  });

  it('gives each action the roles of api.md', () => {
    for (const action of ACTION_NAMES) {
      const expected: Role[] = LIAISON_ACTIONS.includes(action)
        ? ['liaison']
        : MONITOR_ONLY.includes(action)
          ? ['monitor']
          : SHARED.includes(action)
            ? ['caseworker', 'monitor']
            : action === 'erase-personal-data'
              ? ['admin']
              : ['caseworker'];
      expect([...ACTION_ROLES[action]].sort(), action).toEqual(expected.sort());
    }
  });

  it('never lets an analyst act', () => {
    expect(ACTION_NAMES.filter((a) => ACTION_ROLES[a].includes('analyst'))).toEqual([]);
  });
});

describe('roleReaches: whether a role may know of a case', () => {
  it('a caseworker knows the cases of its own State only', () => {
    expect(roleReaches('caseworker', caseworker, after)).toBe(true);
    expect(roleReaches('caseworker', otherCaseworker, after)).toBe(false);
  });

  it('a liaison knows a case only once a request is addressed to its State', () => {
    expect(roleReaches('liaison', liaison, before)).toBe(false);
    expect(roleReaches('liaison', liaison, after)).toBe(true);
    expect(roleReaches('liaison', otherLiaison, after)).toBe(false);
  });

  it('a monitor and an admin reach every case; an analyst none', () => {
    expect(roleReaches('monitor', monitor, before)).toBe(true);
    expect(roleReaches('admin', admin, before)).toBe(true);
    expect(roleReaches('analyst', analyst, after)).toBe(false);
  });
});

describe('actionAccess: 403 (not-permitted) versus 404', () => {
  it('lets a caseworker of the destination State act on its case', () => {
    expect(answer(actionAccess(caseworker, 'plan-removal', after))).toEqual({ status: 200, role: 'caseworker' });
  });

  it('hides a case of another State: 404, not 403', () => {
    expect(answer(actionAccess(otherCaseworker, 'plan-removal', after))).toEqual({ status: 404 });
  });

  it('a liaison acts on a request addressed to its State', () => {
    expect(answer(actionAccess(liaison, 'accept-readmission', after))).toEqual({ status: 200, role: 'liaison' });
  });

  it('a liaison who may know of the case but not plan its removal: 403 not-permitted', () => {
    expect(answer(actionAccess(liaison, 'plan-removal', after))).toEqual({ status: 403, rules: ['not-permitted'] });
  });

  it('a liaison before any request, or of another State: 404', () => {
    expect(answer(actionAccess(liaison, 'accept-readmission', before))).toEqual({ status: 404 });
    expect(answer(actionAccess(otherLiaison, 'accept-readmission', after))).toEqual({ status: 404 });
  });

  it('a monitor may raise concerns and assign a monitor, not plan a removal (403 not-permitted)', () => {
    expect(answer(actionAccess(monitor, 'raise-safeguard-concern', before))).toEqual({ status: 200, role: 'monitor' });
    expect(answer(actionAccess(monitor, 'assign-monitor', before))).toEqual({ status: 200, role: 'monitor' });
    expect(answer(actionAccess(monitor, 'plan-removal', before))).toEqual({ status: 403, rules: ['not-permitted'] });
  });

  it('a caseworker may not raise a safeguard concern (monitors only): 403', () => {
    expect(answer(actionAccess(caseworker, 'raise-safeguard-concern', after))).toEqual({
      status: 403,
      rules: ['not-permitted'],
    });
  });

  it('an admin erases but does not plan: 403', () => {
    expect(answer(actionAccess(admin, 'erase-personal-data', after))).toEqual({ status: 200, role: 'admin' });
    expect(answer(actionAccess(admin, 'plan-removal', after))).toEqual({ status: 403, rules: ['not-permitted'] });
  });

  // Review against the law: one answer for reading and acting, decided from the role alone.
  it('an analyst acts on no case: 403 for every action, whatever the case', () => {
    for (const action of ACTION_NAMES) {
      expect(actionRoleGate(analyst, action)).toEqual({ ok: false, status: 403 });
      expect(actionAccess(analyst, action, after)).toEqual({ ok: false, status: 403 });
      expect(actionAccess(analyst, action, before)).toEqual({ ok: false, status: 403 });
    }
  });

  it('a role that may never take the action is 403 even on a case it may not know of', () => {
    expect(actionRoleGate(otherCaseworker, 'accept-readmission')).toEqual({ ok: false, status: 403 });
    expect(actionAccess(otherCaseworker, 'accept-readmission', after)).toEqual({ ok: false, status: 403 });
    // A role that could act, on a case it may not know of: 404.
    expect(actionRoleGate(otherCaseworker, 'plan-removal')).toEqual({ ok: true });
    expect(actionAccess(otherCaseworker, 'plan-removal', after)).toEqual({ ok: false, status: 404 });
  });

  it('with several roles, the one that reaches and may act is used', () => {
    const both: Principal = { sub: 'x', roles: ['monitor', 'caseworker'], state: DESTINATION };
    expect(actionAccess(both, 'plan-removal', after)).toEqual({ ok: true, role: 'caseworker' });
    expect(actionAccess(both, 'raise-safeguard-concern', after)).toEqual({ ok: true, role: 'monitor' });
    // A caseworker of another State who is also a monitor knows of the case (as monitor): 403, not 404.
    const foreign: Principal = { sub: 'y', roles: ['caseworker', 'monitor'], state: 'FR' };
    expect(answer(actionAccess(foreign, 'plan-removal', after))).toEqual({ status: 403, rules: ['not-permitted'] });
  });
});

describe('readAccess', () => {
  it('reads as the widest role that reaches the case', () => {
    expect(readAccess(caseworker, after)).toEqual({ ok: true, role: 'caseworker' });
    expect(readAccess(monitor, after)).toEqual({ ok: true, role: 'monitor' });
    expect(readAccess(liaison, after)).toEqual({ ok: true, role: 'liaison' });
    expect(readAccess({ sub: 'z', roles: ['liaison', 'caseworker'], state: DESTINATION }, after)).toEqual({
      ok: true,
      role: 'caseworker',
    });
  });

  it('404 for a case the caller may not know of', () => {
    expect(readAccess(otherCaseworker, after)).toEqual({ ok: false, status: 404 });
    expect(readAccess(liaison, before)).toEqual({ ok: false, status: 404 });
  });

  it('403 for an analyst reading, from the role alone, as for acting', () => {
    expect(readRoleGate(analyst)).toEqual({ ok: false, status: 403 });
    expect(readAccess(analyst, after)).toEqual({ ok: false, status: 403 });
    expect(readAccess(analyst, before)).toEqual({ ok: false, status: 403 });
  });

  it('403 for an admin, who may know of the case but reads no case view', () => {
    expect(readAccess(admin, after)).toEqual({ ok: false, status: 403 });
    expect(mayKnowOf(admin, after)).toBe(true);
  });

  it('opening a case: a caseworker with a State only', () => {
    expect(mayOpenCase(caseworker)).toBe(true);
    expect(mayOpenCase({ sub: 'c', roles: ['caseworker'] })).toBe(false);
    expect(mayOpenCase(liaison)).toBe(false);
  });
});

describe('not-permitted is access policy, never a decider rule', () => {
  it('is a rule id with its text', () => {
    expect(RULE_IDS).toContain('not-permitted');
    expect(RULE_TEXT['not-permitted']).toMatch(/role or State/);
  });
});

describe('allowedActions', () => {
  const pending = fold([singleAdultOpened(), protectionCleared(), requestSubmitted()]).state;

  it('lists only what the caller’s roles allow, each with what still blocks it', () => {
    const list = allowedActions(pending, liaison, context());
    expect(list.map((a) => a.action).sort()).toEqual([...LIAISON_ACTIONS].sort());
    expect(list.find((a) => a.action === 'accept-readmission')).toEqual({
      action: 'accept-readmission',
      blockedBy: [],
    });
    expect(list.find((a) => a.action === 'confirm-arrival')).toEqual({
      action: 'confirm-arrival',
      blockedBy: ['wrong-stage'],
    });
  });

  it('shows a caseworker the standing blockers of a plan', () => {
    const opened = fold([singleAdultOpened()]).state;
    expect(
      allowedActions(opened, caseworker, context()).find((a) => a.action === 'submit-readmission-request'),
    ).toEqual({
      action: 'submit-readmission-request',
      blockedBy: ['protection-clearance-required'],
    });
    expect(allowedActions(opened, caseworker, context()).find((a) => a.action === 'plan-removal')).toEqual({
      action: 'plan-removal',
      blockedBy: ['protection-clearance-required'],
    });
  });

  it('lists nothing for a caller who may not know of the case', () => {
    expect(allowedActions(fold([singleAdultOpened()]).state, liaison, context())).toEqual([]);
    expect(allowedActions(pending, otherCaseworker, context())).toEqual([]);
  });

  it('on a closed case, blocks every authorising action with case-closed and leaves the facts open', () => {
    const closed = fold([singleAdultOpened(), caseClosed()]).state;
    for (const { action, blockedBy } of allowedActions(closed, caseworker, context())) {
      expect(blockedBy, action).toEqual(actionKind(action) === 'authorise' ? ['case-closed'] : []);
    }
  });
});
