import type { App, Logger } from '@slack/bolt';
import { SLASH_COMMANDS, type SlashCommand } from '../../domain/commands';
import { unescapeSlack } from '../../domain/text';
import type { Taskforce } from '../../taskforce/context';
import { answerCommand, FAILURE_REPLY } from '../answer';
import { responder, type Respond } from '../respond';
import { workQueue, type WorkQueue } from '../work-queue';
import { noteOutcome } from '../../metrics';

/** At most this many commands are carried out at once; the rest wait, already acknowledged. */
const COMMANDS_AT_ONCE = 4;
/** … and at most this many of one person's, so that one person cannot delay everyone else. */
const ONE_PERSONS_AT_ONCE = 1;

/** The one queue that slash commands and the paging buttons (which run a command again) share. */
export function commandQueue(): WorkQueue {
  return workQueue(COMMANDS_AT_ONCE, ONE_PERSONS_AT_ONCE);
}

/** Matches the name of every slash command the bot has. */
const ANY_SLASH_COMMAND = new RegExp(`^(${SLASH_COMMANDS.join('|')})$`);

/**
 * Every slash command: acknowledge at once, then answer ephemerally through the response_url.
 * One listener for all of them: Bolt runs every listener's middleware on every request it gets,
 * and that was the largest share of what a command left for the garbage collector.
 */
export function registerCommands(app: App, taskforce: Taskforce, queue: WorkQueue): void {
  app.command(ANY_SLASH_COMMAND, async ({ command, ack, logger }) => {
    await ack();
    const name = command.command as SlashCommand;
    await answerSafely(logger, responder(command.response_url), () =>
      queue(command.user_id, () => answerCommand(taskforce, { command: name, text: unescapeSlack(command.text ?? ''), userId: command.user_id, source: 'command', dedupeKey: `command:${command.trigger_id}` })),
    );
  });
}

/**
 * Sends the answer; when carrying the command out failed (not the person's mistake: the database,
 * a bug), says so kindly, then lets the error reach the global handler and the log.
 */
export async function answerSafely(
  logger: Logger,
  respond: Respond,
  answer: () => Promise<{ text: string; blocks: unknown[] }>,
  replaceOriginal = false,
): Promise<void> {
  let reply;
  try {
    reply = await answer();
  } catch (error) {
    logger.error('command failed', error);
    noteOutcome('failed');
    await respond({ response_type: 'ephemeral', replace_original: false, ...FAILURE_REPLY });
    return;
  }
  await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, ...reply });
}
