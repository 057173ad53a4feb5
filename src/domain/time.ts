import dayjs from 'dayjs';
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

// Deadline maths runs these functions millions of times for a large plan (every occurrence,
// reminder step and working day), so they avoid dayjs's time-zone plugin, which formats through
// Intl on every call: calendar arithmetic is done on UTC dates, and zone conversions are cached.

const zonedTimes = new Map<string, Date>();

/** The instant of a plan-local date and time ("2017-04-28", "09:00") in the zone. */
export function zonedTime(date: LocalDate, time: string, zone: string): Date {
  const key = `${zone} ${date} ${time}`;
  let instant = zonedTimes.get(key);
  if (!instant) {
    if (zonedTimes.size >= 100_000) zonedTimes.clear(); // a bound for a long-running process
    instant = dayjs.tz(`${date} ${time}`, 'YYYY-MM-DD HH:mm', zone).toDate();
    zonedTimes.set(key, instant);
  }
  return new Date(instant.getTime());
}

/** The first instant of a month in the zone. */
export function startOfMonth(month: Month, zone: string): Date {
  return zonedTime(`${month}-01`, '00:00', zone);
}

function utcDate(date: LocalDate): Date {
  return new Date(`${date}T00:00:00Z`);
}

function isoDate(date: Date): LocalDate {
  return date.toISOString().slice(0, 10);
}

/** The last calendar day of a month, "2017-04-30". */
export function lastDayOfMonth(month: Month): LocalDate {
  const index = monthIndex(month);
  return isoDate(new Date(Date.UTC(Math.floor(index / 12), (index % 12) + 1, 0)));
}

export function startOfLocalDay(date: LocalDate, zone: string): Date {
  return zonedTime(date, '00:00', zone);
}

// One formatter per zone, made once: making an Intl.DateTimeFormat costs far more than using one
// (dayjs's tz() makes one per call, which was 40% of a command's CPU when it listed updates).
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(zone: string): Intl.DateTimeFormat {
  let format = dateTimeFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    dateTimeFormats.set(zone, format);
  }
  return format;
}

/** The plan-local date and time ("2017-04-28", "09:05") of an instant in the zone. */
export function localDateTime(instant: Date, zone: string): { date: LocalDate; time: string } {
  const parts: Record<string, string> = {};
  for (const part of dateTimeFormat(zone).formatToParts(instant)) parts[part.type] = part.value;
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export function localDate(instant: Date, zone: string): LocalDate {
  return localDateTime(instant, zone).date;
}

const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "5 Jun 2017", from a plan-local date. */
export function dayWords(date: LocalDate): string {
  return `${Number(date.slice(8, 10))} ${SHORT_MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}

/** "5 Jun 2017 09:05": an instant as people read it, in the zone. */
export function instantWords(instant: Date, zone: string): string {
  const { date, time } = localDateTime(instant, zone);
  return `${dayWords(date)} ${time}`;
}

export function addDays(date: LocalDate, count: number): LocalDate {
  const day = utcDate(date);
  day.setUTCDate(day.getUTCDate() + count);
  return isoDate(day);
}

/** Whole calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((utcDate(to).getTime() - utcDate(from).getTime()) / 86_400_000);
}

/** 0 for Sunday to 6 for Saturday. */
export function weekday(date: LocalDate): number {
  return utcDate(date).getUTCDay();
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
