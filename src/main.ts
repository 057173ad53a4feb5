import { prepareStore } from './bootstrap';
import { ConfigError, readConfig, type Config } from './config';
import { CONSOLE_CHANNEL, CONSOLE_USER, consoleAnnouncer, consolePublisher, runConsole } from './console/console';
import { consoleSender, pressBoard } from './console/sender';
import type { JobDeps } from './jobs/sweep';
import { DatabaseLocationError } from './store/database-url';
import { MigrationError } from './store/migrate';
import { PlanFileError } from './plans/plan-files';
import { startSlackApp } from './slack/app';
import { startScheduler } from './jobs/scheduler';
import { meetingsCalendar } from './jobs/meetings-calendar';
import { emptyDirectory, type Taskforce } from './taskforce/context';
import { refusalLimiter } from './taskforce/refusals';
import { installLastResort } from './last-resort';

function log(line: string): void {
  process.stderr.write(`${new Date().toISOString()} ${line}\n`);
}

async function main(): Promise<void> {
  const config: Config = readConfig();
  const { store, clock, imported } = await prepareStore(config);
  log(`database: ${store.location}${imported ? ` (new: imported ${imported.itemsCreated.length} items from plans/)` : ''}`);
  if (config.fixedNow) log(`clock fixed at ${config.fixedNow.toISOString()} (TASKFORCE_NOW)`);
  const meetingsIcs = config.calendars?.meetingsIcs;
  if (meetingsIcs) log(`meetings calendar: ${meetingsIcs.kind === 'file' ? `${meetingsIcs.path}, read at each sweep` : 'a URL, read at start and then hourly'}`);

  const slack = config.slack;
  if (slack.mode === 'console') {
    log('mode: console (no SLACK_BOT_TOKEN set): type slash commands below');
    const board = pressBoard();
    const jobs: JobDeps = {
      db: store.db,
      clock,
      timeZone: config.timeZone,
      channel: config.channel ?? CONSOLE_CHANNEL,
      reminders: config.reminders,
      digest: config.digest,
      sender: consoleSender(process.stdout, config.timeZone, board),
      log,
      meetingsCalendar: config.calendars?.meetingsIcs ? meetingsCalendar(config.calendars.meetingsIcs, store.db) : undefined,
    };
    const taskforce: Taskforce = {
      db: store.db,
      clock,
      timeZone: config.timeZone,
      admins: new Set([...config.admins, CONSOLE_USER]),
      announcer: consoleAnnouncer(process.stdout, config.channel, config.timeZone),
      directory: emptyDirectory,
      refusals: refusalLimiter(),
      publisher: consolePublisher(jobs),
      quietDays: config.digest.quietDays,
    };
    // The same sweeps as in Slack: what is due now is printed before the first prompt.
    const scheduler = startScheduler(jobs);
    await scheduler.idle();
    await runConsole(taskforce, process.stdin, process.stdout, (error) => log(`error: ${(error as Error)?.stack ?? error}`), board);
    await scheduler.stop();
    await store.close();
    return;
  }

  const running = await startSlackApp({ ...config, slack }, store, clock);
  const scheduler = startScheduler({ ...running.jobs, log });
  const stop = async () => {
    await running.stop();
    await scheduler.stop();
    await store.close();
  };
  lastResort.stopWith(stop);
  const shutdown = async (signal: string) => {
    log(`${signal}: stopping`);
    await stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // Last, so that "listening" means ready to be stopped cleanly too.
  log(slack.mode === 'http' ? `mode: HTTP, listening on port ${running.port} (POST /slack/events, GET /healthz, GET /calendar/<token>.ics${config.calendars?.publicUrl ? '' : ': feeds off, TASKFORCE_PUBLIC_URL not set'})` : 'mode: Socket Mode, connected');
}

// Before anything starts: an error no one caught is logged, never silently fatal (last-resort.ts).
const lastResort = installLastResort(log);

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MigrationError || error instanceof PlanFileError || error instanceof DatabaseLocationError;
  process.stderr.write(`taskforce-bot: ${known ? (error as Error).message : `failed to start\n${(error as Error)?.stack ?? error}`}\n`);
  process.exit(1);
});
