import { recipientKey, type PlannedSend } from '../../domain/reminders';
import type { Status } from '../../domain/statuses';
import { daysBetween, dayjs, localDate } from '../../domain/time';
import type { OutgoingMessage } from '../../store/ledger';
import { actions, button, context, escape, firstLine, section, statusBadge } from './common';

export const REMINDER_ACTION = {
  status: 'reminder:status:',
  snoozeDay: 'reminder:snooze:1d',
  snoozeWeek: 'reminder:snooze:7d',
  off: 'reminder:off',
} as const;

/** What a reminder button needs to know: the item, and which deadline part the reminder is about. */
export interface ReminderButtonValue {
  ref: string;
  deadlineId: number;
  /** Who the reminder went to ("user:U123", "channel:C123"): a snooze silences that recipient. */
  recipient: string;
}

function when(send: PlannedSend, asOf: Date, timeZone: string): string {
  const due = dayjs(send.occurrence.dueDate).format('dddd D MMMM YYYY');
  const days = daysBetween(localDate(asOf, timeZone), send.occurrence.dueDate);
  if (days > 1) return `is due in ${days} days (${due})`;
  if (days === 1) return `is due tomorrow (${due})`;
  if (days === 0) return `is due today (${due})`;
  return `is ${-days} ${days === -1 ? 'day' : 'days'} overdue (it was due ${due})`;
}

/**
 * A reminder, a nudge or an escalation, as it goes out. Recipients that are people get a DM;
 * a channel-mapped lead gets its channel; user groups and unmapped leads are told in the
 * Taskforce channel. Returns null when it has nowhere to go.
 */
export function reminderMessage(send: PlannedSend, itemText: string, status: Status, asOf: Date, timeZone: string, taskforceChannel: string | null): OutgoingMessage | null {
  const { item, occurrence, recipient } = send;
  const part = occurrence.milestone.part ? ` (${escape(occurrence.milestone.part)})` : '';
  const subject = `*${item.ref}*${part} ${when(send, asOf, timeZone)}`;
  const metadata = { event_type: 'taskforce_notification', event_payload: { key: send.key } };
  const details = [
    section(`_${escape(firstLine(itemText, 300))}_`),
    context(`Deadline: ${escape(occurrence.milestone.words)} · Status: ${statusBadge(status)} · Leads: ${escape(item.leads.join(', '))}`),
  ];

  if (recipient === null) {
    if (!taskforceChannel) return null;
    const text = `:rotating_light: Escalation: ${subject}, and the nudges to its leads have gone unanswered.`;
    return { channel: taskforceChannel, text: plain(text), blocks: [section(text), ...details], metadata };
  }

  const value: ReminderButtonValue = { ref: item.ref, deadlineId: occurrence.milestone.id, recipient: recipientKey(recipient) };
  const buttons = actions(`reminder:${item.ref}`, [
    button('On track', `${REMINDER_ACTION.status}on-track`, JSON.stringify(value)),
    button('At risk', `${REMINDER_ACTION.status}at-risk`, JSON.stringify(value)),
    button('Off track', `${REMINDER_ACTION.status}off-track`, JSON.stringify(value)),
    button('Done', `${REMINDER_ACTION.status}done`, JSON.stringify(value), 'primary'),
    button('Snooze 1 day', REMINDER_ACTION.snoozeDay, JSON.stringify(value)),
    button('Snooze 1 week', REMINDER_ACTION.snoozeWeek, JSON.stringify(value)),
    button('Reminders off', REMINDER_ACTION.off, JSON.stringify(value), 'danger'),
  ]);
  const opening = send.step.kind === 'nudge' || occurrence.state === 'overdue' ? ':warning: Overdue:' : ':bell: Reminder:';

  switch (recipient.kind) {
    case 'user':
      return { channel: recipient.id, text: plain(`${opening} ${subject}`), blocks: [section(`${opening} ${subject}`), ...details, buttons], metadata };
    case 'channel':
      return { channel: recipient.id, text: plain(`${opening} ${subject}`), blocks: [section(`${opening} ${subject}`), ...details, buttons], metadata };
    case 'usergroup': {
      if (!taskforceChannel) return null;
      const text = `<!subteam^${recipient.id}> ${opening} ${subject}`;
      return { channel: taskforceChannel, text: plain(text), blocks: [section(text), ...details, buttons], metadata };
    }
    case 'unmapped': {
      if (!taskforceChannel) return null;
      const text = `${opening} ${subject}. *${escape(recipient.lead)}* has no Slack owner, so this comes here: an admin can map it with \`/lead ${recipient.lead} @someone\`.`;
      return { channel: taskforceChannel, text: plain(text), blocks: [section(text), ...details], metadata };
    }
  }
}

/** The notification text: mrkdwn emphasis dropped, emoji codes and mentions kept. */
function plain(mrkdwn: string): string {
  return mrkdwn.replace(/\*/g, '').replace(/(^|\s)_([^_]+)_/g, '$1$2');
}

/** What a reminder says once a button on it was used: the same reminder, its buttons replaced by what happened. */
export function reminderAnsweredBlocks(original: { blocks?: unknown[] } | undefined, outcome: string): { text: string; blocks: unknown[] } {
  const kept = (original?.blocks ?? []).filter((block) => (block as { type?: string }).type !== 'actions');
  return { text: plain(outcome), blocks: [...kept, context(outcome)] };
}
