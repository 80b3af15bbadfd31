import type { DayKind, Period } from '../contracts/index.ts';

/**
 * Calendar arithmetic on `YYYY-MM-DD` strings, in UTC so that a date never shifts with the
 * machine's time zone. Working days are Monday to Friday (agreements that count public
 * holidays would need a calendar per State; none of ours do yet).
 */
const DAY_MS = 86_400_000;

const toUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export const isWorkingDay = (date: string): boolean => {
  const dow = new Date(toUtc(date)).getUTCDay();
  return dow !== 0 && dow !== 6;
};

export function addCalendarDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** The date `days` working days after `date` (the start day itself does not count). */
export function addWorkingDays(date: string, days: number): string {
  let d = date;
  let left = days;
  while (left > 0) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d)) left -= 1;
  }
  return d;
}

export function addDays(date: string, days: number, kind: DayKind): string {
  return kind === 'working' ? addWorkingDays(date, days) : addCalendarDays(date, days);
}

export const addPeriod = (date: string, period: Period): string => addDays(date, period.days, period.dayKind);

/** Whole calendar days from `a` to `b` (negative when b is earlier). */
export const daysBetween = (a: string, b: string): number => Math.round((toUtc(b) - toUtc(a)) / DAY_MS);

/** The calendar date of an instant as written, in its own offset (a departure's local date). */
export const dateOf = (instant: string): string => instant.slice(0, 10);

/** The UTC date of a point in time: the deadline service's "today". */
export const utcDateOf = (at: Date): string => at.toISOString().slice(0, 10);

/** The last day of a month (`month` 1 to 12). */
const lastDayOfMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The latest day a partly known date of birth (`YYYY`, `YYYY-MM`) can be: a person who may
 * still be under 18 is treated as a child (benefit of the doubt; Return Directive art. 5(a),
 * 10; UNHCR and EUAA age-assessment guidance). A full date is itself.
 */
export function latestBirthDate(dateOfBirth: string): string {
  if (dateOfBirth.length === 10) return dateOfBirth;
  const year = Number(dateOfBirth.slice(0, 4));
  const month = dateOfBirth.length === 7 ? Number(dateOfBirth.slice(5, 7)) : 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${dateOfBirth.slice(0, 4)}-${pad(month)}-${pad(lastDayOfMonth(year, month))}`;
}

/** Age in whole years on a date (a partly known date of birth read at its latest possible day). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = latestBirthDate(dateOfBirth).split('-').map(Number) as [number, number, number];
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

export const isMinorOn = (dateOfBirth: string, on: string): boolean => ageOn(dateOfBirth, on) < 18;

/** Hours from one instant to another. */
export const hoursBetween = (from: Date, to: string): number => (Date.parse(to) - from.getTime()) / 3_600_000;
