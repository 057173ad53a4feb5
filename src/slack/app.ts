import http from 'node:http';
import { App, HTTPReceiver, LogLevel, type Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { Config, SlackConfig } from '../config';
import type { Clock } from '../domain/clock';
import type { Store } from '../store/client';
import { DomainError } from '../domain/errors';
import { postDigest } from '../jobs/digests';
import { slackSender } from './sender';
import { uploadPng } from './files';
import { slackAltText } from './blocks/charts';
import type { JobDeps } from '../jobs/sweep';
import type { Announcer, Publisher, Taskforce } from '../taskforce/context';
import { refusalLimiter } from '../taskforce/refusals';
import { slackDirectory } from './directory';
import { announcementText } from './blocks/announcements';
import { registerActions } from './listeners/actions';
import { commandQueue, registerCommands } from './listeners/commands';
import { registerEvents } from './listeners/events';
import { registerReminderActions } from './listeners/reminders';
import { registerViews } from './listeners/views';
import { connectionAccepted } from '../store/turns';
import { checkSlackRequest, countedWarnings, isSlackEventsRequest, readBody } from './http-guard';
import { allowResponseOrigin } from './respond';

/** Slack's own requests are a few kilobytes; anything far bigger is refused unread (413). */
const REQUEST_BODY_LIMIT = 256 * 1024;

export interface RunningSlackApp {
  app: App;
  taskforce: Taskforce;
  /** What the scheduler's sweeps need: the same database, clock and settings, and a sender. */
  jobs: JobDeps;
  /** HTTP mode: the port it listens on (useful when PORT is 0 in tests). */
  port: number | null;
  /** Stops taking requests and waits for those in flight, answers included. */
  stop(): Promise<void>;
}

/**
 * Posts announcements to the Taskforce channel in the background: the person's answer, and the
 * command queue, never wait on Slack for them, and a failure is logged without undoing what was
 * saved. `settled` waits for those under way (at shutdown).
 */
export function channelAnnouncer(client: WebClient, channel: string | null, timeZone: string, logger: Logger): Announcer & { settled(): Promise<void> } {
  const underWay = new Set<Promise<void>>();
  return {
    async announce(announcement) {
      if (!channel) return;
      const post = client.chat.postMessage({ channel, text: announcementText(announcement, timeZone), unfurl_links: false }).then(
        () => undefined,
        (error: Error) => logger.warn(`could not announce in ${channel}: ${error.message}`),
      );
      underWay.add(post);
      void post.finally(() => underWay.delete(post));
    },
    async settled() {
      await Promise.allSettled([...underWay]);
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
    // Slack has no ephemeral files: a chart goes to the person's DM with the bot.
    async publishChart(userId, { chart, filename }) {
      const dm = (await client.conversations.open({ users: userId })).channel?.id;
      if (!dm) throw new Error(`no DM with ${userId}`);
      await uploadPng(client, { filename, png: chart.png, title: chart.title, altText: slackAltText(chart.altText), channel: dm });
      return 'sent to you in a direct message from the bot';
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

/**
 * The HTTP server in front of Bolt's receiver. Each request to /slack/events is read whole and
 * checked first (signed, not from the future, a body Bolt can read: http-guard.ts), so that what
 * anyone can send never reaches Bolt, and its refusals are logged counted rather than one line
 * each. Bolt then takes the body as read (it uses `rawBody` when a request has one) and checks the
 * signature again. On stop it stops taking requests and waits for those in flight.
 */
function serveHttp(receiver: HTTPReceiver, port: number, signingSecret: string, logger: Logger): Promise<{ server: http.Server; stop(): Promise<void> }> {
  const refusals = countedWarnings((line) => logger.warn(line));
  const refuse = (response: http.ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(text);
  };
  const server = http.createServer((request, response) => {
    if (!isSlackEventsRequest(request)) {
      receiver.requestListener(request, response);
      return;
    }
    readBody(request, REQUEST_BODY_LIMIT).then(
      (body) => {
        if (body === null) {
          refusals.note('over the size limit', `refused a request of more than ${REQUEST_BODY_LIMIT} bytes (413)`);
          refuse(response, 413, 'request body too large');
          return;
        }
        const refusal = checkSlackRequest(request.headers, body, signingSecret, Date.now());
        if (refusal) {
          refusals.note(refusal.kind, `refused a request ${refusal.kind} (${refusal.status})`);
          refuse(response, refusal.status, refusal.text);
          return;
        }
        Object.assign(request, { rawBody: body });
        receiver.requestListener(request, response);
      },
      () => response.destroy(), // the client went away mid-body
    ).catch((error: unknown) => {
      logger.error('could not pass a request to Bolt', error);
      if (!response.headersSent) refuse(response, 500, 'internal error');
    });
  });
  server.on('connection', connectionAccepted);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () =>
      resolve({
        server,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => {
              refusals.flush();
              done();
            });
            server.closeIdleConnections();
          }),
      }),
    );
  });
}

// Calls to Slack fail fast here; what must be retried (reminders) is retried by the ledger.
function clientOptions(slack: Exclude<SlackConfig, { mode: 'console' }>) {
  return { slackApiUrl: slack.apiUrl ?? undefined, retryConfig: { retries: 0 } };
}

/** The Bolt app in HTTP or Socket Mode, with every listener, started. */
export async function startSlackApp(
  config: Config & { slack: Exclude<SlackConfig, { mode: 'console' }> },
  store: Store,
  clock: Clock,
  options: { logLevel?: LogLevel } = {},
): Promise<RunningSlackApp> {
  const logLevel = options.logLevel ?? LogLevel.INFO;
  allowResponseOrigin(config.slack.apiUrl);
  const receiver =
    config.slack.mode === 'http'
      ? new HTTPReceiver({ signingSecret: config.slack.signingSecret, customRoutes: [healthRoute(store)], bodyLimit: REQUEST_BODY_LIMIT, logLevel })
      : null;
  const app =
    config.slack.mode === 'socket'
      ? new App({ token: config.slack.botToken, appToken: config.slack.appToken, socketMode: true, clientOptions: clientOptions(config.slack), logLevel })
      : new App({ token: config.slack.botToken, receiver: receiver!, clientOptions: clientOptions(config.slack), logLevel });
  const jobs: JobDeps = {
    db: store.db,
    clock,
    timeZone: config.timeZone,
    channel: config.channel,
    reminders: config.reminders,
    digest: config.digest,
    sender: slackSender(config.slack.botToken, config.slack.apiUrl, config.timeZone),
    log: (line) => app.logger.info(line),
  };
  const announcer = channelAnnouncer(app.client, config.channel, config.timeZone, app.logger);
  const taskforce: Taskforce = {
    db: store.db,
    clock,
    timeZone: config.timeZone,
    admins: new Set(config.admins),
    announcer,
    directory: slackDirectory(config.slack.botToken, config.slack.apiUrl),
    refusals: refusalLimiter(),
    publisher: slackPublisher(app.client, jobs),
    quietDays: config.digest.quietDays,
  };
  // Listeners go on after they ack (answers go to response_url): shutdown waits for them.
  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  const drain = async () => {
    await Promise.allSettled([...inFlight]);
    await announcer.settled();
  };
  const queue = commandQueue();
  registerCommands(app, taskforce, queue);
  registerActions(app, taskforce, queue);
  registerViews(app, taskforce);
  registerEvents(app, taskforce);
  registerReminderActions(app, taskforce);
  app.error(async (error) => {
    app.logger.error(error);
  });

  if (!receiver || config.slack.mode !== 'http') {
    await app.start();
    return {
      app,
      taskforce,
      jobs,
      port: null,
      async stop() {
        await app.stop();
        await drain();
      },
    };
  }
  const served = await serveHttp(receiver, config.slack.port, config.slack.signingSecret, app.logger);
  const address = served.server.address();
  return {
    app,
    taskforce,
    jobs,
    port: typeof address === 'object' && address ? address.port : config.slack.port,
    async stop() {
      await served.stop();
      await drain();
    },
  };
}
