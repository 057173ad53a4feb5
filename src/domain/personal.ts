import { echo } from './text';
import { addDays, dayjs, localDate, weekday, zonedTime, type LocalDate } from './time';

/**
 * Each person's own time: their zone, how often they want reminding, their quiet hours and their
 * absences. Pure: the store reads these, the sweep asks these functions.
 */
export type Frequency = 'daily' | 'weekly';

/** A window of local times with no DMs ("18:00"–"08:00" wraps past midnight). */
export interface QuietHours {
  from: string;
  to: string;
}

/** Someone away, as the sweep needs it. */
export interface Absence {
  id: number;
  userId: string;
  startsAt: Date;
  /** When they are back; null while a Slack status says away with no expiry. */
  until: Date | null;
  /** The day typed with /away ("2017-06-05"), for saying "until 5 Jun 2017". */
  untilDate: LocalDate | null;
  note: string | null;
  source: 'command' | 'slack-status';
  endedAt: Date | null;
}

/** What the sweep knows of one person. Unknown people are daily, in the plan's zone, never away. */
export interface PersonView {
  userId: string;
  timeZone: string | null;
  frequency: Frequency;
  /** When they chose weekly: Mondays before then are not summarised. */
  weeklySince: Date | null;
  quiet: QuietHours | null;
  absences: Absence[];
}

/** When an absence is over: the earlier of its end and an early return; null while open-ended. */
export function absenceEnd(absence: Absence): Date | null {
  if (absence.endedAt && (!absence.until || absence.endedAt < absence.until)) return absence.endedAt;
  return absence.until;
}

export function isAwayAt(absence: Absence, at: Date): boolean {
  const end = absenceEnd(absence);
  return absence.startsAt <= at && (end === null || at < end);
}

/** The absence holding a person at an instant, if any (the one ending last). */
export function awayAt(absences: readonly Absence[], at: Date): Absence | null {
  let found: Absence | null = null;
  for (const absence of absences) {
    if (!isAwayAt(absence, at)) continue;
    const end = absenceEnd(absence);
    const foundEnd = found ? absenceEnd(found) : undefined;
    if (!found || end === null || (foundEnd !== null && foundEnd !== undefined && end > foundEnd)) found = absence;
  }
  return found;
}

const TIME = /^(\d{1,2})[:.](\d{2})$/;

/** "18:00" from "18:00", "18.00" or "6:00"; a reason (quoting what was typed, escaped) when it is not a time of day. */
export function readTimeOfDay(text: string): { time: string } | { problem: string } {
  const match = TIME.exec(text);
  if (!match) return { problem: `${echo(text, 20)} isn't a time of day: write it as HH:MM, e.g. 18:00.` };
  const [hours, minutes] = [Number(match[1]), Number(match[2])];
  if (hours > 23) return { problem: `${echo(text, 20)} isn't a time of day: hours go from 00 to 23 (midnight is 00:00).` };
  if (minutes > 59) return { problem: `${echo(text, 20)} isn't a time of day: minutes go from 00 to 59.` };
  return { time: `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}` };
}

/** "18:00-08:00", "18:00 - 08:00", "18:00 to 08:00". */
export function readQuietHours(text: string): { quiet: QuietHours } | { problem: string } {
  const match = /^(\S+?)\s*(?:-|–|—|\bto\b)\s*(\S+)$/i.exec(text.trim());
  if (!match) return { problem: 'Give the quiet hours as two times, from and to, e.g. `/reminders quiet 18:00-08:00`.' };
  const from = readTimeOfDay(match[1]);
  if ('problem' in from) return from;
  const to = readTimeOfDay(match[2]);
  if ('problem' in to) return to;
  if (from.time === to.time) return { problem: `Quiet hours from ${from.time} to ${to.time} would be no time at all (or all day): give two different times, e.g. \`/reminders quiet 18:00-08:00\`.` };
  return { quiet: { from: from.time, to: to.time } };
}

function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The local time of day of an instant, in minutes after midnight. */
function localMinutes(instant: Date, zone: string): number {
  let format = clockFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clockFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((part) => [part.type, part.value]));
  return Number(parts.hour) * 60 + Number(parts.minute);
}

/** Whether an instant falls in the quiet hours, in the person's zone (from included, to not). */
export function inQuietHours(instant: Date, zone: string, quiet: QuietHours): boolean {
  const now = localMinutes(instant, zone);
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** The Monday of the week a date is in ("the week of …"). */
export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, -((weekday(date) + 6) % 7));
}

/**
 * The weekly summary due by `asOf` for someone in `zone`: the latest Monday whose send time has
 * come (this week's, or last week's before this Monday's send time), or null before the first.
 */
export function weeklyDueBy(asOf: Date, zone: string, sendTime: string): { weekOf: LocalDate; sendAt: Date } {
  const thisMonday = mondayOf(localDate(asOf, zone));
  const at = zonedTime(thisMonday, sendTime, zone);
  if (at <= asOf) return { weekOf: thisMonday, sendAt: at };
  const last = addDays(thisMonday, -7);
  return { weekOf: last, sendAt: zonedTime(last, sendTime, zone) };
}

/**
 * A date as people type it after /away until: ISO (2017-06-05), or tomorrow / yesterday / today.
 * Relative words resolve against `today` (the person's); a reason when it is not a date.
 */
export function readAwayDate(text: string, today: LocalDate): { date: LocalDate } | { problem: string } {
  const word = text.toLowerCase();
  if (word === 'today') return { date: today };
  if (word === 'tomorrow') return { date: addDays(today, 1) };
  if (word === 'yesterday') return { date: addDays(today, -1) };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    return dayjs(text, 'YYYY-MM-DD', true).isValid() ? { date: text } : { problem: `${echo(text, 20)} isn't a date: ${impossible(Number(text.slice(8, 10)), Number(text.slice(5, 7)))}.` };
  }
  const dayMonth = /^(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?$/.exec(text);
  if (dayMonth) {
    const [day, month] = [Number(dayMonth[1]), Number(dayMonth[2])];
    const why = month < 1 || month > 12 || day < 1 || day > daysIn(month) ? `${impossible(day, month)}, and ` : '';
    return { problem: `${echo(text, 20)} isn't a date I can read: ${why}write it as YYYY-MM-DD, e.g. \`/away until 2017-06-05\`.` };
  }
  return { problem: `${echo(text, 20)} isn't a date: write it as YYYY-MM-DD, e.g. \`/away until 2017-06-05\` (or \`tomorrow\`).` };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function daysIn(month: number): number {
  return [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function impossible(day: number, month: number): string {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1 || day > daysIn(month)) return `${MONTHS[month - 1]} has no day ${day}`;
  return `${MONTHS[month - 1]} ${day} is not in that year`;
}

/** Words and emoji of a Slack status that mean someone is not at work. */
const AWAY_WORDS = /\b(vacation(ing)?|holidays?|on leave|(annual|sick|parental|maternity|paternity) leave|out of (the )?office|ooo|out sick|off sick|sabbatical)\b/i;
const AWAY_EMOJI = new Set(['palm_tree', 'beach_with_umbrella', 'umbrella_on_ground', 'desert_island', 'airplane', 'face_with_thermometer', 'thermometer', 'baby', 'sleeping']);

/** Whether a Slack status says its owner is away: Slack's own "Vacationing", "Out sick", or words and emoji like those. */
export function statusReadsAway(text: string, emoji: string): boolean {
  return AWAY_WORDS.test(text) || AWAY_EMOJI.has(emoji.replace(/^:|:$/g, ''));
}
