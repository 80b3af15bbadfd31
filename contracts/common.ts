import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` that really exists (no 2026-02-30). */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a real calendar date');
export type IsoDate = z.infer<typeof IsoDate>;

/** An instant in ISO 8601 with an explicit offset (`Z` or `+02:00`). */
export const Instant = z.iso.datetime({ offset: true });
export type Instant = z.infer<typeof Instant>;

/** ISO 3166-1 alpha-2, upper case. */
export const StateCode = z.string().regex(/^[A-Z]{2}$/, 'expected an ISO 3166-1 alpha-2 code');
export type StateCode = z.infer<typeof StateCode>;

/**
 * Free text that is personal data and may be required to carry reasons. Emptiness is not a
 * schema error: the domain refuses blank reasons with the rule `reasons-required` (409).
 */
export const FreeText = z.string().max(10_000);
export const ShortText = z.string().max(500);

export const Role = z.enum(['caseworker', 'liaison', 'monitor', 'analyst', 'admin']);
export type Role = z.infer<typeof Role>;

export const DayKind = z.enum(['calendar', 'working']);
export type DayKind = z.infer<typeof DayKind>;

export const Period = z.strictObject({
  days: z.number().int().min(0).max(3650),
  dayKind: DayKind,
});
export type Period = z.infer<typeof Period>;

/** Who did something, as recorded on every event. */
export const Actor = z.strictObject({
  sub: z.string(),
  role: z.union([Role, z.literal('system')]),
  state: StateCode.optional(),
});
export type Actor = z.infer<typeof Actor>;

export const MemberId = z.string().regex(/^(principal|m[1-9]\d*)$/, 'expected principal or m1, m2, …');
export type MemberId = z.infer<typeof MemberId>;
