import type { AssessedOccurrence, TrackedItem } from './deadlines';
import { awayAt, type Absence, type Frequency } from './personal';
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
  | { kind: 'unmapped'; lead: string }
  /** An away person's reminders, in the Taskforce channel: no one else answers for their lead. */
  | { kind: 'away'; id: string };

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
  /** Who answers for each lead (one map shared by every item): an away person's reminders go to their lead's other owners. */
  ownersByLead?: ReadonlyMap<string, readonly Recipient[]>;
}

/** What the planner needs to know of each person (by Slack user id). */
export interface PersonalPlanning {
  /** Their time zone; null when unknown (the plan's is used). */
  zoneOf(userId: string): string | null;
  frequencyOf(userId: string): Frequency;
  absencesOf(userId: string): readonly Absence[];
}

/** Everyone daily, in the plan's zone, never away: how the bot behaved before people had settings. */
export const NO_PERSONAL_SETTINGS: PersonalPlanning = { zoneOf: () => null, frequencyOf: () => 'daily', absencesOf: () => [] };

export interface PlannedSend {
  /** Unique per (occurrence, step, recipient): the ledger refuses a second send under it. */
  key: string;
  item: ReminderItem;
  occurrence: AssessedOccurrence;
  step: Step;
  /** null for an escalation, which goes to the Taskforce channel. */
  recipient: Recipient | null;
  sendAt: Date;
  /** People away whose reminders this recipient has meanwhile (they answer for the same lead), or the away person of an 'away' recipient. */
  covering?: Absence[];
}

export function recipientKey(recipient: Recipient): string {
  return recipient.kind === 'unmapped' ? `unmapped:${recipient.lead}` : `${recipient.kind}:${recipient.id}`;
}

/** No one away: shared, as nearly every item has no one away. */
const NOBODY: Absence[] = [];

/**
 * Whom an item's reminders go to as of a moment: its recipients, less those away. An away
 * person's share goes to the other owners of the leads they answer for (who hear it anyway, now
 * told who is away), or, with no one else there, to the Taskforce channel as an 'away' recipient.
 */
export function presentRecipients(item: ReminderItem, asOf: Date, personal: PersonalPlanning): { recipient: Recipient; covering: Absence[] }[] {
  const away = new Map<string, Absence>();
  for (const recipient of item.recipients) {
    if (recipient.kind !== 'user') continue;
    const absence = awayAt(personal.absencesOf(recipient.id), asOf);
    if (absence) away.set(recipient.id, absence);
  }
  if (away.size === 0) return item.recipients.map((recipient) => ({ recipient, covering: NOBODY }));
  const isAway = (recipient: Recipient) => recipient.kind === 'user' && away.has(recipient.id);
  const present = item.recipients.filter((recipient) => !isAway(recipient)).map((recipient) => ({ recipient, covering: [] as Absence[] }));
  const leadOwners = item.ownersByLead ? item.leads.map((lead) => item.ownersByLead!.get(lead) ?? []) : [item.recipients];
  for (const [userId, absence] of away) {
    const theirs = leadOwners.filter((owners) => owners.some((o) => o.kind === 'user' && o.id === userId));
    const others = new Set(theirs.flat().filter((owner) => !isAway(owner)).map(recipientKey));
    const covering = present.filter((entry) => others.has(recipientKey(entry.recipient)));
    for (const entry of covering) entry.covering.push(absence);
    if (covering.length === 0) present.push({ recipient: { kind: 'away', id: userId }, covering: [absence] });
  }
  return present;
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
 * within the catch-up window; snoozed recipients hear again when the snooze ends. A person's
 * steps fall on the plan's working days at the send time in *their* zone; someone who asked for
 * a weekly summary gets only the due-today step here (the summary is the sweep's); someone away is
 * left out (see presentRecipients). Plus an escalation once `escalateAfterNudges` nudges went by
 * with no status update (not counting nudges while everyone who answers for the item was away),
 * whether or not the item's reminders were switched off. The ledger, not this function, makes
 * each key go out once.
 */
export function plannedSends(
  items: readonly ReminderItem[],
  assessed: Map<number, AssessedOccurrence[]>,
  asOf: Date,
  settings: ReminderSettings,
  zone: string,
  personal: PersonalPlanning = NO_PERSONAL_SETTINGS,
): PlannedSend[] {
  const oldest = asOf.getTime() - settings.catchUpDays * 86_400_000;
  const sends: PlannedSend[] = [];
  // Steps depend only on the due date and the zone, and thousands of occurrences share a month's end.
  const steps = new Map<string, Map<LocalDate, TimedStep | null>>();
  const latestStepFor = (occurrence: AssessedOccurrence, inZone: string) => {
    let byDate = steps.get(inZone);
    if (!byDate) steps.set(inZone, (byDate = new Map()));
    let step = byDate.get(occurrence.dueDate);
    if (step === undefined) byDate.set(occurrence.dueDate, (step = latestStepDueBy(occurrence, asOf, settings, inZone)));
    return step;
  };
  // Escalations ask for the first nudge's time of every overdue occurrence: once per due date.
  const nudgeTimes = new Map<string, Date>();
  const nudgeTime = (occurrence: AssessedOccurrence) => (number: number) => {
    const key = `${occurrence.dueDate} ${number}`;
    let at = nudgeTimes.get(key);
    if (!at) nudgeTimes.set(key, (at = nudgeAt(occurrence, number, settings, zone)));
    return at;
  };
  const zoneFor = (recipient: Recipient) => (recipient.kind === 'user' ? (personal.zoneOf(recipient.id) ?? zone) : zone);
  for (const item of items) {
    const open = (assessed.get(item.id) ?? []).filter((occurrence) => occurrence.state === 'overdue' || occurrence.state === 'upcoming');
    if (open.length === 0) continue;
    // "Reminders off" silences the item's leads, not the Taskforce: escalations still go.
    const recipients = item.remindersOff ? [] : presentRecipients(item, asOf, personal);
    for (const occurrence of open) {
      for (const { recipient, covering } of recipients) {
        const latest = latestStepFor(occurrence, zoneFor(recipient));
        if (!latest) continue;
        if (recipient.kind === 'user' && personal.frequencyOf(recipient.id) === 'weekly' && !(latest.step.kind === 'before' && latest.step.days === 0)) continue;
        const snooze = item.snoozes
          .filter((s) => s.recipient === recipientKey(recipient) && s.createdAt <= asOf)
          .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
        let chosen: { step: Step; sendAt: Date } | null = latest;
        if (snooze && latest.sendAt < snooze.until) {
          chosen = snooze.until <= asOf ? { step: { kind: 'after-snooze', until: snooze.until }, sendAt: snooze.until } : null;
        }
        if (!chosen || chosen.sendAt.getTime() < oldest) continue;
        sends.push({ key: sendKey(item, occurrence, chosen.step, recipient), item, occurrence, step: chosen.step, recipient, sendAt: chosen.sendAt, covering });
      }
      const latest = latestStepFor(occurrence, zone);
      const escalation = latest && escalationDue(item, occurrence, latest, settings, nudgeTime(occurrence), unattended(item, personal));
      if (escalation && escalation.sendAt.getTime() >= oldest) {
        sends.push({ key: sendKey(item, occurrence, { kind: 'escalation' }, null), item, occurrence, step: { kind: 'escalation' }, recipient: null, sendAt: escalation.sendAt, covering: [] });
      }
    }
  }
  return sends.sort((a, b) => a.sendAt.getTime() - b.sendAt.getTime() || a.key.localeCompare(b.key));
}

/**
 * Whether no one could answer for an item at an instant: everyone it goes to is a person, and each
 * was away then. Null when that can never be (a channel, a group, an unmapped lead, no absences).
 */
function unattended(item: ReminderItem, personal: PersonalPlanning): ((at: Date) => boolean) | null {
  if (item.recipients.length === 0 || item.recipients.some((recipient) => recipient.kind !== 'user')) return null;
  const absences = item.recipients.map((recipient) => personal.absencesOf((recipient as { id: string }).id));
  if (absences.some((list) => list.length === 0)) return null;
  return (at) => absences.every((list) => awayAt(list, at) !== null);
}

/**
 * Due with the nudge after the last unanswered one: no status update since the first nudge. A
 * nudge sent while everyone answering for the item was away is not held against it.
 */
function escalationDue(
  item: ReminderItem,
  occurrence: AssessedOccurrence,
  latest: TimedStep,
  settings: ReminderSettings,
  /** The send time of the occurrence's nudge of a number, in the plan's zone. */
  nudgeTime: (number: number) => Date,
  awayAt: ((at: Date) => boolean) | null,
): { sendAt: Date } | null {
  if (occurrence.state !== 'overdue' || latest.step.kind !== 'nudge' || latest.step.number <= settings.escalateAfterNudges) return null;
  let number = settings.escalateAfterNudges + 1;
  if (awayAt) {
    // Walked only for items whose every owner has been away at some time: few, and briefly.
    let counted = 0;
    for (number = 1; number <= latest.step.number && counted < settings.escalateAfterNudges; number++) {
      if (!awayAt(nudgeTime(number))) counted++;
    }
    if (counted < settings.escalateAfterNudges || number > latest.step.number) return null;
  }
  const firstNudge = nudgeTime(1);
  const answered = item.history.some((entry) => entry.source !== 'import' && entry.at >= firstNudge);
  return answered ? null : { sendAt: nudgeTime(number) };
}
