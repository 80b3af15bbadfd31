import { describe, expect, it } from 'vitest';
import {
  addCalendarDays,
  addMonths,
  addYears,
  localDateOf,
  nextWorkingDay,
  addDays,
  addPeriod,
  addWorkingDays,
  ageOn,
  dateOf,
  daysBetween,
  hoursBetween,
  isMinorOn,
  isWorkingDay,
  latestBirthDate,
  utcDateOf,
} from './dates.ts';

// 16 November 2026 is a Monday; 20 November a Friday.

describe('calendar days', () => {
  it('adds across month and year ends', () => {
    expect(addCalendarDays('2026-11-03', 25)).toBe('2026-11-28');
    expect(addCalendarDays('2026-12-20', 15)).toBe('2027-01-04');
    expect(addCalendarDays('2026-11-16', 0)).toBe('2026-11-16');
    expect(addCalendarDays('2026-11-16', -16)).toBe('2026-10-31');
  });

  it('counts weekends like any other day', () => {
    expect(addCalendarDays('2026-11-20', 1)).toBe('2026-11-21');
    expect(addDays('2026-11-20', 2, 'calendar')).toBe('2026-11-22');
  });

  it('is not moved by summer time (UTC arithmetic)', () => {
    expect(addCalendarDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addCalendarDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addCalendarDays('2026-10-24', 2)).toBe('2026-10-26');
  });

  it('measures whole days between two dates, negative backwards', () => {
    expect(daysBetween('2026-11-10', '2027-02-08')).toBe(90);
    expect(daysBetween('2027-02-08', '2026-11-10')).toBe(-90);
    expect(daysBetween('2026-11-16', '2026-11-16')).toBe(0);
  });
});

describe('working days (Monday to Friday)', () => {
  it('tells working days from weekends', () => {
    expect(['2026-11-16', '2026-11-20'].map((d) => isWorkingDay(d))).toEqual([true, true]);
    expect(['2026-11-21', '2026-11-22'].map((d) => isWorkingDay(d))).toEqual([false, false]);
  });

  it('skips the weekend: Friday + 1 is Monday', () => {
    expect(addWorkingDays('2026-11-20', 1)).toBe('2026-11-23');
    expect(addDays('2026-11-20', 1, 'working')).toBe('2026-11-23');
  });

  it('does not count the start day, even when it falls on a weekend', () => {
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23'); // Saturday + 1
    expect(addWorkingDays('2026-11-22', 1)).toBe('2026-11-23'); // Sunday + 1
    expect(addWorkingDays('2026-11-21', 0)).toBe('2026-11-21');
  });

  it('spans several weekends', () => {
    expect(addWorkingDays('2026-11-19', 3)).toBe('2026-11-24'); // Thu + 3 = Tue
    expect(addWorkingDays('2026-11-16', 10)).toBe('2026-11-30'); // two full weeks
    expect(addWorkingDays('2026-12-31', 2)).toBe('2027-01-04'); // Thu 31 Dec + 2 = Mon
  });
});

describe('periods of an agreement', () => {
  it('reply deadlines: 25 calendar days, 2 working days', () => {
    expect(addPeriod('2026-11-03', { days: 25, dayKind: 'calendar' })).toBe('2026-11-28');
    expect(addPeriod('2026-11-05', { days: 2, dayKind: 'working' })).toBe('2026-11-09'); // Thu + 2 = Mon
  });

  it('an extension adds its days to the deadline, counted the agreement’s way', () => {
    expect(addDays('2026-11-28', 60, 'calendar')).toBe('2027-01-27');
    expect(addDays('2026-11-27', 5, 'working')).toBe('2026-12-04');
  });

  it('the transfer window: 90 calendar days after acceptance', () => {
    expect(addCalendarDays('2026-11-10', 90)).toBe('2027-02-08');
    expect(addCalendarDays('2027-12-01', 90)).toBe('2028-02-29'); // through a leap February
  });

  it('a travel document within 3 working days of a Tuesday acceptance is due Friday', () => {
    expect(addPeriod('2026-11-10', { days: 3, dayKind: 'working' })).toBe('2026-11-13');
  });
});

describe('leap days', () => {
  it('exists in 2028, not in 2027', () => {
    expect(addCalendarDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addCalendarDays('2027-02-28', 1)).toBe('2027-03-01');
    expect(addCalendarDays('2028-02-29', 365)).toBe('2029-02-28');
    expect(daysBetween('2028-01-01', '2029-01-01')).toBe(366);
  });

  it('Thursday 28 Feb 2030 + 1 working day is Friday 1 March', () => {
    expect(addWorkingDays('2030-02-28', 1)).toBe('2030-03-01');
  });
});

describe('ages on a date', () => {
  it('counts whole years, the birthday included', () => {
    expect(ageOn('2008-12-01', '2026-11-30')).toBe(17);
    expect(ageOn('2008-12-01', '2026-12-01')).toBe(18);
    expect(ageOn('2019-05-02', '2026-11-20')).toBe(7);
  });

  it('a minor until the eighteenth birthday', () => {
    expect(isMinorOn('2008-12-01', '2026-11-30')).toBe(true);
    expect(isMinorOn('2008-12-01', '2026-12-01')).toBe(false);
  });

  it('someone born on 29 February comes of age on 1 March in a common year', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(isMinorOn('2008-02-29', '2026-02-28')).toBe(true);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });

  // Review against the law: a date of birth may be only partly known (YYYY or YYYY-MM).
  it('reads a partly known date of birth at its latest possible day', () => {
    expect(latestBirthDate('2008')).toBe('2008-12-31');
    expect(latestBirthDate('2008-02')).toBe('2008-02-29');
    expect(latestBirthDate('2009-02')).toBe('2009-02-28');
    expect(latestBirthDate('2008-11-03')).toBe('2008-11-03');
  });

  it('treats someone who may still be under 18 as a child (benefit of the doubt)', () => {
    expect(isMinorOn('2008', '2026-11-20')).toBe(true);
    expect(isMinorOn('2008', '2026-12-31')).toBe(false);
    expect(isMinorOn('2008-11', '2026-11-29')).toBe(true);
    expect(isMinorOn('2008-11', '2026-11-30')).toBe(false);
    expect(isMinorOn('2007', '2026-11-20')).toBe(false);
  });
});

describe('instants', () => {
  it('the date of an instant is its local date as written', () => {
    expect(dateOf('2026-11-20T23:30:00-05:00')).toBe('2026-11-20');
    expect(dateOf('2026-11-21T00:30:00+02:00')).toBe('2026-11-21');
  });

  it('the deadline service’s today is the UTC date', () => {
    expect(utcDateOf(new Date('2026-11-20T23:30:00-05:00'))).toBe('2026-11-21');
  });

  it('hours between an instant and a later one, across offsets', () => {
    expect(hoursBetween(new Date('2026-11-19T07:30:00Z'), '2026-11-20T07:30:00Z')).toBe(24);
    expect(hoursBetween(new Date('2026-11-19T07:30:00Z'), '2026-11-20T09:30:00+02:00')).toBe(24);
    expect(hoursBetween(new Date('2026-11-20T07:30:00Z'), '2026-11-20T06:30:00Z')).toBe(-1);
  });
});

// Review against the law (domain/README.md): Council Regulation 1182/71 art. 2 and 3 where the agreement is silent.
describe('an agreement’s calendar', () => {
  const christmas = { holidays: ['2026-12-25', '2026-12-28'] };

  it('does not count the requested State’s public holidays as working days', () => {
    expect(isWorkingDay('2026-12-25', christmas)).toBe(false);
    expect(isWorkingDay('2026-12-24', christmas)).toBe(true);
    // Thu 24 Dec + 2 working days: Fri 25 and Mon 28 are holidays there, so Tue 29 and Wed 30.
    expect(addWorkingDays('2026-12-24', 2, christmas)).toBe('2026-12-30');
    expect(addWorkingDays('2026-12-24', 2)).toBe('2026-12-28');
  });

  it('rolls a last day on a weekend or holiday forward only where the agreement says so', () => {
    expect(nextWorkingDay('2026-12-25', christmas)).toBe('2026-12-29');
    expect(addDays('2026-12-20', 5, 'calendar', christmas)).toBe('2026-12-25');
    expect(addDays('2026-12-20', 5, 'calendar', { ...christmas, rollForward: true })).toBe('2026-12-29');
    expect(addPeriod('2026-11-03', { days: 25, dayKind: 'calendar' }, { rollForward: true })).toBe('2026-11-30');
    // A working-day period always ends on a working day.
    expect(addDays('2026-11-19', 1, 'working', { rollForward: true })).toBe('2026-11-20');
  });
});

describe('periods in months and years (leap days)', () => {
  it('ends on the same date, or on the last day of a shorter month', () => {
    expect(addMonths('2026-12-15', 1)).toBe('2027-01-15');
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2028-03-31', -1)).toBe('2028-02-29');
  });

  it('a year from 29 February ends on 28 February, four years on 29 February', () => {
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
    expect(addMonths('2028-02-29', 12)).toBe('2029-02-28');
    expect(addYears('2028-02-29', 4)).toBe('2032-02-29');
    expect(addYears('2100-02-28', 0)).toBe('2100-02-28');
  });
});

describe('the date in the requested State', () => {
  it('is the date at that instant in its time zone (UTC without one)', () => {
    const at = new Date('2026-11-20T20:00:00Z');
    expect(localDateOf(at)).toBe('2026-11-20');
    expect(localDateOf(at, 'Asia/Karachi')).toBe('2026-11-21');
    expect(localDateOf(new Date('2026-11-29T03:00:00Z'), 'America/Bogota')).toBe('2026-11-28');
  });

  it('follows summer time: 22:30 UTC on 1 July is 2 July in Berlin (UTC+2), on 31 December still 31 December (UTC+1)', () => {
    expect(localDateOf(new Date('2026-07-01T22:30:00Z'), 'Europe/Berlin')).toBe('2026-07-02');
    expect(localDateOf(new Date('2026-12-31T22:30:00Z'), 'Europe/Berlin')).toBe('2026-12-31');
  });
});
