import type { App } from '@slack/bolt';
import { z } from 'zod';
import { noteProblem } from '../../domain/commands';
import { DomainError } from '../../domain/errors';
import { requireSettableStatus } from '../../domain/statuses';
import type { Taskforce } from '../../taskforce/context';
import { updateStatus } from '../../taskforce/items';
import { updatedBlocks } from '../blocks/items';
import { NOTE_BLOCK, NOTE_INPUT, STATUS_MODAL_CALLBACK } from '../blocks/others';
import { FAILURE_REPLY } from '../answer';
import { responder } from '../respond';
import { DAMAGED_MESSAGE, readJson } from '../untrusted';

/** What statusModal puts in private_metadata; the status is checked by the service, not here. */
const modalMetadata = z.object({ ref: z.string().max(64), status: z.string(), responseUrl: z.string().nullable() });

export function registerViews(app: App, taskforce: Taskforce): void {
  // The note modal: save the update, then replace the message the button was on.
  app.view(STATUS_MODAL_CALLBACK, async ({ view, body, ack, logger }) => {
    const refuse = (message: string) => ack({ response_action: 'errors', errors: { [NOTE_BLOCK]: message.slice(0, 150) } });
    const metadata = readJson(view.private_metadata, modalMetadata);
    if (!metadata) {
      await refuse(DAMAGED_MESSAGE);
      return;
    }
    const typed = view.state?.values?.[NOTE_BLOCK]?.[NOTE_INPUT]?.value;
    const note = typeof typed === 'string' ? typed.trim() : '';
    const problem = noteProblem(note);
    if (problem) {
      await refuse(problem);
      return;
    }
    let result;
    try {
      const status = requireSettableStatus(metadata.status);
      result = await updateStatus(taskforce, { ref: metadata.ref, status, text: note, userId: body.user.id, source: 'button', dedupeKey: `view:${view.id}:${view.hash}` });
    } catch (error) {
      // Kept in the modal, with the note still in it, so nothing the person wrote is lost.
      if (!(error instanceof DomainError)) logger.error('status update from the modal failed', error);
      await refuse(error instanceof DomainError ? error.message : FAILURE_REPLY.text);
      return;
    }
    await ack();
    if (metadata.responseUrl) {
      await responder(metadata.responseUrl)({ response_type: 'ephemeral', replace_original: true, ...updatedBlocks(result, taskforce.timeZone) });
    }
  });
}
