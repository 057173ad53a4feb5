import type { App, BlockButtonAction } from '@slack/bolt';
import { SLASH_COMMANDS, type SlashCommand } from '../../domain/commands';
import { DomainError } from '../../domain/errors';
import { isStatus } from '../../domain/statuses';
import type { Taskforce } from '../../taskforce/context';
import { checkMayUpdate } from '../../taskforce/items';
import { answerCommand } from '../answer';
import { errorBlocks, statusModal } from '../blocks/others';
import { STATUS_ACTION_PREFIX } from '../blocks/items';
import { responder } from '../respond';
import { answerSafely } from './commands';

export function registerActions(app: App, taskforce: Taskforce): void {
  // A status button on an item: ask for a note in a modal, if this person may update the item.
  app.action<BlockButtonAction>(new RegExp(`^${STATUS_ACTION_PREFIX}`), async ({ action, body, ack, client }) => {
    await ack();
    const status = action.action_id.slice(STATUS_ACTION_PREFIX.length);
    const ref = action.value ?? '';
    if (!isStatus(status)) return;
    try {
      const view = await checkMayUpdate(taskforce, body.user.id, ref);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: statusModal({ ref: view.item.ref, status, responseUrl: body.response_url ?? null }, view.title),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await responder(body.response_url)({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(error.message) });
    }
  });

  // Previous / Next on a long list: the same command again, for another page, in place.
  app.action<BlockButtonAction>(/^page:/, async ({ action, body, ack, logger }) => {
    await ack();
    const request = JSON.parse(action.value ?? '{}') as { command?: string; text?: string; page?: number };
    if (!SLASH_COMMANDS.includes(request.command as SlashCommand)) return;
    await answerSafely(
      logger,
      responder(body.response_url),
      () => answerCommand(taskforce, { command: request.command as SlashCommand, text: request.text ?? '', userId: body.user.id, source: 'command', page: request.page }),
      true,
    );
  });
}
