import { AsyncLocalStorage } from 'node:async_hooks';
import http from 'node:http';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Sender } from './jobs/sender';
import { withLogContext } from './log';
import { extendedFrom, type Db } from './store/client';

/**
 * The bot's Prometheus metrics, in a registry of its own per app (tests run several apps in one
 * process; prom-client's global registry would mix them). Served as GET /metrics.
 */
export interface Metrics {
  registry: Registry;
  /** Slash commands and the buttons that run one again, by command and outcome (answered, refused, failed). */
  commands: Counter<'command' | 'outcome'>;
  /** From a request's arrival to Slack's acknowledgement (HTTP mode: what Slack's 3 s applies to). */
  ackSeconds: Histogram;
  /** From a command's arrival to its answer posted. */
  answerSeconds: Histogram<'command'>;
  /** Tracked sends (reminders, escalations, digests) by kind and outcome: sent, retried, failed. */
  sends: Counter<'kind' | 'outcome'>;
  sweepSeconds: Histogram<'outcome'>;
  databaseErrors: Counter;
  /** 429 answers from Slack's Web API, by method. */
  slackRateLimited: Counter<'method'>;
}

const outcomes = new AsyncLocalStorage<{ outcome: string }>();

/** Runs a request's work with a slot for its outcome, which `noteOutcome` fills from deep inside it. */
export function withOutcome<T>(scope: { outcome: string }, work: () => T): T {
  return outcomes.run(scope, work);
}

/** How the command under way ended, if not answered as asked: refused (the person's mistake) or failed (ours). */
export function noteOutcome(outcome: 'refused' | 'failed'): void {
  const scope = outcomes.getStore();
  if (scope) scope.outcome = outcome;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The metrics, with the ledger's backlog and the age of its oldest waiting message read at each
 * scrape (one indexed query), so they are right whichever copy of the bot swept last.
 */
export function createMetrics(ledger?: { db: Db; now: () => Date }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    commands: new Counter({ name: 'taskforce_commands_total', help: 'Commands by name and outcome (answered, refused, failed).', labelNames: ['command', 'outcome'], registers: [registry] }),
    ackSeconds: new Histogram({ name: 'taskforce_ack_seconds', help: 'From a Slack request arriving to its acknowledgement.', buckets: LATENCY_BUCKETS, registers: [registry] }),
    answerSeconds: new Histogram({ name: 'taskforce_answer_seconds', help: 'From a command arriving to its answer posted.', labelNames: ['command'], buckets: LATENCY_BUCKETS, registers: [registry] }),
    sends: new Counter({ name: 'taskforce_sends_total', help: 'Tracked sends by kind and outcome (sent, retried, failed).', labelNames: ['kind', 'outcome'], registers: [registry] }),
    sweepSeconds: new Histogram({ name: 'taskforce_sweep_seconds', help: 'How long a sweep took, by outcome (ok, failed).', labelNames: ['outcome'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [registry] }),
    databaseErrors: new Counter({ name: 'taskforce_database_errors_total', help: 'Database queries that failed.', registers: [registry] }),
    slackRateLimited: new Counter({ name: 'taskforce_slack_rate_limited_total', help: "Slack Web API calls answered 429 (rate limited), by method.", labelNames: ['method'], registers: [registry] }),
  };
  if (ledger) {
    const backlog = new Gauge({ name: 'taskforce_ledger_pending', help: 'Messages claimed in the ledger and not yet sent or failed.', registers: [registry] });
    const oldest = new Gauge({ name: 'taskforce_ledger_oldest_pending_seconds', help: 'Age of the oldest message not yet sent or failed (0 when none).', registers: [registry] });
    // prom-client calls each gauge's collect at a scrape: one query serves both.
    let reading: Promise<void> | null = null;
    const read = () =>
      (reading ??= ledger.db.notification
        .aggregate({ where: { status: { in: ['pending', 'sending'] }, batchKey: null }, _count: { _all: true }, _min: { createdAt: true } })
        .then((result) => {
          backlog.set(result._count._all);
          const createdAt = result._min.createdAt;
          oldest.set(createdAt ? Math.max(0, (ledger.now().getTime() - createdAt.getTime()) / 1000) : 0);
        })
        .catch(() => metrics.databaseErrors.inc())
        .finally(() => (reading = null)));
    Object.assign(backlog, { collect: read });
    Object.assign(oldest, { collect: read });
  }
  return metrics;
}

/** Counts each tracked send's outcome, and Slack's 429s, around the real sender. */
export function countedSender(sender: Sender, metrics: Metrics): Sender {
  return {
    async send(message) {
      // Whatever the Web API client logs during the send carries its key.
      const outcome = await withLogContext({ send: message.key }, () => sender.send(message));
      const kind = message.notice.kind;
      if (outcome.ok) metrics.sends.inc({ kind, outcome: 'sent' });
      else metrics.sends.inc({ kind, outcome: outcome.permanent ? 'failed' : 'retried' });
      if (!outcome.ok && outcome.error === 'rate limited') metrics.slackRateLimited.inc({ method: 'chat.postMessage' });
      return outcome;
    },
    findSent: (message, key, since) => withLogContext({ send: key }, () => sender.findSent(message, key, since)),
  };
}

/** Counts failed queries: the database client, with every operation watched. */
export function countDatabaseErrors(db: Db, metrics: Metrics): Db {
  return extendedFrom(db, db.$extends({
    query: {
      async $allOperations({ args, query }) {
        try {
          return await query(args);
        } catch (error) {
          metrics.databaseErrors.inc();
          throw error;
        }
      },
    },
  })) as unknown as Db;
}

/** The route for Bolt's HTTPReceiver (customRoutes), beside /healthz. */
export function metricsRoute(metrics: Metrics) {
  return {
    path: '/metrics',
    method: ['GET'],
    handler: (_request: http.IncomingMessage, response: http.ServerResponse) => void answerScrape(metrics, response),
  };
}

async function answerScrape(metrics: Metrics, response: http.ServerResponse): Promise<void> {
  try {
    const text = await metrics.registry.metrics();
    response.writeHead(200, { 'content-type': metrics.registry.contentType });
    response.end(text);
  } catch {
    response.writeHead(500, { 'content-type': 'text/plain' });
    response.end('could not collect the metrics');
  }
}

/** GET /metrics on a port of its own (METRICS_PORT): for Socket Mode and the console, which have no HTTP server. */
export function serveMetrics(metrics: Metrics, port: number): Promise<{ port: number; stop(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.method === 'GET' && request.url?.split('?')[0] === '/metrics') {
      void answerScrape(metrics, response);
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('only GET /metrics here');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
