import type { RemovalMode } from '../contracts/index.ts';
import { dateOf, hoursBetween, isMinorOn } from './dates.ts';
import type { RuleId } from './rules.ts';
import { openClaims, travellers, type CaseData } from './state.ts';

/**
 * The safeguards on moving a person, shared by planning a removal and recording the
 * departure: a departure re-checks what may have changed since the plan (a new
 * assessment, an expired certificate, a concern), so no departure breaks a rule.
 */
export interface RemovalIntent {
  departureAt: string;
  mode: RemovalMode;
  /** Everyone who travels, the principal included. */
  members: readonly string[];
  familySeparation?: { reasons: string } | undefined;
}

export const isBlank = (text: string | undefined): boolean => text === undefined || text.trim() === '';

/** Protection status verified final, with a non-refoulement assessment of no risk. */
export const protectionCleared = (c: CaseData): boolean =>
  c.protection !== undefined &&
  !c.protection.suspensiveRemedyPending &&
  c.protection.nonRefoulementAssessment.outcome === 'no-risk';

/** Holds that stop anything that moves the person, whatever the plan. */
export function holdRules(c: CaseData, on: string): RuleId[] {
  const rules: RuleId[] = [];
  if (openClaims(c).length > 0) rules.push('protection-hold-active');
  if (c.postponement && (c.postponement.until === undefined || on <= c.postponement.until)) {
    rules.push('removal-postponed');
  }
  if (c.absconded) rules.push('whereabouts-unknown');
  return rules;
}

export const passportValidOn = (c: CaseData, on: string): boolean =>
  (c.request?.evidence ?? []).some((e) => e.type === 'passport' && e.validUntil !== undefined && e.validUntil >= on);

export const travelDocumentValidOn = (c: CaseData, on: string): boolean =>
  passportValidOn(c, on) ||
  (c.travelDocument !== undefined && c.travelDocument.issuedOn <= on && c.travelDocument.validUntil >= on);

export const readmissionAccepted = (c: CaseData): boolean =>
  c.request?.status === 'accepted' || c.request?.status === 'deemed-accepted';

export const unansweredCriticalConcerns = (c: CaseData) =>
  c.concerns.filter((k) => k.severity === 'critical' && !k.response && !k.closed);

/** Every rule that fails for moving these people on this date. */
export function removalRules(c: CaseData, intent: RemovalIntent, phase: 'plan' | 'departure', now: Date): RuleId[] {
  const on = dateOf(intent.departureAt);
  const rules: RuleId[] = [];
  if (!protectionCleared(c)) rules.push('protection-clearance-required');
  rules.push(...holdRules(c, on));

  const forced = intent.mode !== 'voluntary-assisted';
  const vd = c.voluntaryDeparture;
  // Checked again at departure: a plan dated after the period may leave early, inside it (art. 7(1), 8(1)).
  if (
    forced &&
    vd !== undefined &&
    on >= vd.grantedOn &&
    on <= vd.endsOn &&
    (c.abscondingRisk === undefined || isBlank(c.abscondingRisk.reasons))
  ) {
    rules.push('voluntary-departure-running');
  }

  const moving = travellers(c).filter((t) => intent.members.includes(t.memberId));
  // A member whose date of birth is unknown (erased) cannot be shown to be an adult.
  const minors = moving.filter((t) => t.dateOfBirth === undefined || isMinorOn(t.dateOfBirth, on));
  const positiveAssessment = (memberId: string): boolean => {
    const a = c.bestInterests[memberId];
    // An assessment dated after the departure did not exist when the child was moved (art. 5(a), 10(1)).
    return (
      a !== undefined && a.independentOfEnforcement && a.conclusion === 'return-in-best-interests' && a.assessedOn <= on
    );
  };
  if (minors.some((m) => !positiveAssessment(m.memberId))) rules.push('best-interests-assessment-required');
  const accompanied = moving.length > minors.length;
  if (!accompanied && minors.some((m) => c.reception[m.memberId] === undefined)) {
    rules.push('unaccompanied-minor-reception-unverified');
  }

  const everyone = travellers(c).map((t) => t.memberId);
  const separated = everyone.some((id) => !intent.members.includes(id));
  // The decision with reasons is part of the plan; blank reasons are refused as `reasons-required`.
  if (phase === 'plan' && separated && intent.familySeparation === undefined) {
    rules.push('family-separation-unrecorded');
  }

  if (intent.mode === 'escorted') {
    const cert = c.fitness.principal;
    const validCert = cert !== undefined && cert.fit && cert.examinedOn <= on && cert.validUntil >= on;
    const anyUnfit = moving.some((m) => {
      const k = c.fitness[m.memberId];
      return k !== undefined && !k.fit && k.validUntil >= on;
    });
    if (!validCert || anyUnfit) rules.push('fitness-to-travel-required');
    if (c.useOfForceAssessment === undefined) rules.push('use-of-force-assessment-required');
    if (c.monitor === undefined) rules.push('monitor-required');
  }

  const exempt = intent.mode === 'voluntary-assisted' && passportValidOn(c, on);
  if (!exempt) {
    const r = c.request;
    const accepted =
      r !== undefined &&
      readmissionAccepted(c) &&
      r.transferBy !== undefined &&
      // The transfer window runs from the acceptance: a departure dated before it is outside.
      r.acceptedOn !== undefined &&
      on >= r.acceptedOn &&
      on <= r.transferBy &&
      (phase === 'departure' || hoursBetween(now, intent.departureAt) >= r.terms.arrivalNoticeHours);
    if (!accepted) rules.push('readmission-acceptance-required');
  }
  if (!travelDocumentValidOn(c, on)) rules.push('travel-document-required');
  if (phase === 'departure' && unansweredCriticalConcerns(c).length > 0) rules.push('critical-concern-unanswered');
  return rules;
}
