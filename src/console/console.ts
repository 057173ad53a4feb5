import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { KnownBlock } from '@slack/types';
import { SLASH_COMMANDS, type SlashCommand } from '../domain/commands';
import path from 'node:path';
import { DomainError } from '../domain/errors';
import { postDigest, type DigestDeps } from '../jobs/digests';
import { reminderOutcomeText } from '../slack/blocks/reminders';
import { errorBlocks } from '../slack/blocks/others';
import { answerReminder, isReminderVerb, REMINDER_VERBS } from '../taskforce/reminders';
import type { PressBoard } from './sender';
import type { Announcer, Publisher, Taskforce } from '../taskforce/context';
import { dashboard } from '../taskforce/items';
import { answerCommand, FAILURE_REPLY } from '../slack/answer';
import { homeView } from '../slack/blocks/others';
import { context } from '../slack/blocks/common';
import { homeChart } from '../taskforce/charts';
import { announcementText } from '../slack/blocks/announcements';
import { mrkdwnToText, renderBlocks } from './render';
import { writeDrafts } from '../export/draft-file';
import { CONSOLE_CHARTS_DIR, writeChartFile } from '../charts/files';
import { nearestWord } from '../domain/suggest';
import { cut } from '../domain/text';

export const CONSOLE_USER = 'console';
/** The Taskforce channel's name in the console when TASKFORCE_CHANNEL is not set. */
export const CONSOLE_CHANNEL = 'taskforce';
const CONSOLE_COMMANDS = ['/as', '/press', '/home', '/quit', '/help'];

const CONSOLE_HELP = [
  'Type the slash commands you would type in Slack, e.g. /action 12, /action 12 on-track, /overdue.',
  `Commands: ${SLASH_COMMANDS.join(' ')} (each takes "help").`,
  'Console only: /as <user id> acts as a Slack user (e.g. /as U0123ABCD; /as console is the admin),',
  '              /press <n> <choice> presses a button on reminder line n (e.g. /press 2 done, /press 2 snooze-1d),',
  '              /home shows the App Home, /quit leaves.',
  'People are Slack ids here: /lead LGA @U0123ABCD (the console cannot look up names like @ann).',
].join('\n');

/** Shows in the terminal what the bot would post in the Taskforce channel. */
export function consoleAnnouncer(output: Writable, channel: string | null, timeZone: string): Announcer {
  return {
    announce: async (announcement) =>
      void output.write(`  [posted in ${channel ? `#${channel}` : 'the Taskforce channel'}] ${mrkdwnToText(announcementText(announcement, timeZone))}\n`),
  };
}

/**
 * In the console a digest is "posted" by printing it, through the same ledger as the scheduled
 * one (so it is not printed again); a report is written under ./reports.
 */
export function consolePublisher(jobs: DigestDeps, chartsDir: string = CONSOLE_CHARTS_DIR): Publisher {
  return {
    postDigest: async (meetingId) => (await postDigest(jobs, meetingId)).outcome,
    async publishFiles(files) {
      const written = writeDrafts(files.map(({ filename, content }) => ({ file: path.resolve('reports', filename), content })));
      return `written to ${written.map((file) => path.relative(process.cwd(), file)).join(', ')}`;
    },
    async publishChart(_userId, { chart, filename }) {
      return `written to ${writeChartFile(chartsDir, filename, chart.png)}`;
    },
  };
}

/** `/press 2 done`: a button on a printed reminder line, pressed as the current user. */
async function press(taskforce: Taskforce, board: PressBoard, user: string, text: string): Promise<string> {
  const [number, verb] = text.split(/\s+/);
  const line = board.lines.get(Number(number));
  if (!line) {
    return board.lines.size
      ? `There is no reminder line ${number || '(none given)'}: the lines printed so far are 1 to ${board.lines.size}.`
      : 'No reminder has been printed yet, so there is nothing to press.';
  }
  if (!isReminderVerb(verb)) return `Say what to press: /press ${number} ${REMINDER_VERBS.join('|')}`;
  try {
    const answer = await answerReminder(taskforce, { userId: user, verb, ref: line.ref, deadlineId: line.deadlineId, recipient: line.recipient });
    return mrkdwnToText(reminderOutcomeText(answer, `<@${user}>`, taskforce.timeZone));
  } catch (error) {
    if (error instanceof DomainError) return renderBlocks(errorBlocks(error.message).blocks);
    throw error;
  }
}

function nextPage(blocks: readonly KnownBlock[]): number | null {
  for (const block of blocks) {
    if (block.type !== 'actions') continue;
    for (const element of block.elements) {
      if ('action_id' in element && element.action_id === 'page:next' && 'value' in element && element.value) {
        return (JSON.parse(element.value) as { page: number }).page;
      }
    }
  }
  return null;
}

/**
 * The local console: a person types slash commands as a chosen user and reads the replies, and
 * what the bot would post in the channel, in the terminal. The same answers as in Slack.
 * Resolves when the input ends or the person types /quit.
 */
export async function runConsole(taskforce: Taskforce, input: Readable, output: Writable, log: (error: unknown) => void, board: PressBoard = { lines: new Map() }): Promise<void> {
  let user = CONSOLE_USER;
  const lines = readline.createInterface({ input, terminal: false });
  const say = (text: string) => output.write(`${text}\n`);
  const prompt = () => output.write(`\ntaskforce (${user})> `);

  say(`Taskforce console. ${CONSOLE_HELP}`);
  prompt();
  for await (const raw of lines) {
    const line = raw.trim();
    if (line === '') {
      prompt();
      continue;
    }
    const [word, ...rest] = line.split(/\s+/);
    const text = rest.join(' ');
    const name = word.toLowerCase();
    if (name === '/quit' || name === '/exit') break;
    if (name === '/help' || name === 'help') say(CONSOLE_HELP);
    else if (name === '/as') {
      const id = text.replace(/^@/, '');
      if (/^([UW][A-Z0-9]{2,}|console)$/.test(id)) {
        user = id;
        say(`Now acting as ${user}${taskforce.admins.has(user) ? ' (an admin)' : ''}.`);
      } else say('Give a Slack user id, e.g. /as U0123ABCD (or /as console for the admin).');
    } else if (name === '/press') {
      try {
        say(await press(taskforce, board, user, text));
      } catch (error) {
        log(error);
        say(renderBlocks(FAILURE_REPLY.blocks));
      }
    } else if (name === '/home') {
      try {
        const chart = await homeChart(taskforce, (drawn) => taskforce.publisher.publishChart(user, drawn));
        const top = chart ? [context(`📊 ${chart.title} — ${chart.ref}`)] : [];
        say(renderBlocks(homeView(await dashboard(taskforce, user), taskforce.timeZone, top).blocks as KnownBlock[]));
      } catch (error) {
        log(error);
        say(renderBlocks(FAILURE_REPLY.blocks));
      }
    } else if ((SLASH_COMMANDS as readonly string[]).includes(name)) {
      let page: number | null = 1;
      while (page !== null) {
        try {
          const reply = await answerCommand(taskforce, { command: name as SlashCommand, text, userId: user, source: 'console', page });
          say(renderBlocks(reply.blocks));
          page = nextPage(reply.blocks);
        } catch (error) {
          log(error);
          say(renderBlocks(FAILURE_REPLY.blocks));
          page = null;
        }
      }
    } else {
      // In Slack an unknown command cannot arrive; here a typo can, so say what was meant.
      const meant = nearestWord(name.startsWith('/') ? name : `/${name}`, [...SLASH_COMMANDS, ...CONSOLE_COMMANDS]);
      const suggestion = meant && (CONSOLE_COMMANDS.includes(meant) ? meant : cut(`${meant} ${text}`.trim(), 100));
      say(`There is no command ${cut(word, 30)}. ${suggestion ? `Did you mean ${suggestion}?` : CONSOLE_HELP}`);
    }
    prompt();
  }
  lines.close();
  say('Bye.');
}
