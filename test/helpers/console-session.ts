import { PassThrough, type Writable } from 'node:stream';
import type { Clock } from '../../src/domain/clock';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { CONSOLE_CHANNEL, runConsole } from '../../src/console/console';
import { consoleSender, pressBoard, type PressBoard } from '../../src/console/sender';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import type { JobDeps } from '../../src/jobs/sweep';
import type { Db } from '../../src/store/client';
import type { Taskforce } from '../../src/taskforce/context';
import { TIME_ZONE } from './store';

/** Types lines into the console and collects everything it prints. */
export async function session(taskforce: Taskforce, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => (printed += chunk));
  const done = runConsole(taskforce, input, output, (error) => {
    throw error;
  });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

/** What the console's sweeps and digests need, printing to `output` as the console does. */
export function consoleJobs(output: Writable, db: Db, clock: Clock, board: PressBoard = pressBoard()): JobDeps {
  return {
    db,
    clock,
    timeZone: TIME_ZONE,
    channel: CONSOLE_CHANNEL,
    reminders: DEFAULT_REMINDER_SETTINGS,
    digest: DEFAULT_DIGEST_SCHEDULE,
    sender: consoleSender(output, TIME_ZONE, board),
    log: () => undefined,
  };
}
