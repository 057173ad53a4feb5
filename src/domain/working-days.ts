import type HolidaysClass from 'date-holidays';
import { addDays, weekday, type LocalDate } from './time';

// The bank holidays of England and Wales, shipped as data by date-holidays: no network. Loaded at
// the first question, not at start: with its calendars it took 140 ms of a start-up of about 1 s.
let calendar: HolidaysClass | null = null;
function englishCalendar(): HolidaysClass {
  if (!calendar) {
    const Holidays = require('date-holidays') as typeof HolidaysClass;
    calendar = new Holidays('GB', 'ENG');
  }
  return calendar;
}
const bankHolidaysByYear = new Map<number, Set<LocalDate>>();

function bankHolidays(year: number): Set<LocalDate> {
  let days = bankHolidaysByYear.get(year);
  if (!days) {
    days = new Set(
      englishCalendar()
        .getHolidays(year)
        .filter((holiday) => holiday.type === 'public')
        .map((holiday) => holiday.date.slice(0, 10)),
    );
    bankHolidaysByYear.set(year, days);
  }
  return days;
}

export function isBankHoliday(date: LocalDate): boolean {
  return bankHolidays(Number(date.slice(0, 4))).has(date);
}

/** Monday to Friday, and not a bank holiday in England and Wales. */
export function isWorkingDay(date: LocalDate): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !isBankHoliday(date);
}

// Reminder maths asks this of the same few hundred dates many times over; the answer never changes.
const workingDaysOnOrBefore = new Map<LocalDate, LocalDate>();

/** The date itself when it is a working day, else the working day before it. */
export function workingDayOnOrBefore(date: LocalDate): LocalDate {
  let day = workingDaysOnOrBefore.get(date);
  if (day === undefined) {
    day = date;
    while (!isWorkingDay(day)) day = addDays(day, -1);
    if (workingDaysOnOrBefore.size >= 100_000) workingDaysOnOrBefore.clear(); // a bound for a long-running process
    workingDaysOnOrBefore.set(date, day);
  }
  return day;
}

/** `count` working days before the date (2 before a Monday meeting is the Thursday). */
export function workingDaysBefore(date: LocalDate, count: number): LocalDate {
  let day = date;
  for (let left = count; left > 0; ) {
    day = addDays(day, -1);
    if (isWorkingDay(day)) left--;
  }
  return day;
}
