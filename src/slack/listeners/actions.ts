import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { parseCommand, readsOnly, SLASH_COMMANDS } from '../../domain/commands';
import { DomainError } from '../../domain/errors';
import { requireSettableStatus } from '../../domain/statuses';
import type { Taskforce } from '../../taskforce/context';
import { checkMayUpdate } from '../../taskforce/items';
import { answerCommand } from '../answer';
import { errorBlocks, statusModal } from '../blocks/others';
import { STATUS_ACTION_PREFIX } from '../blocks/items';
import { responder } from '../respond';
import type { WorkQueue } from '../work-queue';
import { DAMAGED_MESSAGE, readJson } from '../untrusted';
import { answerSafely } from './commands';

/** What a Previous / Next button carries (see paginate in blocks/common.ts). */
const pageRequest = z.object({ command: z.enum(SLASH_COMMANDS), text: z.string().max(4000).optional(), page: z.number().int().min(1).max(10_000).optional() });

export function registerActions(app: App, taskforce: Taskforce, queue: WorkQueue): void {
  // A status button on an item: ask for a note in a modal, if this person may update the item.
  app.action<BlockButtonAction>(new RegExp(`^${STATUS_ACTION_PREFIX}`), async ({ action, body, ack, client }) => {
    await ack();
    const respond = responder(body.response_url);
    try {
      const status = requireSettableStatus(action.action_id.slice(STATUS_ACTION_PREFIX.length));
      if (typeof action.value !== 'string') throw new DomainError('damaged', DAMAGED_MESSAGE);
      const view = await checkMayUpdate(taskforce, body.user.id, action.value);
      await client.views.open({
        trigger_id: body.trigger_id,
        view: statusModal({ ref: view.item.ref, status, responseUrl: body.response_url ?? null }, view.title),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      await respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(error.message) });
    }
  });

  // Previous / Next on a long list: the same command again, for another page, in place; it waits
  // in the commands' queue like the command itself.
  app.action<BlockButtonAction>(/^page:/, async ({ action, body, ack, logger }) => {
    await ack();
    const respond = responder(body.response_url);
    const request = readJson(action.value, pageRequest);
    // A page button re-runs a list; one that would change something was not made by the bot.
    if (!request || !readsOnly(parseCommand(request.command, request.text ?? ''))) {
      await respond({ response_type: 'ephemeral', replace_original: false, ...errorBlocks(DAMAGED_MESSAGE) });
      return;
    }
    await answerSafely(
      logger,
      respond,
      () => queue(body.user.id, () => answerCommand(taskforce, { command: request.command, text: request.text ?? '', userId: body.user.id, source: 'command', page: request.page })),
      true,
    );
  });
}
