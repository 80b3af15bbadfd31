import { z } from 'zod';
import { FreeText, IsoDate, MemberId, ShortText, StateCode } from './common.ts';

export const Sex = z.enum(['female', 'male', 'other', 'unknown']);
export const Relationship = z.enum(['child', 'spouse', 'parent', 'sibling', 'other']);

/**
 * A date of birth as far as it is known: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when the day or
 * month is not (ICAO Doc 9303 and SIS record partly unknown dates; an age assessment gives an
 * estimated year). The domain reads a partial date at its latest possible day, so a person who
 * may still be a child is treated as one (domain/dates.ts, `latestBirthDate`).
 */
export const PartialDate = z
  .string()
  .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected a date YYYY-MM-DD, or YYYY-MM or YYYY when only partly known')
  .refine((s) => {
    if (s.length === 10) return IsoDate.safeParse(s).success;
    const month = s.length === 7 ? Number(s.slice(5, 7)) : 1;
    return month >= 1 && month <= 12;
  }, 'not a real calendar date');
export type PartialDate = z.infer<typeof PartialDate>;

/**
 * Review against the law (domain/README.md): what may be unknown is optional. A single name
 * (mononym) goes in `familyName` (ICAO 9303 primary identifier), so `givenNames` may be absent;
 * place of birth and nationality are often what the readmission procedure has yet to establish.
 * Old bodies stay valid: nothing that was accepted is refused now.
 */
export const Person = z.strictObject({
  givenNames: ShortText.min(1).optional(),
  familyName: ShortText.min(1),
  aliases: z.array(ShortText.min(1)).max(20).default([]),
  sex: Sex,
  dateOfBirth: PartialDate,
  placeOfBirth: ShortText.min(1).optional(),
  nationality: StateCode.optional(),
  languages: z
    .array(z.string().regex(/^[a-z]{2,3}$/, 'expected an ISO 639 language code'))
    .max(20)
    .default([]),
});
export type Person = z.infer<typeof Person>;

export const HouseholdMemberInput = z.strictObject({
  givenNames: ShortText.min(1).optional(),
  familyName: ShortText.min(1),
  dateOfBirth: PartialDate,
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
