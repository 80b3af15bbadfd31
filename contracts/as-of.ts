import { z } from 'zod';
import { Instant, IsoDate } from './common.ts';

/**
 * `asOf` on case reads: the case as it stood at a point of its record, given as a global
 * position (digits), an instant with offset, or a date (the end of that day, UTC).
 */
export const AsOfParam = z.union([z.string().regex(/^\d{1,15}$/, 'a position'), Instant, IsoDate]);

export const AsOfQuery = z.object({
  asOf: AsOfParam.optional().describe(
    'The case as it stood then: a global position (every event at or before it), an instant with offset, or a date (up to the end of that day, UTC).',
  ),
});
