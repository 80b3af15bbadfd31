import type { AgreementCalendar, DayKind, Period } from '../contracts/index.ts';

/**
 * Calendar arithmetic on `YYYY-MM-DD` strings, in UTC so that a date never shifts with the
 * machine's time zone. Working days are Monday to Friday, less the public holidays an
 * agreement's calendar lists (the requested State's: contracts/agreements.ts). How periods are
 * counted (domain/README.md, review against the law; Council Regulation 1182/71 art. 3):
 * the day of the event does not count; a period in days ends at the end of its last day; a
 * period in months or years ends on the same date, or on the last day of the month when that
 * date does not exist (29 February + 1 year = 28 February); a last day that is not a working
 * day moves to the next working day only where the agreement says so (`rollForward`).
 */
const DAY_MS = 86_400_000;

const toUtc = (date: string): number => Date.parse(`${date}T00:00:00Z`);
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const NO_CALENDAR: AgreementCalendar = {};

export const isWorkingDay = (date: string, calendar: AgreementCalendar = NO_CALENDAR): boolean => {
  const dow = new Date(toUtc(date)).getUTCDay();
  return dow !== 0 && dow !== 6 && !(calendar.holidays ?? []).includes(date);
};

export function addCalendarDays(date: string, days: number): string {
  return fromUtc(toUtc(date) + days * DAY_MS);
}

/** The date `days` working days after `date` (the start day itself does not count). */
export function addWorkingDays(date: string, days: number, calendar: AgreementCalendar = NO_CALENDAR): string {
  let d = date;
  let left = days;
  while (left > 0) {
    d = addCalendarDays(d, 1);
    if (isWorkingDay(d, calendar)) left -= 1;
  }
  return d;
}

/** The first working day on or after `date`. */
export function nextWorkingDay(date: string, calendar: AgreementCalendar = NO_CALENDAR): string {
  let d = date;
  while (!isWorkingDay(d, calendar)) d = addCalendarDays(d, 1);
  return d;
}

/** The last day of a period of `days` from `date`, counted the agreement's way. */
export function addDays(date: string, days: number, kind: DayKind, calendar: AgreementCalendar = NO_CALENDAR): string {
  if (kind === 'working') return addWorkingDays(date, days, calendar);
  const end = addCalendarDays(date, days);
  return calendar.rollForward ? nextWorkingDay(end, calendar) : end;
}

export const addPeriod = (date: string, period: Period, calendar: AgreementCalendar = NO_CALENDAR): string =>
  addDays(date, period.days, period.dayKind, calendar);

/** Days in a month (`month` 1 to 12). */
const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The same date `months` later; when that month is shorter, its last day (Reg. 1182/71
 * art. 3(2)(c)): 31 January + 1 month = 28 (or 29) February, 29 February + 12 months = 28 February.
 */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const day = Math.min(d, daysInMonth(year, month));
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const addYears = (date: string, years: number): string => addMonths(date, years * 12);

/** The calendar date of a point in time in a time zone (the requested State's; UTC without one). */
export function localDateOf(at: Date, timeZone = 'UTC'): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** Whole calendar days from `a` to `b` (negative when b is earlier). */
export const daysBetween = (a: string, b: string): number => Math.round((toUtc(b) - toUtc(a)) / DAY_MS);

/** The calendar date of an instant as written, in its own offset (a departure's local date). */
export const dateOf = (instant: string): string => instant.slice(0, 10);

/** The UTC date of a point in time: the deadline service's "today". */
export const utcDateOf = (at: Date): string => at.toISOString().slice(0, 10);

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
  return `${dateOfBirth.slice(0, 4)}-${pad(month)}-${pad(daysInMonth(year, month))}`;
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
