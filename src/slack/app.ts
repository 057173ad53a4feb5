import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { App, HTTPReceiver, type LogLevel, type Logger } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { secretsOf, type Config, type SlackConfig } from '../config';
import { SLASH_COMMANDS } from '../domain/commands';
import { boltLogger, createLog, currentLogContext, lineLog, wantsJson, withLogContext, type Log, type LogLevelName } from '../log';
import { countDatabaseErrors, countedSender, createMetrics, metricsRoute, withOutcome, type Metrics } from '../metrics';
import type { Clock } from '../domain/clock';
import type { Store } from '../store/client';
import { DomainError } from '../domain/errors';
import { postDigest } from '../jobs/digests';
import { meetingsCalendar } from '../jobs/meetings-calendar';
import { slackSender } from './sender';
import { uploadPng } from './files';
import { slackAltText } from './blocks/charts';
import type { JobDeps } from '../jobs/sweep';
import type { Announcer, CalendarFeedPlace, Publisher, Taskforce } from '../taskforce/context';
import { personalFeed } from '../taskforce/calendar';
import { refusalLimiter } from '../taskforce/refusals';
import { slackDirectory } from './directory';
import { slackPeople } from './people';
import { announcementText } from './blocks/announcements';
import { registerActions } from './listeners/actions';
import { commandQueue, registerCommands } from './listeners/commands';
import { registerEvents } from './listeners/events';
import { registerReminderActions } from './listeners/reminders';
import { registerViews } from './listeners/views';
import { connectionAccepted } from '../store/turns';
import { countedWarnings, isSlackEventsRequest, readBody } from './http-guard';
import { checkSlackRequest, fitsSlackShape } from './slack-shapes';
import { allowResponseOrigin } from './respond';
import { startAckThread, type AcknowledgedRequest } from './ack-thread';
import { requestKey, requestKeyOf } from './request-key';

/** Slack's own requests are a few kilobytes; anything far bigger is refused unread (413). */
const REQUEST_BODY_LIMIT = 256 * 1024;
/** How the log words a request the ack thread acknowledged whose fields Bolt could not read. */
const MISSHAPEN = 'whose fields are not of the shapes Slack sends (acknowledged, then dropped)';

export interface RunningSlackApp {
  app: App;
  taskforce: Taskforce;
  /** What the scheduler's sweeps need: the same database, clock and settings, and a sender. */
  jobs: JobDeps;
  /** HTTP mode: the port it listens on (useful when PORT is 0 in tests). */
  port: number | null;
  log: Log;
  metrics: Metrics;
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
    async publishFiles(files) {
      if (!jobs.channel) throw new DomainError('no-channel', 'There is no Taskforce channel to post to: set TASKFORCE_CHANNEL.');
      // One call: each file is sent, then all are shared in one files.completeUploadExternal.
      await client.filesUploadV2({ channel_id: jobs.channel, file_uploads: files.map(({ filename, content, title }) => ({ filename, title, file: Buffer.from(content) })) });
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

/** Anything under /calendar/ is a feed request, answered here: Bolt never sees (or logs) the token. */
function isCalendarRequest(request: http.IncomingMessage): boolean {
  return (request.url ?? '').startsWith('/calendar/');
}

/**
 * GET /calendar/<token>.ics: a person's feed. Whatever is wrong with the token (unknown, revoked,
 * malformed), the answer is the same bare 404, so that it tells a guesser nothing. The token is
 * never logged: a failure is logged without the address.
 */
function serveCalendar(request: http.IncomingMessage, response: http.ServerResponse, feed: (token: string) => Promise<string | null>, logger: Logger): void {
  const match = /^\/calendar\/([^/?#]+)\.ics(?:\?.*)?$/.exec(request.url ?? '');
  const notFound = () => {
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('not found');
  };
  if (!match || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
  feed(match[1]).then(
    (ics) => {
      if (ics === null) return notFound();
      // Private to the person: no shared cache may keep it.
      response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8', 'cache-control': 'private, max-age=300' });
      response.end(request.method === 'HEAD' ? undefined : ics);
    },
    (error: Error) => {
      logger.error(`could not serve a calendar feed: ${error.message}`);
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end('the calendar is unavailable just now; try again later');
    },
  );
}

/** Where `/calendar` may point people: the HTTP server, when its public address is known. */
function calendarFeedPlace(config: Pick<Config, 'slack' | 'calendars'>): CalendarFeedPlace {
  if (config.slack.mode !== 'http') return { kind: 'not-served', why: 'Calendar feeds are served only when the bot runs over HTTP, and it is in Socket Mode.' };
  const publicUrl = config.calendars?.publicUrl;
  if (!publicUrl) return { kind: 'not-served', why: 'Calendar feeds need the address people reach the bot at, and TASKFORCE_PUBLIC_URL is not set: ask whoever runs the bot.' };
  return { kind: 'served', baseUrl: publicUrl };
}

/**
 * The main thread's HTTP server, on 127.0.0.1, for what the thread that owns the bot's port
 * (ack-worker.ts) passes on rather than acknowledging itself: modal submissions, Slack's URL
 * and SSL checks, /healthz, /metrics and the calendar feeds. Each request to /slack/events is
 * read whole and checked again, as the thread does (http-guard.ts), and its fields' shapes too
 * (slack-shapes.ts), so that whatever reaches this port some other way is refused alike. Bolt
 * then takes the body as read (it uses `rawBody` when a request has one) and checks the
 * signature too. On stop it stops taking requests and waits for those in flight.
 */
function serveHttp(
  receiver: HTTPReceiver,
  signingSecret: string,
  logger: Logger,
  feed: (token: string) => Promise<string | null>,
): Promise<{ port: number; stop(): Promise<void> }> {
  const refusals = countedWarnings((line) => logger.warn(line));
  const refuse = (response: http.ServerResponse, status: number, text: string) => {
    response.writeHead(status, { 'content-type': 'text/plain' });
    response.end(text);
  };
  const server = http.createServer((request, response) => {
    if (isCalendarRequest(request)) {
      serveCalendar(request, response, feed, logger);
      return;
    }
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
        // Everything Bolt logs for this request, its error handler included, carries its key.
        withLogContext({ request: requestKey(body.toString(), request.headers['content-type']) }, () => receiver.requestListener(request, response));
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
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
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
  // The level may come from options.log instead; the metrics port is main's (its own server).
  config: Omit<Config, 'logLevel' | 'metricsPort' | 'ledgerDays'> & Partial<Pick<Config, 'logLevel'>> & { slack: Exclude<SlackConfig, { mode: 'console' }> },
  store: Store,
  clock: Clock,
  options: { logLevel?: LogLevel | LogLevelName; log?: Log; metrics?: Metrics } = {},
): Promise<RunningSlackApp> {
  const log = options.log ?? createLog({ level: options.logLevel ?? config.logLevel ?? 'info', json: wantsJson(), secrets: secretsOf(config) });
  const logger = boltLogger(log);
  const metrics = options.metrics ?? createMetrics({ db: store.db, now: () => clock.now() });
  const db = countDatabaseErrors(store.db, metrics);
  allowResponseOrigin(config.slack.apiUrl);
  const receiver =
    config.slack.mode === 'http'
      ? new HTTPReceiver({ signingSecret: config.slack.signingSecret, customRoutes: [healthRoute(store), metricsRoute(metrics)], bodyLimit: REQUEST_BODY_LIMIT, logger })
      : null;
  // No conversation store: no listener uses it, and Bolt's default keeps every conversation in memory and looks it up on each request.
  const app =
    config.slack.mode === 'socket'
      ? new App({ token: config.slack.botToken, appToken: config.slack.appToken, socketMode: true, clientOptions: clientOptions(config.slack), logger, convoStore: false })
      : new App({ token: config.slack.botToken, receiver: receiver!, clientOptions: clientOptions(config.slack), logger, convoStore: false });
  // The clients made outside Bolt log through it too, quieter: their failures are reported by their callers.
  const quiet = boltLogger(log.child({}, { level: log.levelVal > 50 ? log.level : 'error' }));
  const jobs: JobDeps = {
    db,
    clock,
    timeZone: config.timeZone,
    channel: config.channel,
    reminders: config.reminders,
    digest: config.digest,
    sender: countedSender(slackSender(config.slack.botToken, config.slack.apiUrl, config.timeZone, quiet), metrics),
    people: slackPeople(config.slack.botToken, config.slack.apiUrl, () => clock.now(), { logger: quiet, rateLimited: (method) => metrics.slackRateLimited.inc({ method }) }),
    log: lineLog(log),
    meetingsCalendar: config.calendars?.meetingsIcs ? meetingsCalendar(config.calendars.meetingsIcs, db) : undefined,
  };
  const announcer = channelAnnouncer(app.client, config.channel, config.timeZone, app.logger);
  const taskforce: Taskforce = {
    db,
    clock,
    timeZone: config.timeZone,
    admins: new Set(config.admins),
    announcer,
    directory: slackDirectory(config.slack.botToken, config.slack.apiUrl, { logger: quiet, rateLimited: (method) => metrics.slackRateLimited.inc({ method }) }),
    refusals: refusalLimiter(),
    publisher: slackPublisher(app.client, jobs),
    quietDays: config.digest.quietDays,
    reminders: config.reminders,
    calendarFeed: calendarFeedPlace(config),
  };
  // Listeners go on after they ack (answers go to response_url): shutdown waits for them.
  // Each request's lines carry its key (and command); each command is counted and timed to its answer.
  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ body, next }) => {
    const started = performance.now();
    const named = (body as { command?: unknown }).command;
    const command = typeof named === 'string' ? (SLASH_COMMANDS.includes(named as never) ? named : 'other') : undefined;
    const scope = { outcome: 'answered' };
    const work = withLogContext({ request: currentLogContext().request ?? requestKeyOf(body), ...(command ? { command } : {}) }, () => withOutcome(scope, next));
    inFlight.add(work);
    try {
      await work;
    } catch (error) {
      scope.outcome = 'failed';
      throw error;
    } finally {
      inFlight.delete(work);
      if (command) {
        metrics.commands.inc({ command, outcome: scope.outcome });
        metrics.answerSeconds.observe({ command }, (performance.now() - started) / 1000);
      }
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
      log,
      metrics,
      async stop() {
        await app.stop();
        await drain();
      },
    };
  }
  const served = await serveHttp(receiver, config.slack.signingSecret, app.logger, (token) => personalFeed(taskforce, token));
  // What the thread acknowledged is carried out here, as Bolt's receiver would have passed it on,
  // once its fields are of the shapes Bolt reads (the thread checked all else: ack-worker.ts).
  const misshapen = countedWarnings((line) => app.logger.warn(line));
  const carryOut = (request: AcknowledgedRequest) => {
    connectionAccepted(); // an arrival: queued work lets it in first (store/turns.ts)
    metrics.ackSeconds.observe(request.ackSeconds);
    if (!fitsSlackShape(request)) return misshapen.note(MISSHAPEN, `refused a signed request ${MISSHAPEN}`);
    // Already acknowledged: a listener's ack() only says so in the log, in the request's context.
    const ack = async () => app.logger.debug(`acknowledged by the ack thread in ${(request.ackSeconds * 1000).toFixed(1)} ms`);
    const event = { body: request.body, ack, retryNum: request.retryNum, retryReason: request.retryReason };
    const work = withLogContext({ request: request.key }, () => app.processEvent(event)).catch((error: unknown) => app.logger.error(error));
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const front = await startAckThread(
    { port: config.slack.port, signingSecret: config.slack.signingSecret, mainPort: served.port, bodyLimit: REQUEST_BODY_LIMIT },
    {
      request: carryOut,
      acknowledged: (seconds) => metrics.ackSeconds.observe(seconds),
      log: (level, line) => (level === 'warn' ? app.logger.warn(line) : app.logger.error(line)),
      // Deaf to Slack: stop, as after any error no one caught (last-resort.ts), for the supervisor to start the bot again.
      failed: (error) =>
        setImmediate(() => {
          throw error;
        }),
    },
  ).catch(async (error: unknown) => {
    await served.stop();
    throw error;
  });
  return {
    app,
    taskforce,
    jobs,
    port: front.port,
    log,
    metrics,
    async stop() {
      await front.stop();
      misshapen.flush();
      await served.stop();
      await drain();
    },
  };
}
