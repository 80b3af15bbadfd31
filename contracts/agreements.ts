import { z } from 'zod';
import { IsoDate, Period, ShortText, StateCode } from './common.ts';

/** An IANA time zone name that this runtime knows (`Asia/Karachi`, `Europe/Berlin`, `UTC`). */
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone name, e.g. Asia/Karachi');

/**
 * The calendar the agreement's deadlines are counted in (optional; without it: Monday to Friday,
 * no holidays, days in UTC, no roll-forward, as before). Every deadline rrc counts under an
 * agreement binds the requested State (the origin State: reply, extension, travel document), so
 * its days are the requested State's: its public holidays, as the parties notify them to each
 * other, and its official time (the day ends at midnight there). Council Regulation 1182/71
 * art. 2(1) takes the holidays of the place where the act is to be done, the same reading.
 */
export const AgreementCalendar = z.strictObject({
  /** The requested State's time zone: a deadline day ends at midnight there. */
  timeZone: TimeZone.optional(),
  /** Public holidays of the requested State: not working days. */
  holidays: z.array(IsoDate).max(1000).optional(),
  /** A period whose last day is a Saturday, Sunday or holiday ends on the next working day (Reg. 1182/71 art. 3(4)), where the agreement says so. */
  rollForward: z.boolean().optional(),
});
export type AgreementCalendar = z.infer<typeof AgreementCalendar>;

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
    calendar: AgreementCalendar.optional(),
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
