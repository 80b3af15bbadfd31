import { z } from 'zod';
import { IsoDate, Period, ShortText, StateCode } from './common.ts';

/** The terms of a readmission agreement or arrangement: deadlines are data. */
export const AgreementTerms = z
  .strictObject({
    title: ShortText.min(1),
    destinationStates: z.array(StateCode).min(1).max(60),
    originState: StateCode,
    kind: z.enum(['agreement', 'arrangement']),
    inForceFrom: IsoDate,
    inForceUntil: IsoDate.nullable(),
    replyDeadline: Period,
    acceleratedReplyDeadline: Period.nullable(),
    maxExtension: Period.nullable(),
    silenceMeansConsent: z.boolean(),
    travelDocument: z.strictObject({
      issueWithin: Period,
      minValidityDays: z.number().int().min(0).max(3650),
    }),
    transferWindowDays: z.number().int().min(1).max(3650),
    arrivalNoticeHours: z
      .number()
      .int()
      .min(0)
      .max(24 * 90),
    evidence: z.strictObject({
      proof: z.array(ShortText.min(1)).max(50),
      primaFacie: z.array(ShortText.min(1)).max(50),
    }),
  })
  .refine((t) => t.inForceUntil === null || t.inForceUntil >= t.inForceFrom, {
    message: 'inForceUntil is before inForceFrom',
    path: ['inForceUntil'],
  })
  .refine((t) => !t.destinationStates.includes(t.originState), {
    message: 'the origin State cannot also be a destination State',
    path: ['originState'],
  });
export type AgreementTerms = z.infer<typeof AgreementTerms>;

export const AgreementCreated = z.strictObject({ agreementId: z.string(), revision: z.number().int() });
