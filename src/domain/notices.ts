import { createHash } from 'node:crypto';
import type { ChartData } from './charts';
import type { Digest, DigestThreadPart, DigestWindow } from './digest';
import type { AssessedOccurrence } from './deadlines';
import { absenceEnd, type Absence } from './personal';
import { recipientKey, type PlannedSend, type ReminderItem } from './reminders';
import type { Status } from './statuses';
import { daysBetween, localDate, type LocalDate } from './time';

/**
 * What the bot tells people, as plain values: the sweep decides what goes to whom, and keeps the
 * value in the send ledger; each front end words it (Slack as Block Kit, the console as text).
 * Dates are ISO strings so that a notice reads back from the ledger exactly as it was claimed.
 */
export type Notice = ReminderNotice | DigestSummaryNotice | DigestThreadNotice | DigestChartNotice;

/** How pressing a line is: the order a reminder lists them in. */
export type Urgency = 'overdue' | 'today' | 'this-week' | 'coming-up';
export const URGENCIES: readonly Urgency[] = ['overdue', 'today', 'this-week', 'coming-up'];

export interface ReminderLine {
  /** The reminder's own key in the ledger: each line is sent once, in one message. */
  key: string;
  ref: string;
  title: string;
  deadlineId: number;
  /** The deadline part ("commission"), when the item has several. */
  part: string | null;
  deadlineWords: string;
  dueDate: LocalDate;
  /** Days from the sweep's local date to the due date: negative once overdue. */
  daysToDue: number;
  urgency: Urgency;
  /** 'summary': an open deadline a weekly or "while you were away" summary lists besides the reminders due. */
  step: 'before' | 'nudge' | 'after-snooze' | 'escalation' | 'summary';
  status: Status;
  /** "2 of 3 parts done", for items of several one-off parts. */
  parts: { done: number; total: number } | null;
  leads: string[];
  /** For a lead with no Slack owner: which lead the line is there for. */
  unmappedLead: string | null;
}

/**
 * Who a message is for. A user is sent a DM; a lead's channel its channel; a user group is
 * mentioned in the Taskforce channel; unmapped leads and escalations go to the Taskforce channel.
 */
export type Audience = { kind: 'user' | 'channel' | 'usergroup' | 'away'; id: string } | { kind: 'unmapped' } | { kind: 'escalation' };

/** Someone away, as a message says it: "<@U…> is away until 5 Jun 2017 — at a conference". */
export interface AwayNote {
  userId: string;
  /** When they are back (ISO instant); null while their Slack status says away with no end. */
  until: string | null;
  /** The day they gave with /away, when they gave one. */
  untilDate: LocalDate | null;
  note: string | null;
}

/** A summary: the Monday one (`/reminders weekly`), or the one on someone's return. */
export type Summary = { kind: 'weekly'; weekOf: LocalDate } | { kind: 'welcome'; since: string };

export interface ReminderNotice {
  kind: 'reminders';
  audience: Audience;
  asOf: string;
  /** Most urgent first. */
  lines: ReminderLine[];
  /** People away whose reminders these are, or who share them with this audience. */
  away?: AwayNote[];
  summary?: Summary;
}

export interface DigestSummaryNotice {
  kind: 'digest-summary';
  digest: Digest;
}

export interface DigestThreadNotice {
  kind: 'digest-thread';
  meetingAt: string;
  window: DigestWindow;
  part: DigestThreadPart;
}

/** A chart in the digest's thread: its numbers, fixed when the digest was claimed; drawn at each attempt. */
export interface DigestChartNotice {
  kind: 'digest-chart';
  meetingAt: string;
  chart: ChartData;
}

export function audienceKey(audience: Audience): string {
  return audience.kind === 'unmapped' || audience.kind === 'escalation' ? audience.kind : `${audience.kind}:${audience.id}`;
}

export function urgencyOf(daysToDue: number): Urgency {
  if (daysToDue < 0) return 'overdue';
  if (daysToDue === 0) return 'today';
  return daysToDue <= 7 ? 'this-week' : 'coming-up';
}

/** What a reminder says of an item besides its deadline: its words, status and progress. */
export interface ItemFacts {
  title: string;
  status: Status;
  parts: { done: number; total: number } | null;
}

export interface OutgoingNotice {
  /** The message's key in the ledger; its lines keep keys of their own. */
  key: string;
  audience: Audience;
  notice: ReminderNotice;
  /** Other keys this message settles (a weekly summary that a "welcome back" one stands for). */
  settles?: string[];
}

function audienceOf(send: PlannedSend): Audience {
  const recipient = send.recipient;
  if (recipient === null) return { kind: 'escalation' };
  return recipient.kind === 'unmapped' ? { kind: 'unmapped' } : { kind: recipient.kind, id: recipient.id };
}

export function awayNote(absence: Absence): AwayNote {
  const end = absenceEnd(absence);
  return { userId: absence.userId, until: end ? end.toISOString() : null, untilDate: absence.until && end && end >= absence.until ? absence.untilDate : null, note: absence.note };
}

/** One line of a message: an occurrence of an item's deadline, as of the sweep's local date. */
function lineFor(key: string, item: ReminderItem, occurrence: AssessedOccurrence, step: ReminderLine['step'], unmappedLead: string | null, facts: ReadonlyMap<number, ItemFacts>, today: LocalDate): ReminderLine {
  const known = facts.get(item.id) ?? { title: item.ref, status: 'not-started' as const, parts: null };
  const daysToDue = daysBetween(today, occurrence.dueDate);
  return {
    key,
    ref: item.ref,
    title: known.title,
    deadlineId: occurrence.milestone.id,
    part: occurrence.milestone.part,
    deadlineWords: occurrence.milestone.words,
    dueDate: occurrence.dueDate,
    daysToDue,
    urgency: urgencyOf(daysToDue),
    step,
    status: known.status,
    parts: known.parts,
    leads: [...item.leads],
    unmappedLead,
  };
}

// What localeCompare(b, 'en', { numeric: true }) and localeCompare(b) do, made once: localeCompare
// with options builds a collator per call, and sorting a first sweep's 4,000 lines took 0.35 s so.
const refOrder = new Intl.Collator('en', { numeric: true }).compare;
const keyOrder = new Intl.Collator().compare;

function byUrgency(a: ReminderLine, b: ReminderLine): number {
  return URGENCIES.indexOf(a.urgency) - URGENCIES.indexOf(b.urgency) || a.daysToDue - b.daysToDue || refOrder(a.ref, b.ref) || keyOrder(a.key, b.key);
}

/**
 * One message per audience for a sweep's reminders, nudges and escalations, most urgent first.
 * The message key is derived from the keys of its lines, so two copies of the bot making the same
 * message make the same key.
 */
export function reminderNotices(sends: readonly PlannedSend[], facts: ReadonlyMap<number, ItemFacts>, asOf: Date, timeZone: string): OutgoingNotice[] {
  const today = localDate(asOf, timeZone);
  const byAudience = new Map<string, { audience: Audience; lines: ReminderLine[]; away: Map<number, Absence> }>();
  for (const send of sends) {
    const audience = audienceOf(send);
    const key = audienceKey(audience);
    const group = byAudience.get(key) ?? { audience, lines: [], away: new Map<number, Absence>() };
    group.lines.push(lineFor(send.key, send.item, send.occurrence, send.step.kind, send.recipient?.kind === 'unmapped' ? send.recipient.lead : null, facts, today));
    for (const absence of send.covering ?? []) group.away.set(absence.id, absence);
    byAudience.set(key, group);
  }
  return [...byAudience.values()].map(({ audience, lines, away }) => {
    lines.sort(byUrgency);
    const notes = [...away.values()].sort((a, b) => a.userId.localeCompare(b.userId)).map(awayNote);
    return { key: messageKey(audience, lines), audience, notice: { kind: 'reminders', audience, asOf: asOf.toISOString(), lines, ...(notes.length ? { away: notes } : {}) } };
  });
}

/** An open deadline a summary lists: an occurrence of one of the person's items. */
export interface OpenDeadline {
  item: ReminderItem;
  occurrence: AssessedOccurrence;
}

/**
 * A summary for one person (weekly, or on their return): the reminders due to them in this sweep,
 * each under its own key (so it is not sent again on its own), and every other open deadline they
 * answer for, under the summary's. Its key is fixed by whom and which week or absence, so that it
 * goes once whatever lines it ends up with.
 */
export function summaryNotice(
  key: string,
  userId: string,
  summary: Summary,
  due: readonly PlannedSend[],
  open: readonly OpenDeadline[],
  facts: ReadonlyMap<number, ItemFacts>,
  asOf: Date,
  timeZone: string,
  covering: readonly Absence[] = [],
): OutgoingNotice {
  const today = localDate(asOf, timeZone);
  const audience: Audience = { kind: 'user', id: userId };
  const lines = due.map((send) => lineFor(send.key, send.item, send.occurrence, send.step.kind, null, facts, today));
  const listed = new Set(due.map((send) => `${send.item.id}:${send.occurrence.milestone.id}:${send.occurrence.key}`));
  for (const { item, occurrence } of open) {
    const which = `${item.id}:${occurrence.milestone.id}:${occurrence.key}`;
    if (listed.has(which)) continue;
    listed.add(which);
    lines.push(lineFor(`${key}:${which}`, item, occurrence, 'summary', null, facts, today));
  }
  lines.sort(byUrgency);
  const notes = [...new Map(covering.map((absence) => [absence.id, absence])).values()].map(awayNote);
  return { key, audience, notice: { kind: 'reminders', audience, asOf: asOf.toISOString(), lines, summary, ...(notes.length ? { away: notes } : {}) } };
}

/** A message's key, from its audience and the keys of its lines. */
export function messageKey(audience: Audience, lines: readonly { key: string }[]): string {
  const digest = createHash('sha256').update(lines.map((line) => line.key).sort().join('\n')).digest('hex').slice(0, 20);
  return `reminders:${audienceKey(audience)}:${digest}`;
}

/** The recipient a snooze from this audience silences ("user:U123"); null where nobody can snooze. */
export function snoozeRecipient(audience: Audience): string | null {
  return audience.kind === 'user' || audience.kind === 'channel' || audience.kind === 'usergroup' ? recipientKey(audience) : null;
}
