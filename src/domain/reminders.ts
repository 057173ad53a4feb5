import type { AssessedOccurrence, TrackedItem } from './deadlines';
import { addDays, daysBetween, localDate, zonedTime, type LocalDate } from './time';
import { workingDayOnOrBefore } from './working-days';

/** When reminders go out. See README, "What the bot sends". */
export interface ReminderSettings {
  /** Days before the due date to remind (0 = on the day). */
  daysBefore: number[];
  /** Local time of day, "09:00". */
  sendTime: string;
  /** Once overdue, a nudge every this many days. */
  nudgeEveryDays: number;
  /** After this many unanswered nudges, an escalation in the Taskforce channel. */
  escalateAfterNudges: number;
  /** Sends that fell due while the bot was down go out late only within this many days. */
  catchUpDays: number;
}

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  daysBefore: [14, 7, 1, 0],
  sendTime: '09:00',
  nudgeEveryDays: 7,
  escalateAfterNudges: 2,
  catchUpDays: 7,
};

/** Who a reminder goes to: a DM, a lead's channel, a user group (mentioned in the Taskforce channel), or nobody yet. */
export type Recipient =
  | { kind: 'user'; id: string }
  | { kind: 'channel'; id: string }
  | { kind: 'usergroup'; id: string }
  | { kind: 'unmapped'; lead: string };

export type Step = { kind: 'before'; days: number } | { kind: 'nudge'; number: number } | { kind: 'after-snooze'; until: Date } | { kind: 'escalation' };

export interface Snooze {
  recipient: string;
  until: Date;
  createdAt: Date;
}

export interface ReminderItem extends TrackedItem {
  remindersOff: boolean;
  recipients: Recipient[];
  snoozes: Snooze[];
}

export interface PlannedSend {
  /** Unique per (occurrence, step, recipient): the ledger refuses a second send under it. */
  key: string;
  item: ReminderItem;
  occurrence: AssessedOccurrence;
  step: Step;
  /** null for an escalation, which goes to the Taskforce channel. */
  recipient: Recipient | null;
  sendAt: Date;
}

export function recipientKey(recipient: Recipient): string {
  return recipient.kind === 'unmapped' ? `unmapped:${recipient.lead}` : `${recipient.kind}:${recipient.id}`;
}

function stepKey(step: Step): string {
  switch (step.kind) {
    case 'before':
      return `before-${step.days}`;
    case 'nudge':
      return `nudge-${step.number}`;
    case 'after-snooze':
      return `snooze-${step.until.toISOString()}`;
    case 'escalation':
      return 'escalation';
  }
}

export function sendKey(item: { id: number }, occurrence: AssessedOccurrence, step: Step, recipient: Recipient | null): string {
  return ['reminder', item.id, occurrence.milestone.id, occurrence.key, stepKey(step), recipient ? recipientKey(recipient) : 'taskforce'].join(':');
}

/** The send time of a day's reminder: the working day on or before it, at the set time, plan-local. */
function sendTimeOn(date: LocalDate, settings: ReminderSettings, zone: string): Date {
  return zonedTime(workingDayOnOrBefore(date), settings.sendTime, zone);
}

export interface TimedStep {
  step: Step;
  sendAt: Date;
}

function nudgeAt(occurrence: { dueDate: LocalDate }, number: number, settings: ReminderSettings, zone: string): Date {
  return sendTimeOn(addDays(occurrence.dueDate, number * settings.nudgeEveryDays), settings, zone);
}

/**
 * How many overdue nudges are due by `asOf`. Counted, not listed: an occurrence years overdue has
 * hundreds. A nudge goes out on its day or, moved to a working day, before it; so every nudge
 * whose day is before today is due, and only the next few need their send times checked.
 */
function nudgesDueBy(occurrence: { dueDate: LocalDate }, asOf: Date, settings: ReminderSettings, zone: string): number {
  const daysPast = daysBetween(occurrence.dueDate, localDate(asOf, zone));
  let count = Math.max(0, Math.floor((daysPast - 1) / settings.nudgeEveryDays));
  while (nudgeAt(occurrence, count + 1, settings, zone) <= asOf) count++;
  return count;
}

/**
 * The latest reminder step of an occurrence due by `asOf` (null before the first): the last nudge
 * once one is due, else the last of the days-before steps (on a tie, the one nearer the due date).
 */
export function latestStepDueBy(occurrence: { dueDate: LocalDate }, asOf: Date, settings: ReminderSettings, zone: string): TimedStep | null {
  const nudges = nudgesDueBy(occurrence, asOf, settings, zone);
  if (nudges > 0) return { step: { kind: 'nudge', number: nudges }, sendAt: nudgeAt(occurrence, nudges, settings, zone) };
  let latest: TimedStep | null = null;
  for (const days of [...settings.daysBefore].sort((a, b) => b - a)) {
    const sendAt = sendTimeOn(addDays(occurrence.dueDate, -days), settings, zone);
    if (sendAt <= asOf && (!latest || sendAt >= latest.sendAt)) latest = { step: { kind: 'before', days }, sendAt };
  }
  return latest;
}

/**
 * What should go out as of a moment, for open deadlines: per occurrence and recipient, only the
 * latest step that is due (so a bot that was down sends one reminder, not a burst), and only
 * within the catch-up window; snoozed recipients hear again when the snooze ends. Plus an
 * escalation once `escalateAfterNudges` nudges went by with no status update, whether or not
 * the item's reminders were switched off. The ledger, not
 * this function, makes each key go out once.
 */
export function plannedSends(items: readonly ReminderItem[], assessed: Map<number, AssessedOccurrence[]>, asOf: Date, settings: ReminderSettings, zone: string): PlannedSend[] {
  const oldest = asOf.getTime() - settings.catchUpDays * 86_400_000;
  const sends: PlannedSend[] = [];
  // Steps depend only on the due date, and thousands of occurrences share a month's end.
  const stepsByDueDate = new Map<LocalDate, TimedStep | null>();
  const latestStepFor = (occurrence: AssessedOccurrence) => {
    if (!stepsByDueDate.has(occurrence.dueDate)) stepsByDueDate.set(occurrence.dueDate, latestStepDueBy(occurrence, asOf, settings, zone));
    return stepsByDueDate.get(occurrence.dueDate)!;
  };
  for (const item of items) {
    for (const occurrence of assessed.get(item.id) ?? []) {
      if (occurrence.state !== 'overdue' && occurrence.state !== 'upcoming') continue;
      const latest = latestStepFor(occurrence);
      if (!latest) continue;
      // "Reminders off" silences the item's leads, not the Taskforce: escalations still go.
      for (const recipient of item.remindersOff ? [] : item.recipients) {
        const snooze = item.snoozes
          .filter((s) => s.recipient === recipientKey(recipient) && s.createdAt <= asOf)
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
        let chosen: { step: Step; sendAt: Date } | null = latest;
        if (snooze && latest.sendAt < snooze.until) {
          chosen = snooze.until <= asOf ? { step: { kind: 'after-snooze', until: snooze.until }, sendAt: snooze.until } : null;
        }
        if (!chosen || chosen.sendAt.getTime() < oldest) continue;
        sends.push({ key: sendKey(item, occurrence, chosen.step, recipient), item, occurrence, step: chosen.step, recipient, sendAt: chosen.sendAt });
      }
      const escalation = escalationDue(item, occurrence, latest, settings, zone);
      if (escalation && escalation.sendAt.getTime() >= oldest) {
        sends.push({ key: sendKey(item, occurrence, { kind: 'escalation' }, null), item, occurrence, step: { kind: 'escalation' }, recipient: null, sendAt: escalation.sendAt });
      }
    }
  }
  return sends.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.key.localeCompare(b.key));
}

/** Due with the nudge after the last unanswered one: no status update since the first nudge. */
function escalationDue(item: ReminderItem, occurrence: AssessedOccurrence, latest: TimedStep, settings: ReminderSettings, zone: string): { sendAt: Date } | null {
  if (occurrence.state !== 'overdue' || latest.step.kind !== 'nudge' || latest.step.number <= settings.escalateAfterNudges) return null;
  const firstNudge = nudgeAt(occurrence, 1, settings, zone);
  const answered = item.history.some((entry) => entry.source !== 'import' && entry.at >= firstNudge);
  return answered ? null : { sendAt: nudgeAt(occurrence, settings.escalateAfterNudges + 1, settings, zone) };
}
