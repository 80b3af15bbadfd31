import { z } from 'zod';
import { FreeText, IsoDate, MemberId, ShortText, StateCode } from './common.ts';

export const Sex = z.enum(['female', 'male', 'other', 'unknown']);
export const Relationship = z.enum(['child', 'spouse', 'parent', 'sibling', 'other']);

export const Person = z.strictObject({
  givenNames: ShortText.min(1),
  familyName: ShortText.min(1),
  aliases: z.array(ShortText.min(1)).max(20).default([]),
  sex: Sex,
  dateOfBirth: IsoDate,
  placeOfBirth: ShortText.min(1),
  nationality: StateCode,
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/, 'expected an ISO 639 language code'))
    .max(20)
    .default([]),
});
export type Person = z.infer<typeof Person>;

export const HouseholdMemberInput = z.strictObject({
  givenNames: ShortText.min(1),
  familyName: ShortText.min(1),
  dateOfBirth: IsoDate,
  relationship: Relationship,
});
export type HouseholdMemberInput = z.infer<typeof HouseholdMemberInput>;

export const HouseholdMember = HouseholdMemberInput.extend({ memberId: MemberId });
export type HouseholdMember = z.infer<typeof HouseholdMember>;

export const OpenCaseBody = z.strictObject({
  person: Person,
  household: z.array(HouseholdMemberInput).max(30).default([]),
  originState: StateCode,
  returnDecision: z.strictObject({ reference: ShortText.min(1), issuedOn: IsoDate }),
});
export type OpenCaseBody = z.infer<typeof OpenCaseBody>;

export const CaseStatus = z.enum([
  'intake',
  'voluntary-departure',
  'readmission',
  'removal-planned',
  'departed',
  'closed',
]);
export type CaseStatus = z.infer<typeof CaseStatus>;

export const Outcome = z.enum([
  'returned',
  'departed-voluntarily',
  'protection-granted',
  'permit-granted',
  'return-not-possible',
  'absconded',
  'deceased',
  'withdrawn',
]);
export type Outcome = z.infer<typeof Outcome>;

/** Outcomes a caseworker may close a case with directly; the others follow from facts. */
export const ManualOutcome = z.enum(['permit-granted', 'return-not-possible', 'absconded', 'deceased', 'withdrawn']);

export const Reasons = z.strictObject({ reasons: FreeText });
