import type { App, BlockAction, BlockElementAction } from '@slack/bolt';
import { DomainError } from '../../domain/errors';
import { snoozeRecipient, type ReminderNotice } from '../../domain/notices';
import { sentMessageAt } from '../../store/ledger';
import type { Taskforce } from '../../taskforce/context';
import { answerReminder } from '../../taskforce/reminders';
import { errorBlocks } from '../blocks/others';
import { reminderAnsweredBlocks, readReminderAction, reminderOutcomeText } from '../blocks/reminders';
import { responder } from '../respond';

/** What the clicked element carries: a button's value, or the chosen option of the ⋯ menu. */
function valueOf(action: BlockElementAction): string | undefined {
  if (action.type === 'button') return action.value;
  if (action.type === 'overflow') return action.selected_option?.value;
  return undefined;
}

/**
 * The buttons on a reminder line: a status, snooze, or reminders off. Whom the reminder was for
 * comes from the bot's own record of the message (by its ts), never from the click; the line must
 * be one the message carries. The line updates in place; a refusal is told to the clicker alone.
 */
export function registerReminderActions(app: App, taskforce: Taskforce): void {
  app.action<BlockAction>(/^reminder:/, async ({ action, body, ack }) => {
    await ack();
    const respond = responder(body.response_url);
    const refuse = (message: string) => respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(message) });
    const press = readReminderAction(action.action_id, valueOf(action));
    const sent = body.message?.ts ? await sentMessageAt(taskforce.db, body.message.ts) : null;
    // Its row pruned (TASKFORCE_LEDGER_DAYS): nothing says whom it was for, so nothing is changed.
    if (press && !sent) {
      await refuse(`That reminder is older than the bot keeps its records of reminders, so nothing was changed. \`/action ${press.ref}\` shows the item and its buttons now.`);
      return;
    }
    const notice = sent?.message.notice.kind === 'reminders' ? (sent.message.notice as ReminderNotice) : null;
    if (!press || !notice || !notice.lines.some((line) => line.ref === press.ref && line.deadlineId === press.deadlineId)) {
      await refuse('That button is not one the bot sent, so nothing was changed. `/action <ref>` shows an item and its buttons.');
      return;
    }
    let outcome: string;
    try {
      const answer = await answerReminder(taskforce, {
        userId: body.user.id,
        verb: press.verb,
        ref: press.ref,
        deadlineId: press.deadlineId,
        recipient: snoozeRecipient(notice.audience),
        dedupeKey: `action:${body.trigger_id}`,
      });
      outcome = reminderOutcomeText(answer, `<@${body.user.id}>`, taskforce.timeZone);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await refuse(error.message);
      return;
    }
    await respond({ replace_original: true, ...(reminderAnsweredBlocks(body.message as { blocks?: unknown[]; text?: string }, press.line, outcome) as { text: string; blocks: never[] }) });
  });
}
