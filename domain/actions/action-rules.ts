/**
 * What every action's entry in the decider's table is made of, and the small checks the
 * entries share. The table itself is split by the part of the return it belongs to
 * (intake, readmission, removal, holds and records); `decide.ts` puts it together.
 */
import type { ActionBody, ActionName, AgreementTerms, CaseEvent, CaseStatus } from '../../contracts/index.ts';
import { utcDateOf } from '../dates.ts';
import { isBlank } from '../removal-rules.ts';
import type { RuleId } from '../rules.ts';
import { memberExists, type CaseData } from '../state.ts';

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

/**
 * `authorise`: allows an action; refused while a rule fails, and on a closed case.
 * `record`: records a fact (or answers a record); accepted whenever well-formed, closed case included.
 */
export type Kind = 'authorise' | 'record';

export interface ActionRules<A extends ActionName> {
  kind: Kind;
  /** Rules that fail whatever the body says: they block the action in `allowedActions`. */
  standing?: (c: CaseData, status: CaseStatus, ctx: DecideContext) => RuleId[];
  /** Input that names something the case does not have: a 400, not a refusal. */
  invalid?: (c: CaseData, body: ActionBody<A>) => InputError[];
  /** Rules that depend on the body. */
  check?: (c: CaseData, body: ActionBody<A>, status: CaseStatus, ctx: DecideContext) => RuleId[];
  events: (c: CaseData, body: ActionBody<A>, status: CaseStatus, ctx: DecideContext) => CaseEvent[];
}

export type ActionTable = { [A in ActionName]: ActionRules<A> };

export const OPEN_STAGES: readonly CaseStatus[] = ['intake', 'voluntary-departure', 'readmission', 'removal-planned'];
export const BEFORE_REMOVAL: readonly CaseStatus[] = ['intake', 'voluntary-departure', 'readmission'];

export const stage = (status: CaseStatus, allowed: readonly CaseStatus[]): RuleId[] =>
  allowed.includes(status) ? [] : ['wrong-stage'];
export const needs = (...texts: (string | undefined)[]): RuleId[] => (texts.some(isBlank) ? ['reasons-required'] : []);
export const unknownMember = (c: CaseData, path: string, memberId: string): InputError[] =>
  memberExists(c, memberId) ? [] : [{ path, message: `no member ${memberId} on this case` }];
export const today = (ctx: DecideContext): string => utcDateOf(ctx.now);
export const nowIso = (ctx: DecideContext): string => ctx.now.toISOString();

export const pendingRequest = (c: CaseData): RuleId[] => (c.request?.status === 'pending' ? [] : ['wrong-stage']);
