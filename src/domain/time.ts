import dayjs, { type Dayjs } from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import customParseFormat from 'dayjs/plugin/customParseFormat';

dayjs.extend(utc);
dayjs.extend(timezone);
dayjs.extend(customParseFormat);

/** A plan-local calendar month, "2017-04". Plans speak in months; instants come from the zone. */
export type Month = string;
/** A plan-local calendar date, "2017-04-30". */
export type LocalDate = string;

const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function isMonth(value: string): boolean {
  return MONTH_PATTERN.test(value);
}

export function monthIndex(month: Month): number {
  const match = MONTH_PATTERN.exec(month);
  if (!match) throw new Error(`not a month: ${month}`);
  return Number(match[1]) * 12 + Number(match[2]) - 1;
}

export function monthFromIndex(index: number): Month {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${year}-${String(month).padStart(2, '0')}`;
}

export function addMonths(month: Month, count: number): Month {
  return monthFromIndex(monthIndex(month) + count);
}

/** The first instant of a month in the zone. */
export function startOfMonth(month: Month, zone: string): Date {
  return dayjs.tz(`${month}-01 00:00`, 'YYYY-MM-DD HH:mm', zone).toDate();
}

/** The last calendar day of a month, "2017-04-30". */
export function lastDayOfMonth(month: Month): LocalDate {
  return dayjs(`${month}-01`).endOf('month').format('YYYY-MM-DD');
}

export function startOfLocalDay(date: LocalDate, zone: string): Date {
  return dayjs.tz(`${date} 00:00`, 'YYYY-MM-DD HH:mm', zone).toDate();
}

export function localDate(instant: Date, zone: string): LocalDate {
  return dayjs(instant).tz(zone).format('YYYY-MM-DD');
}

export function addDays(date: LocalDate, count: number): LocalDate {
  return dayjs(date).add(count, 'day').format('YYYY-MM-DD');
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return dayjs(to).diff(dayjs(from), 'day');
}

export function inZone(instant: Date, zone: string): Dayjs {
  return dayjs(instant).tz(zone);
}

/** True when the IANA zone name is one this runtime knows ("Europe/London"). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export { dayjs };
