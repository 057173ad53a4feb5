import { DomainError } from '../domain/errors';
import type { Status } from '../domain/statuses';
import type { Taskforce } from './context';
import { checkMayUpdate, setReminders, updateStatus } from './items';

/** What a person can do from a reminder's line. */
export const REMINDER_VERBS = ['on-track', 'at-risk', 'off-track', 'blocked', 'done', 'snooze-1d', 'snooze-7d', 'off'] as const;
export type ReminderVerb = (typeof REMINDER_VERBS)[number];

export function isReminderVerb(value: unknown): value is ReminderVerb {
  return (REMINDER_VERBS as readonly unknown[]).includes(value);
}

export interface ReminderPress {
  userId: string;
  verb: ReminderVerb;
  ref: string;
  deadlineId: number;
  /**
   * Whom the reminder was for ("user:U123", "usergroup:S1"), as the bot recorded it when it sent
   * the message: never what the click says. Null where nobody can snooze (an escalation).
   */
  recipient: string | null;
  /** Slack's trigger id: a re-delivered click is applied once. */
  dedupeKey?: string;
}

export type ReminderAnswer =
  | { kind: 'status'; ref: string; status: Status; part: string | null }
  | { kind: 'snoozed'; ref: string; until: Date; already: boolean }
  | { kind: 'reminders-off'; ref: string };

/**
 * A press on a reminder line, from Slack or the console: the same permission as `/action` for
 * every verb (an owner of one of the item's leads, or an admin), and nothing written otherwise.
 */
export async function answerReminder(taskforce: Taskforce, press: ReminderPress): Promise<ReminderAnswer> {
  const { item } = await checkMayUpdate(taskforce, press.userId, press.ref);
  const milestone = item.milestones.find((m) => m.id === press.deadlineId);
  if (press.verb === 'off') {
    await setReminders(taskforce, press.userId, item.ref, false);
    return { kind: 'reminders-off', ref: item.ref };
  }
  if (press.verb === 'snooze-1d' || press.verb === 'snooze-7d') {
    if (!press.recipient) throw new DomainError('cannot-snooze', `This message cannot be snoozed. \`/action ${item.ref} reminders off\` stops reminders about ${item.ref}.`);
    return snooze(taskforce, item.id, item.ref, press.recipient, press.verb === 'snooze-7d' ? 7 : 1);
  }
  if (!milestone && item.milestones.length > 0) {
    throw new DomainError(
      'part-gone',
      `That deadline of ${item.ref} is no longer in the plan, so nothing was changed. \`/action ${item.ref}\` shows its deadlines now; \`/action ${item.ref} ${press.verb}\` sets the whole item.`,
    );
  }
  const result = await updateStatus(taskforce, { ref: item.ref, status: press.verb, text: '', userId: press.userId, source: 'button', deadlineId: press.deadlineId, dedupeKey: press.dedupeKey });
  return { kind: 'status', ref: item.ref, status: press.verb, part: result.part ? (result.part.part ?? result.part.words) : null };
}

/** "Remind me later": nothing about the item reaches that recipient until then; a repeat while it holds changes nothing. */
async function snooze(taskforce: Taskforce, itemId: number, ref: string, recipient: string, days: number): Promise<ReminderAnswer> {
  const now = taskforce.clock.now();
  const current = await taskforce.db.snooze.findFirst({ where: { itemId, recipient, until: { gt: now }, createdAt: { lte: now } }, orderBy: { until: 'desc' } });
  if (current) return { kind: 'snoozed', ref, until: current.until, already: true };
  const until = new Date(now.getTime() + days * 86_400_000);
  await taskforce.db.snooze.create({ data: { itemId, recipient, until, createdAt: now } });
  return { kind: 'snoozed', ref, until, already: false };
}
