import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import type { AckThreadSettings, FromAckThread, ToAckThread } from './ack-thread';
import { countedWarnings, isSlackEventsRequest, readBody, readSlackRequest } from './http-guard';
import { requestKeyOf } from './request-key';

/**
 * The thread that acknowledges Slack's requests (started by ack-thread.ts). It owns the bot's
 * HTTP port. A request to /slack/events is read and checked here (http-guard.ts: its size, its
 * signature and time, a body of a kind Bolt routes); a slash command, a button click or an event is
 * acknowledged at once and handed to the main thread, which checks its fields' shapes
 * (slack-shapes.ts: zod is not loaded here, which saves 10 MiB) and carries it out. So an ack
 * never waits on what the main thread is doing: a sweep, a chart, a garbage collection, the last
 * command's answer. Whatever else comes (modal submissions, whose ack carries the form's errors;
 * Slack's URL and SSL checks; /healthz, /metrics, calendar feeds) is passed through to the main
 * thread's own server, and its answer back.
 */
const settings = workerData as AckThreadSettings;
const main = parentPort!;
const tell = (message: FromAckThread) => main.postMessage(message);
const refusals = countedWarnings((line) => tell({ type: 'log', level: 'warn', line }));
// The main thread's server is on this host: its connections are kept for the next request.
const toMain = new http.Agent({ keepAlive: true });

/** Acknowledged here: what Bolt acknowledges with an empty 200 whatever its listeners do. */
const ACKNOWLEDGED_AT_ONCE = new Set(['command', 'action', 'event']);

function answer(response: http.ServerResponse, status: number, text?: string): void {
  response.writeHead(status, text === undefined ? {} : { 'content-type': 'text/plain' });
  response.end(text);
}

/** Hop-by-hop headers are for one connection, not to be passed on. */
function endToEnd(headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders {
  const { connection: _connection, 'keep-alive': _keepAlive, ...rest } = headers;
  return rest;
}

/** The request to the main thread's server, as it came (its body already read, or still to stream), and the answer back. */
function passOn(request: http.IncomingMessage, response: http.ServerResponse, body: Buffer | null, answered?: () => void): void {
  const upstream = http.request(
    { host: '127.0.0.1', port: settings.mainPort, method: request.method, path: request.url, headers: endToEnd(request.headers), agent: toMain },
    (reply) => {
      response.writeHead(reply.statusCode ?? 502, endToEnd(reply.headers));
      reply.pipe(response);
      if (answered) reply.once('end', answered);
    },
  );
  upstream.once('error', (error) => {
    tell({ type: 'log', level: 'error', line: `could not pass a request on to the main thread: ${error.message}` });
    if (response.headersSent) response.destroy();
    else answer(response, 502, 'the bot is not answering just now; try again later');
  });
  if (body) upstream.end(body);
  else request.pipe(upstream);
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

const server = http.createServer((request, response) => {
  if (!isSlackEventsRequest(request)) return passOn(request, response, null);
  const arrived = performance.now();
  const ackSeconds = () => (performance.now() - arrived) / 1000;
  readBody(request, settings.bodyLimit).then(
    (body) => {
      if (body === null) {
        refusals.note('over the size limit', `refused a request of more than ${settings.bodyLimit} bytes (413)`);
        return answer(response, 413, 'request body too large');
      }
      const read = readSlackRequest(request.headers, body, settings.signingSecret, Date.now());
      if ('refusal' in read) {
        refusals.note(read.refusal.kind, `refused a request ${read.refusal.kind} (${read.refusal.status})`);
        return answer(response, read.refusal.status, read.refusal.text);
      }
      if (!('body' in read) || !ACKNOWLEDGED_AT_ONCE.has(read.kind)) return passOn(request, response, body, () => tell({ type: 'acknowledged', seconds: ackSeconds() }));
      answer(response, 200);
      const retryNum = header(request.headers['x-slack-retry-num']);
      tell({
        type: 'request',
        kind: read.kind,
        body: read.body,
        key: requestKeyOf(read.body),
        retryNum: retryNum === undefined ? undefined : Number.parseInt(retryNum, 10),
        retryReason: header(request.headers['x-slack-retry-reason']),
        ackSeconds: ackSeconds(),
      });
    },
    () => response.destroy(), // the client went away mid-body
  ).catch((error: Error) => {
    tell({ type: 'log', level: 'error', line: `could not acknowledge a request: ${error.message}` });
    if (!response.headersSent) answer(response, 500, 'internal error');
  });
});

server.once('error', (error: NodeJS.ErrnoException) => tell({ type: 'failed', message: error.message, code: error.code }));
server.listen(settings.port, () => {
  const address = server.address();
  tell({ type: 'listening', port: typeof address === 'object' && address ? address.port : settings.port });
});

main.on('message', (message: ToAckThread) => {
  if (message.type !== 'stop') return;
  // No new requests; those under way are answered, and every one acknowledged has been handed over before 'closed'.
  server.close(() => {
    toMain.destroy();
    refusals.flush();
    tell({ type: 'closed' });
  });
  server.closeIdleConnections();
});
