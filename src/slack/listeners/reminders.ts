import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { DomainError } from '../../domain/errors';
import { isStatus } from '../../domain/statuses';
import type { Taskforce } from '../../taskforce/context';
import { setReminders, snooze, updateStatus } from '../../taskforce/items';
import { errorBlocks } from '../blocks/others';
import { formatInstant, STATUS_LABEL } from '../blocks/common';
import { responder } from '../respond';
import { REMINDER_ACTION, reminderAnsweredBlocks } from '../blocks/reminders';
import { DAMAGED_MESSAGE, readJson } from '../untrusted';

/** What a reminder's buttons carry (ReminderButtonValue), checked: a signed request can carry anything. */
const buttonValue = z.object({ ref: z.string().max(64), deadlineId: z.number().int(), recipient: z.string().max(200) });

/** The buttons on a reminder: record a status, snooze, or switch reminders off; the reminder updates in place. */
export function registerReminderActions(app: App, taskforce: Taskforce): void {
  app.action<BlockButtonAction>(/^reminder:/, async ({ action, body, ack }) => {
    await ack();
    const respond = responder(body.response_url);
    const value = readJson(action.value, buttonValue);
    if (!value) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(DAMAGED_MESSAGE) });
      return;
    }
    const user = body.user.id;
    let outcome: string;
    try {
      if (action.action_id.startsWith(REMINDER_ACTION.status)) {
        const status = action.action_id.slice(REMINDER_ACTION.status.length);
        if (!isStatus(status)) return;
        const result = await updateStatus(taskforce, { ref: value.ref, status, text: '', userId: user, source: 'button', deadlineId: value.deadlineId, dedupeKey: `action:${body.trigger_id}` });
        outcome = result.part
          ? `:white_check_mark: <@${user}> marked “${result.part.part ?? result.part.words}” done.`
          : `:white_check_mark: <@${user}> set ${value.ref} to ${STATUS_LABEL[status]}.`;
      } else if (action.action_id === REMINDER_ACTION.off) {
        await setReminders(taskforce, user, value.ref, false);
        outcome = `:no_bell: <@${user}> switched reminders about ${value.ref} off. \`/action ${value.ref} reminders on\` brings them back.`;
      } else {
        const days = action.action_id === REMINDER_ACTION.snoozeWeek ? 7 : 1;
        const until = await snooze(taskforce, value.ref, value.recipient, days, { userId: user, channelId: body.channel?.id ?? null });
        outcome = `:zzz: Snoozed by <@${user}> until ${formatInstant(until, taskforce.timeZone)}.`;
      }
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(error.message) });
      return;
    }
    await respond({ replace_original: true, ...(reminderAnsweredBlocks(body.message as { blocks?: unknown[] } | undefined, outcome) as { text: string; blocks: never[] }) });
  });
}
