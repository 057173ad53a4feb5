import type { Server } from 'node:http';
import { App, LogLevel, type Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config, SlackConfig } from '../config';
import type { Clock } from '../domain/clock';
import type { Store } from '../store/client';
import { DomainError } from '../domain/errors';
import { postDigest } from '../jobs/digests';
import { slackSender } from '../jobs/sender';
import type { JobDeps } from '../jobs/sweep';
import type { Announcer, Directory, Publisher, Taskforce } from '../taskforce/context';
import { announcementText } from './blocks/announcements';
import { registerActions } from './listeners/actions';
import { registerCommands } from './listeners/commands';
import { registerEvents } from './listeners/events';
import { registerReminderActions } from './listeners/reminders';
import { registerViews } from './listeners/views';

export interface RunningSlackApp {
  app: App;
  taskforce: Taskforce;
  /** What the scheduler's sweeps need: the same database, clock and settings, and a sender. */
  jobs: JobDeps;
  /** HTTP mode: the port it listens on (useful when PORT is 0 in tests). */
  port: number | null;
  stop(): Promise<void>;
}

/** Posts to the Taskforce channel; a failure is logged and does not undo what was saved. */
export function channelAnnouncer(client: WebClient, channel: string | null, timeZone: string, logger: Logger): Announcer {
  return {
    async announce(announcement) {
      if (!channel) return;
      try {
        await client.chat.postMessage({ channel, text: announcementText(announcement, timeZone), unfurl_links: false });
      } catch (error) {
        logger.warn(`could not announce in ${channel}: ${(error as Error).message}`);
      }
    },
  };
}

export function slackDirectory(client: WebClient): Directory {
  return {
    async usergroupMembers(usergroup) {
      const result = await client.usergroups.users.list({ usergroup });
      return result.users ?? [];
    },
  };
}

/** Digests go through the ledger like every tracked send; files go straight to the channel. */
function slackPublisher(client: WebClient, jobs: JobDeps): Publisher {
  return {
    postDigest: async (meetingId) => (await postDigest(jobs, meetingId)).outcome,
    async publishFile(filename, content, title) {
      if (!jobs.channel) throw new DomainError('no-channel', 'There is no Taskforce channel to post to: set TASKFORCE_CHANNEL.');
      await client.filesUploadV2({ channel_id: jobs.channel, filename, content, title });
      return `in <#${jobs.channel}>`;
    },
  };
}

/** Answers 200 with whether the database is reachable: for load balancers and uptime checks. */
function healthRoute(store: Store) {
  return {
    path: '/healthz',
    method: ['GET'],
    handler: (_request: unknown, response: import('node:http').ServerResponse) => {
      store.db.$queryRawUnsafe('SELECT 1').then(
        () => send(200, { ok: true, database: 'reachable' }),
        () => send(503, { ok: false, database: 'unreachable' }),
      );
      function send(status: number, body: object) {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      }
    },
  };
}

function buildApp(slack: Exclude<SlackConfig, { mode: 'console' }>, store: Store, logLevel: LogLevel): App {
  // Calls to Slack fail fast here; what must be retried (reminders) is retried by the ledger.
  const clientOptions = { slackApiUrl: slack.apiUrl ?? undefined, retryConfig: { retries: 0 } };
  if (slack.mode === 'socket') {
    return new App({ token: slack.botToken, appToken: slack.appToken, socketMode: true, clientOptions, logLevel });
  }
  return new App({
    token: slack.botToken,
    signingSecret: slack.signingSecret,
    customRoutes: [healthRoute(store)],
    clientOptions,
    logLevel,
  });
}

/** The Bolt app in HTTP or Socket Mode, with every listener, started. */
export async function startSlackApp(
  config: Config & { slack: Exclude<SlackConfig, { mode: 'console' }> },
  store: Store,
  clock: Clock,
  options: { logLevel?: LogLevel } = {},
): Promise<RunningSlackApp> {
  const app = buildApp(config.slack, store, options.logLevel ?? LogLevel.INFO);
  const jobs: JobDeps = {
    db: store.db,
    clock,
    timeZone: config.timeZone,
    channel: config.channel,
    reminders: config.reminders,
    digest: config.digest,
    sender: slackSender(config.slack.botToken, config.slack.apiUrl),
    log: (line) => app.logger.info(line),
  };
  const taskforce: Taskforce = {
    db: store.db,
    clock,
    timeZone: config.timeZone,
    admins: new Set(config.admins),
    announcer: channelAnnouncer(app.client, config.channel, config.timeZone, app.logger),
    directory: slackDirectory(app.client),
    publisher: slackPublisher(app.client, jobs),
    quietDays: config.digest.quietDays,
  };
  registerCommands(app, taskforce);
  registerActions(app, taskforce);
  registerViews(app, taskforce);
  registerEvents(app, taskforce);
  registerReminderActions(app, taskforce);
  app.error(async (error) => {
    app.logger.error(error);
  });

  if (config.slack.mode === 'socket') {
    await app.start();
    return { app, taskforce, jobs, port: null, stop: () => app.stop() as Promise<void> };
  }
  const server = (await app.start(config.slack.port)) as Server;
  const address = server.address();
  return { app, taskforce, jobs, port: typeof address === 'object' && address ? address.port : config.slack.port, stop: () => app.stop() as Promise<void> };
}
