import type { App } from '@slack/bolt';
import { noteProblem } from '../../domain/commands';
import { DomainError } from '../../domain/errors';
import type { Taskforce } from '../../taskforce/context';
import { updateStatus } from '../../taskforce/items';
import { updatedBlocks } from '../blocks/items';
import { NOTE_BLOCK, NOTE_INPUT, STATUS_MODAL_CALLBACK, type StatusModalMetadata } from '../blocks/others';
import { FAILURE_REPLY } from '../answer';
import { responder } from '../respond';

export function registerViews(app: App, taskforce: Taskforce): void {
  // The note modal: save the update, then replace the message the button was on.
  app.view(STATUS_MODAL_CALLBACK, async ({ view, body, ack, logger }) => {
    const metadata = JSON.parse(view.private_metadata) as StatusModalMetadata;
    const note = view.state.values[NOTE_BLOCK]?.[NOTE_INPUT]?.value?.trim() ?? '';
    const problem = noteProblem(note);
    if (problem) {
      await ack({ response_action: 'errors', errors: { [NOTE_BLOCK]: problem } });
      return;
    }
    let result;
    try {
      result = await updateStatus(taskforce, { ref: metadata.ref, status: metadata.status, text: note, userId: body.user.id, source: 'button', dedupeKey: `view:${view.id}:${view.hash}` });
    } catch (error) {
      // Kept in the modal, with the note still in it, so nothing the person wrote is lost.
      const message = error instanceof DomainError ? error.message : FAILURE_REPLY.text;
      if (!(error instanceof DomainError)) logger.error('status update from the modal failed', error);
      await ack({ response_action: 'errors', errors: { [NOTE_BLOCK]: message.slice(0, 150) } });
      return;
    }
    await ack();
    if (metadata.responseUrl) {
      await responder(metadata.responseUrl)({ response_type: 'ephemeral', replace_original: true, ...updatedBlocks(result, taskforce.timeZone) });
    }
  });
}
