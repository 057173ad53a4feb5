import type { Writable } from 'node:stream';
import type { KnownBlock } from '@slack/types';
import { snoozeRecipient, type Notice, type ReminderLine } from '../domain/notices';
import type { Sender } from '../jobs/sender';
import { noticeReply } from '../slack/blocks/notices';
import { REMINDER_VERBS } from '../taskforce/reminders';
import { renderBlocks } from './render';
import { renderChart } from '../charts/render';
import { CONSOLE_CHARTS_DIR, trackedFileName, writeChartFile } from '../charts/files';

/** A reminder line printed in the console, by its number: what `/press <n> <verb>` acts on. */
export interface Pressable {
  ref: string;
  deadlineId: number;
  recipient: string | null;
}

export interface PressBoard {
  lines: Map<number, Pressable>;
}

export function pressBoard(): PressBoard {
  return { lines: new Map() };
}

/** Where a message would go, as the console says it. */
function destination(channel: string, notice: Notice): string {
  if (/^[UW]/.test(channel)) return `DM to @${channel}`;
  return notice.kind === 'reminders' && notice.audience.kind === 'usergroup' ? `posted in #${channel}, mentioning @group:${notice.audience.id}` : `posted in #${channel}`;
}

/**
 * The console's sender: the sweep's reminders and digests are printed as each person and the
 * Taskforce channel would receive them, worded as in Slack, and recorded in the ledger like any
 * send (so a restarted console does not print them again). Reminder buttons get a number to press.
 */
export function consoleSender(output: Writable, timeZone: string, board: PressBoard, chartsDir: string = CONSOLE_CHARTS_DIR): Sender {
  let sent = 0;
  const session = Date.now();
  return {
    async send(message) {
      const reply = noticeReply(message.notice, timeZone);
      const notice = message.notice;
      const numbers = new Map<string, number>();
      if (notice.kind === 'reminders') {
        notice.lines.forEach((line: ReminderLine, index) => {
          const number = board.lines.size + 1;
          board.lines.set(number, { ref: line.ref, deadlineId: line.deadlineId, recipient: snoozeRecipient(notice.audience) });
          numbers.set(`reminder-line:${index}`, number);
        });
      }
      const where = `${destination(message.channel, notice)}${message.threadTs ? ', in the thread' : ''}`;
      const text = renderBlocks(reply.blocks as KnownBlock[], {
        pressShortcut: (blockId) => (numbers.has(blockId) ? `/press ${numbers.get(blockId)} ${REMINDER_VERBS.join('|')}` : null),
      });
      // A chart is a picture: written to a file, whose path is printed under its title.
      const file = notice.kind === 'digest-chart' ? `  written to ${writeChartFile(chartsDir, trackedFileName(message.key), renderChart(notice.chart, timeZone).png)}\n` : '';
      output.write(`\n  [${where}]\n${text}\n${file}`);
      return { ok: true, ts: `console.${session}.${++sent}` };
    },
    async findSent() {
      return null;
    },
  };
}
