import { createHash } from 'node:crypto';
import type { ChartData } from './charts';
import type { Digest, DigestThreadPart, DigestWindow } from './digest';
import { recipientKey, type PlannedSend } from './reminders';
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
  step: 'before' | 'nudge' | 'after-snooze' | 'escalation';
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
export type Audience = { kind: 'user' | 'channel' | 'usergroup'; id: string } | { kind: 'unmapped' } | { kind: 'escalation' };

export interface ReminderNotice {
  kind: 'reminders';
  audience: Audience;
  asOf: string;
  /** Most urgent first. */
  lines: ReminderLine[];
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
}

function audienceOf(send: PlannedSend): Audience {
  const recipient = send.recipient;
  if (recipient === null) return { kind: 'escalation' };
  return recipient.kind === 'unmapped' ? { kind: 'unmapped' } : { kind: recipient.kind, id: recipient.id };
}

function byUrgency(a: ReminderLine, b: ReminderLine): number {
  return URGENCIES.indexOf(a.urgency) - URGENCIES.indexOf(b.urgency) || a.daysToDue - b.daysToDue || a.ref.localeCompare(b.ref, 'en', { numeric: true }) || a.key.localeCompare(b.key);
}

/**
 * One message per audience for a sweep's reminders, nudges and escalations, most urgent first.
 * The message key is derived from the keys of its lines, so two copies of the bot making the same
 * message make the same key.
 */
export function reminderNotices(sends: readonly PlannedSend[], facts: ReadonlyMap<number, ItemFacts>, asOf: Date, timeZone: string): OutgoingNotice[] {
  const today = localDate(asOf, timeZone);
  const byAudience = new Map<string, { audience: Audience; lines: ReminderLine[] }>();
  for (const send of sends) {
    const audience = audienceOf(send);
    const key = audienceKey(audience);
    const item = facts.get(send.item.id) ?? { title: send.item.ref, status: 'not-started' as const, parts: null };
    const daysToDue = daysBetween(today, send.occurrence.dueDate);
    const group = byAudience.get(key) ?? { audience, lines: [] };
    group.lines.push({
      key: send.key,
      ref: send.item.ref,
      title: item.title,
      deadlineId: send.occurrence.milestone.id,
      part: send.occurrence.milestone.part,
      deadlineWords: send.occurrence.milestone.words,
      dueDate: send.occurrence.dueDate,
      daysToDue,
      urgency: urgencyOf(daysToDue),
      step: send.step.kind,
      status: item.status,
      parts: item.parts,
      leads: [...send.item.leads],
      unmappedLead: send.recipient?.kind === 'unmapped' ? send.recipient.lead : null,
    });
    byAudience.set(key, group);
  }
  return [...byAudience.values()].map(({ audience, lines }) => {
    lines.sort(byUrgency);
    return { key: messageKey(audience, lines), audience, notice: { kind: 'reminders', audience, asOf: asOf.toISOString(), lines } };
  });
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
