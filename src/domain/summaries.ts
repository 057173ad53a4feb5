import type { Summary } from './notices';
import { absenceEnd, awayAt, weeklyDueBy, type PersonView } from './personal';
import type { ReminderSettings } from './reminders';
import { localDate, zonedTime } from './time';

/** A summary due to someone: the message's key, what it is, how far ahead it looks, what it settles. */
export interface DueSummary {
  key: string;
  userId: string;
  summary: Summary;
  /** Open deadlines due within this many days are listed (all overdue ones are). */
  horizonDays: number;
  /** Keys of other summaries this one stands for (the week's, on a return that week). */
  settles: string[];
  /** When it goes. A "while you were away" not yet due holds the person's other DMs until it goes. */
  sendAt: Date;
}

/** How far a "while you were away" summary looks ahead: as far as the first reminder does. */
export function welcomeHorizon(settings: ReminderSettings): number {
  return Math.max(7, ...settings.daysBefore);
}

/**
 * The summaries due to a person as of a moment, the one to send first first (the sweep takes the
 * first not yet in the ledger; if it is not due yet, it holds their other DMs until it is, so that
 * a returning person's held reminders come in it, once); none while they are away. On their return, one "while you were
 * away" (for the absence that ended last, at their send time on the day they are back, or at once
 * if later); for `/reminders weekly`, the Monday one. Each has a fixed key (whom, which absence or
 * week), so the ledger sends it once; only within the catch-up window.
 */
export function summariesDue(person: PersonView, asOf: Date, settings: ReminderSettings, planZone: string): DueSummary[] {
  if (awayAt(person.absences, asOf)) return [];
  const due: DueSummary[] = [];
  const zone = person.timeZone ?? planZone;
  const oldest = asOf.getTime() - settings.catchUpDays * 86_400_000;
  const week = weeklyDueBy(asOf, zone, settings.sendTime);
  const weeklyKey = `weekly:user:${person.userId}:${week.weekOf}`;
  let returned: { id: number; end: Date; since: Date } | null = null;
  for (const absence of person.absences) {
    const end = absenceEnd(absence);
    if (!end || end > asOf || end.getTime() < oldest || end <= absence.startsAt) continue;
    if (!returned || end > returned.end) returned = { id: absence.id, end, since: absence.startsAt };
  }
  if (returned) {
    const morning = zonedTime(localDate(returned.end, zone), settings.sendTime, zone);
    due.push({
        sendAt: morning > returned.end ? morning : returned.end,
        key: `welcome:user:${person.userId}:${returned.id}`,
        userId: person.userId,
        summary: { kind: 'welcome', since: returned.since.toISOString() },
        horizonDays: welcomeHorizon(settings),
        settles: person.frequency === 'weekly' ? [weeklyKey] : [],
    });
  }
  // A Monday they were away for is in the summary on their return instead.
  const weeklyFrom = Math.max(oldest, person.weeklySince?.getTime() ?? Infinity);
  if (person.frequency === 'weekly' && week.sendAt.getTime() >= weeklyFrom && !awayAt(person.absences, week.sendAt)) {
    due.push({ key: weeklyKey, userId: person.userId, summary: { kind: 'weekly', weekOf: week.weekOf }, horizonDays: 7, settles: [], sendAt: week.sendAt });
  }
  return due;
}
