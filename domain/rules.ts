/**
 * The rule ids of `domain.md`. Every refusal names them; tests use them. `removal-postponed`
 * and `whereabouts-unknown` are rrc's own for the two holds that domain.md names without a
 * rule id (a postponement under art. 9(2), absconding), and `extension-beyond-agreement`
 * for an extension the agreement does not allow, `document-not-shareable` for a medical
 * certificate or court decision that an upload would share with the origin State.
 */
export const RULE_IDS = [
  'protection-clearance-required',
  'protection-hold-active',
  'voluntary-departure-running',
  'best-interests-assessment-required',
  'unaccompanied-minor-reception-unverified',
  'family-separation-unrecorded',
  'fitness-to-travel-required',
  'use-of-force-assessment-required',
  'prohibited-restraint-method',
  'monitor-required',
  'agreement-required',
  'evidence-or-interview-required',
  'readmission-acceptance-required',
  'travel-document-required',
  'reasons-required',
  'critical-concern-unanswered',
  'wrong-stage',
  'not-permitted',
  'case-closed',
  'removal-postponed',
  'whereabouts-unknown',
  'extension-beyond-agreement',
  'document-not-shareable',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** Plain-words explanation of each rule, for Problem Details and the UI. */
export const RULE_TEXT: Record<RuleId, string> = {
  'protection-clearance-required':
    'Protection status must be verified final, with a non-refoulement assessment of no risk.',
  'protection-hold-active': 'A protection claim, suspensive appeal or interim measure is open.',
  'voluntary-departure-running':
    'The date falls inside the voluntary-departure period and no absconding risk is recorded with reasons.',
  'best-interests-assessment-required':
    'Every child must have an independent best-interests assessment concluding that return is in their best interests.',
  'unaccompanied-minor-reception-unverified':
    'An unaccompanied minor is removed only after reception in the origin State is verified.',
  'family-separation-unrecorded': 'Moving only part of the household needs a recorded decision with reasons.',
  'fitness-to-travel-required': 'An escorted removal needs a fit-to-travel certificate valid on the departure date.',
  'use-of-force-assessment-required': 'An escorted removal needs an individual use-of-force risk assessment.',
  'prohibited-restraint-method': 'This restraint method is never authorised.',
  'monitor-required': 'An escorted removal needs an assigned independent monitor.',
  'agreement-required': 'The request must name a readmission agreement in force between these two States.',
  'evidence-or-interview-required': 'The request must carry evidence of nationality or ask for an interview.',
  'readmission-acceptance-required':
    'The origin State must have accepted readmission, within the transfer window and with the notice of arrival.',
  'travel-document-required': 'A passport or travel document valid on the departure date is needed.',
  'reasons-required': 'Reasons must be given.',
  'critical-concern-unanswered': 'A critical safeguard concern has no caseworker response.',
  'wrong-stage': 'This action does not apply at the case’s current stage.',
  'not-permitted': 'Your role or State does not allow this.',
  'case-closed': 'The case is closed: only facts can be recorded.',
  'removal-postponed': 'Removal is postponed for health or technical reasons.',
  'whereabouts-unknown': 'The person has absconded; their whereabouts are unknown.',
  'extension-beyond-agreement': 'The agreement does not allow an extension this long, or a second one.',
  'document-not-shareable': 'A medical certificate or a court decision is never shared with the origin State.',
};
