import { prepareStore } from './bootstrap';
import { ConfigError, readConfig, secretsOf, type Config } from './config';
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
import { createLog, lineLog, wantsJson, type Log } from './log';
import { countDatabaseErrors, countedSender, createMetrics, serveMetrics } from './metrics';

// Until the configuration is read: its level and secrets are not known yet.
let logger: Log = createLog({ level: 'info', json: wantsJson(), secrets: [] });
const log = (line: string) => logger.info(line);

async function main(): Promise<void> {
  const config: Config = readConfig();
  logger = createLog({ level: config.logLevel, json: wantsJson(), secrets: secretsOf(config) });
  const { store, clock, imported } = await prepareStore(config);
  const metrics = createMetrics({ db: store.db, now: () => clock.now() });
  const metricsServer = config.metricsPort === null ? null : await serveMetrics(metrics, config.metricsPort);
  if (metricsServer) log(`metrics: GET /metrics on port ${metricsServer.port}`);
  log(`database: ${store.location}${imported ? ` (new: imported ${imported.itemsCreated.length} items from plans/)` : ''}`);
  if (config.fixedNow) log(`clock fixed at ${config.fixedNow.toISOString()} (TASKFORCE_NOW)`);
  const meetingsIcs = config.calendars?.meetingsIcs;
  if (meetingsIcs) log(`meetings calendar: ${meetingsIcs.kind === 'file' ? `${meetingsIcs.path}, read at each sweep` : 'a URL, read at start and then hourly'}`);

  const slack = config.slack;
  if (slack.mode === 'console') {
    log('mode: console (no SLACK_BOT_TOKEN set): type slash commands below');
    const board = pressBoard();
    const db = countDatabaseErrors(store.db, metrics);
    const jobs: JobDeps = {
      db,
      clock,
      timeZone: config.timeZone,
      channel: config.channel ?? CONSOLE_CHANNEL,
      reminders: config.reminders,
      digest: config.digest,
      sender: countedSender(consoleSender(process.stdout, config.timeZone, board), metrics),
      log: lineLog(logger),
      meetingsCalendar: config.calendars?.meetingsIcs ? meetingsCalendar(config.calendars.meetingsIcs, db) : undefined,
    };
    const taskforce: Taskforce = {
      db,
      clock,
      timeZone: config.timeZone,
      admins: new Set([...config.admins, CONSOLE_USER]),
      announcer: consoleAnnouncer(process.stdout, config.channel, config.timeZone),
      directory: emptyDirectory,
      refusals: refusalLimiter(),
      publisher: consolePublisher(jobs),
      quietDays: config.digest.quietDays,
      reminders: config.reminders,
    };
    // The same sweeps as in Slack: what is due now is printed before the first prompt.
    const scheduler = startScheduler(jobs, { metrics, ledgerDays: config.ledgerDays });
    await scheduler.idle();
    await runConsole(taskforce, process.stdin, process.stdout, (error) => logger.error({ err: error }, 'command failed'), board);
    await scheduler.stop();
    await metricsServer?.stop();
    await store.close();
    return;
  }

  const running = await startSlackApp({ ...config, slack }, store, clock, { log: logger, metrics });
  const scheduler = startScheduler(running.jobs, { metrics, ledgerDays: config.ledgerDays });
  const stop = async () => {
    await running.stop();
    await scheduler.stop();
    await metricsServer?.stop();
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
  log(slack.mode === 'http' ? `mode: HTTP, listening on port ${running.port} (POST /slack/events, GET /healthz, GET /metrics, GET /calendar/<token>.ics${config.calendars?.publicUrl ? '' : ': feeds off, TASKFORCE_PUBLIC_URL not set'})` : 'mode: Socket Mode, connected');
}

// Before anything starts: an error no one caught is logged, never silently fatal (last-resort.ts).
const lastResort = installLastResort((line) => logger.error(line));

main().catch((error: unknown) => {
  const known = error instanceof ConfigError || error instanceof MigrationError || error instanceof PlanFileError || error instanceof DatabaseLocationError;
  // A known reason is one line of ours; anything else goes through the logger, which scrubs secrets.
  if (known) process.stderr.write(`taskforce-bot: ${(error as Error).message}\n`);
  else logger.fatal({ err: error }, 'taskforce-bot: failed to start');
  process.exit(1);
});
