import { DomainError } from '../domain/errors';
import { awayAt, readAwayDate, type Absence, type Frequency, type QuietHours } from '../domain/personal';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '../domain/reminders';
import { addDays, daysBetween, localDate, zonedTime } from '../domain/time';
import { endAway, loadPeople, saveAway, saveFrequency, savePersonFromSlack, saveQuietHours, type SlackPerson } from '../store/people';
import type { Taskforce } from './context';

/** The furthest ahead someone can say they are away: a year. */
export const MAX_AWAY_DAYS = 366;

/** A person's settings, as `/reminders` and `/away` show them. */
export interface PersonSettings {
  userId: string;
  /** Their zone from Slack, or null (then `zone` is the plan's). */
  slackZone: string | null;
  zone: string;
  frequency: Frequency;
  quiet: QuietHours | null;
  /** The absence under way, if any. */
  away: Absence | null;
  reminders: ReminderSettings;
}

export async function personSettings(taskforce: Taskforce, userId: string): Promise<PersonSettings> {
  const person = (await loadPeople(taskforce.db, [userId])).get(userId)!;
  return {
    userId,
    slackZone: person.timeZone,
    zone: person.timeZone ?? taskforce.timeZone,
    frequency: person.frequency,
    quiet: person.quiet,
    away: awayAt(person.absences, taskforce.clock.now()),
    reminders: taskforce.reminders ?? DEFAULT_REMINDER_SETTINGS,
  };
}

export async function setFrequency(taskforce: Taskforce, userId: string, frequency: Frequency): Promise<PersonSettings> {
  await saveFrequency(taskforce.db, userId, frequency, taskforce.clock.now());
  return personSettings(taskforce, userId);
}

export async function setQuietHours(taskforce: Taskforce, userId: string, quiet: QuietHours | null): Promise<PersonSettings> {
  await saveQuietHours(taskforce.db, userId, quiet, taskforce.clock.now());
  return personSettings(taskforce, userId);
}

/**
 * `/away until <day>`: away from now until the start of that day, their time (they are back that
 * morning). The day must be after today, where they are, and within a year. Changes nothing otherwise.
 */
export async function goAway(taskforce: Taskforce, userId: string, typed: string, note: string | null): Promise<PersonSettings> {
  const before = await personSettings(taskforce, userId);
  const now = taskforce.clock.now();
  const today = localDate(now, before.zone);
  const read = readAwayDate(typed, today);
  if ('problem' in read) throw new DomainError('bad-date', `${read.problem} Nothing was changed.`);
  const days = daysBetween(today, read.date);
  if (days < 0) {
    throw new DomainError('date-past', `${read.date} has gone by (today is ${today} where you are): give the day you will be back, e.g. \`/away until ${addDays(today, 7)}\`. Nothing was changed.`);
  }
  if (days === 0) throw new DomainError('date-today', `${read.date} is today: give the day you will be back, after today (\`/away off\` if you are back now). Nothing was changed.`);
  if (days > MAX_AWAY_DAYS) throw new DomainError('date-far', `${read.date} is more than a year away: give a day within the next ${MAX_AWAY_DAYS} days, and change it later if need be. Nothing was changed.`);
  await saveAway(taskforce.db, userId, zonedTime(read.date, '00:00', before.zone), read.date, note, now);
  return personSettings(taskforce, userId);
}

/** `/away off`: back now; says whether they were away. */
export async function comeBack(taskforce: Taskforce, userId: string): Promise<{ wasAway: boolean; settings: PersonSettings }> {
  const ended = await endAway(taskforce.db, userId, taskforce.clock.now());
  return { wasAway: ended > 0, settings: await personSettings(taskforce, userId) };
}

/** Slack said a person changed (the user_change event): their zone and status, as stored. */
export async function personChanged(taskforce: Taskforce, userId: string, person: SlackPerson): Promise<void> {
  await savePersonFromSlack(taskforce.db, userId, person, taskforce.clock.now());
}
