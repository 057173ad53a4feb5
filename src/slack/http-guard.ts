import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import querystring from 'node:querystring';
// Bolt's own check, from its module alone: the thread that acknowledges requests loads no more of Bolt.
import { isValidSlackRequest } from '@slack/bolt/dist/receivers/verify-request';

/** Slack signs requests with the time they were sent; Bolt refuses old ones, this refuses future ones too. */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

function timestampTooNew(header: string | string[] | undefined, nowMs: number): boolean {
  const seconds = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(seconds) && seconds > nowMs / 1000 + MAX_CLOCK_SKEW_SECONDS;
}

/** Where Slack's requests come in (Bolt's HTTPReceiver default endpoint). */
export function isSlackEventsRequest(request: IncomingMessage): boolean {
  try {
    return request.method === 'POST' && new URL(request.url ?? '', 'http://localhost').pathname === '/slack/events';
  } catch {
    return false;
  }
}

/**
 * Reads a request's body whole, or null once it passes `limit` bytes (the rest is read and dropped,
 * so the client still gets its answer).
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    request.on('end', () => resolve(size <= limit ? Buffer.concat(chunks) : null));
    request.on('error', reject);
  });
}

/** The kinds of request Bolt routes. */
export type RoutedKind = 'event' | 'command' | 'options' | 'action' | 'shortcut' | 'view';


/** The kind of request, decided as Bolt decides it (helpers.ts, getTypeAndConversation). */
function kindOf(body: Record<string, unknown>): RoutedKind | null {
  if (body.event !== undefined) return 'event';
  if (body.command !== undefined) return 'command';
  if (body.name !== undefined || body.type === 'block_suggestion') return 'options';
  if (body.actions !== undefined || body.type === 'dialog_submission') return 'action';
  if (body.type === 'shortcut' || body.type === 'message_action') return 'shortcut';
  if (body.type === 'view_submission' || body.type === 'view_closed') return 'view';
  return null;
}

/** A request Slack signed, read: the kind Bolt routes it as (or Slack's URL check), and its body. */
export interface SlackPayload {
  kind: RoutedKind | 'url_verification';
  body: Record<string, unknown>;
}

/**
 * A body read as Bolt reads it (HTTPModuleFunctions.parseHTTPRequestBody: a form when the content
 * type is exactly Slack's, its `payload=` as JSON if it has one; JSON otherwise): an object of a
 * kind Bolt routes. Null for anything else. Bolt reads fields of whatever JSON gives it: a signed
 * `null` killed the process. Whether its fields have the shapes Bolt reads is slack-shapes.ts's
 * to say: zod is not loaded in the thread that acknowledges requests (ack-worker.ts).
 */
function slackPayload(text: string, contentType: string | undefined): SlackPayload | null {
  let body: unknown;
  try {
    body = contentType === FORM ? formBody(text) : JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  const kind = kindOf(fields);
  // Bolt answers a url_verification itself; anything else it cannot route it leaves unanswered for
  // three seconds (then 404, and an error in the log), so it is refused here instead.
  if (kind === null) return fields.type === 'url_verification' ? { kind: 'url_verification', body: fields } : null;
  return { kind, body: fields };
}

const FORM = 'application/x-www-form-urlencoded';

function formBody(text: string): unknown {
  const fields = querystring.parse(text);
  return typeof fields.payload === 'string' ? JSON.parse(fields.payload) : fields;
}

export interface Refusal {
  status: 400 | 401;
  /** What kind of refusal, for the counted log. */
  kind: string;
  text: string;
}

export const NOT_A_SLACK_PAYLOAD: Refusal = { status: 400, kind: 'whose body is not a Slack payload', text: 'the body is not a Slack payload' };

function header(value: string | string[] | undefined): string {
  return typeof value === 'string' ? value : '';
}

/**
 * Checks a request to /slack/events before Bolt sees it: signed with the secret, not from the
 * future, and a body of a kind Bolt routes. Either why it is refused, or what it says. Slack's unsigned `ssl_check=1` goes on too (`ssl_check`): Bolt answers it, and
 * drops anything else in its body.
 */
export function readSlackRequest(headers: IncomingHttpHeaders, body: Buffer, signingSecret: string, nowMs: number): { refusal: Refusal } | SlackPayload | { kind: 'ssl_check' } {
  const text = body.toString();
  const contentType = headers['content-type'];
  if (contentType === FORM && querystring.parse(text).ssl_check === '1') return { kind: 'ssl_check' };
  if (timestampTooNew(headers['x-slack-request-timestamp'], nowMs)) return { refusal: { status: 401, kind: 'signed in the future', text: 'request timestamp is in the future' } };
  const signed = isValidSlackRequest({
    signingSecret,
    body: text,
    headers: { 'x-slack-signature': header(headers['x-slack-signature']), 'x-slack-request-timestamp': Number(header(headers['x-slack-request-timestamp'])) },
    nowMilliseconds: nowMs,
  });
  if (!signed) return { refusal: { status: 401, kind: 'without a valid Slack signature', text: 'the request is not signed with this app\'s signing secret' } };
  return slackPayload(text, contentType) ?? { refusal: NOT_A_SLACK_PAYLOAD };
}

/**
 * A warning that could come once per request (anyone can send requests), logged at most twice a
 * minute per kind: the first at once, then how many more came in that minute.
 */
export function countedWarnings(warn: (line: string) => void, windowMs = 60_000) {
  const open = new Map<string, { more: number; timer: NodeJS.Timeout }>();
  const close = (kind: string) => {
    const window = open.get(kind);
    if (!window) return;
    clearTimeout(window.timer);
    open.delete(kind);
    if (window.more > 0) warn(`refused ${window.more} more requests ${kind} in the last minute`);
  };
  return {
    note(kind: string, line: string) {
      const window = open.get(kind);
      if (window) {
        window.more++;
        return;
      }
      warn(`${line} (more like it in the next minute are counted, not logged one by one)`);
      open.set(kind, { more: 0, timer: setTimeout(() => close(kind), windowMs).unref() });
    },
    /** Logs what has been counted and not yet said (at shutdown). */
    flush() {
      for (const kind of [...open.keys()]) close(kind);
    },
  };
}
