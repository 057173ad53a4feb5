import crypto from 'node:crypto';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local stand-in for Slack: its Web API (POST /api/<method>) and the response_urls it hands
 * out (POST /response/<id>), recording every call, with faults that tests can queue.
 */
export interface RecordedCall {
  kind: 'api' | 'response';
  /** The Web API method, or the response id. */
  method: string;
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  at: number;
  /** Answered with a queued fault rather than success. */
  faulted: boolean;
}

/** What the stand-in does instead of answering at once: fail (a status, a dropped connection), or only answer late. */
export interface Fault {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  delayMs?: number;
  dropConnection?: boolean;
  /** Slack took the message (or shared the upload: files.completeUploadExternal) and only then failed to answer. */
  afterPosting?: boolean;
}

/** A person as users.info and users.profile.get tell of them. */
export interface FakePerson {
  tz?: string;
  status?: { text: string; emoji: string; expiration?: number };
  /** users.profile.get answers missing_scope (the app was not granted users.profile:read). */
  profileScopeMissing?: boolean;
}

export interface FakeSlack {
  apiUrl: string;
  /** Sets what Slack says of a person from now on (their zone, their status). */
  setPerson(id: string, person: FakePerson): void;
  responseUrl(id: string): string;
  calls: RecordedCall[];
  apiCalls(method: string): RecordedCall[];
  responses(id: string): RecordedCall[];
  waitFor<T>(find: () => T | undefined | null | false, timeoutMs?: number): Promise<T>;
  failNext(method: string, fault: Fault, times?: number): void;
  /** The messages in the conversations, as Slack holds them (a DM under the user's id). */
  posted(): Posted[];
  /** Files the bot uploaded (files.getUploadURLExternal, the bytes POSTed, files.completeUploadExternal), in order. */
  uploads(): Upload[];
  /** Forgets queued faults; what was posted stays (as in Slack, across a bot's restart). */
  clearFaults(): void;
  /** Forgets calls, faults and conversations: a new workspace. */
  reset(): void;
  close(): Promise<void>;
}

export interface Upload {
  fileId: string;
  filename: string;
  /** The length the bot declared, and the bytes it then POSTed to the upload URL. */
  length: number;
  bytes: Buffer | null;
  altText: string | null;
  /** Set by files.completeUploadExternal. */
  completed: boolean;
  title: string | null;
  channel: string | null;
  threadTs: string | null;
}

type Posted = { channel: string; ts: string; thread_ts?: string; text: unknown; metadata?: unknown; files?: { id: string; name: string; title: string | null }[] };

/** Form bodies carry nested values (blocks, view) as JSON strings; decode those. */
function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Record<string, unknown>;
  const body: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    body[key] = /^[[{]/.test(value) ? JSON.parse(value) : value;
  }
  return body;
}

export async function startFakeSlack(options: { usergroupMembers?: Record<string, string[]>; people?: Record<string, FakePerson> } = {}): Promise<FakeSlack> {
  const calls: RecordedCall[] = [];
  const people = new Map(Object.entries(options.people ?? {}));
  const faults = new Map<string, Fault[]>();
  const sockets = new Set<Socket>();
  let counter = 0;
  let base = '';

  // What is in each conversation, as conversations.history would show it. A DM is addressed to a
  // user (U…) and read back through its DM channel (D…, from conversations.open).
  const posted: Posted[] = [];
  const uploads = new Map<string, Upload>();
  const conversation = (channel: unknown) => String(channel).replace(/^D(?=U)/, '');
  const history = (body: Record<string, unknown>, thread: boolean) =>
    posted
      .filter((message) => message.channel === conversation(body.channel)) // (whatever `oldest` says: test clocks are fixed)
      .filter((message) => (thread ? message.thread_ts === body.ts : message.thread_ts === undefined))
      .map(({ channel: _channel, ...message }) => message)
      .reverse();

  function answer(method: string, body: Record<string, unknown>, postedTs: string | null): unknown {
    counter++;
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://fake.slack.com/', team: 'Fake', user: 'taskforce', team_id: 'T0FAKE', user_id: 'UBOT', bot_id: 'BBOT' };
      case 'chat.postMessage':
        return { ok: true, channel: body.channel, ts: postedTs, message: { text: body.text, ts: postedTs } };
      case 'conversations.history':
        return { ok: true, messages: history(body, false), has_more: false };
      case 'conversations.replies':
        return { ok: true, messages: history(body, true), has_more: false };
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts };
      case 'conversations.open':
        return { ok: true, channel: { id: `D${body.users}` } };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
      case 'views.push':
        return { ok: true, view: { id: `V${counter}`, ...(body.view as object) } };
      case 'files.getUploadURLExternal': {
        const fileId = `F${counter}`;
        uploads.set(fileId, { fileId, filename: String(body.filename), length: Number(body.length), bytes: null, altText: (body.alt_txt as string | undefined) ?? null, completed: false, title: null, channel: null, threadTs: null });
        return { ok: true, upload_url: `${base}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = (body.files as { id: string; title?: string }[]).map((file) => {
          const upload = uploads.get(file.id);
          if (!upload || upload.bytes === null) return null;
          Object.assign(upload, { completed: true, title: file.title ?? null, channel: (body.channel_id as string | undefined) ?? null, threadTs: (body.thread_ts as string | undefined) ?? null });
          return upload;
        });
        if (files.some((file) => file === null)) return { ok: false, error: 'file_not_found' };
        // Shared in a conversation, the files arrive there as a message of the bot's.
        if (body.channel_id) {
          const ts = `1700000000.${String(++counter).padStart(6, '0')}`;
          posted.push({ channel: String(body.channel_id), ts, thread_ts: body.thread_ts as string | undefined, text: '', files: files.map((file) => ({ id: file!.fileId, name: file!.filename, title: file!.title })) });
        }
        return { ok: true, files: files.map((file) => ({ id: file!.fileId, title: file!.title, name: file!.filename })) };
      }
      case 'users.info': {
        // A workspace's default zone when none was set for the person, as Slack fills it in.
        const id = String(body.user);
        return { ok: true, user: { id, name: id.toLowerCase(), tz: people.get(id)?.tz ?? 'Europe/London', profile: {} } };
      }
      case 'users.profile.get': {
        const person = people.get(String(body.user));
        if (person?.profileScopeMissing) return { ok: false, error: 'missing_scope', needed: 'users.profile:read' };
        const status = person?.status;
        return { ok: true, profile: { status_text: status?.text ?? '', status_emoji: status?.emoji ?? '', status_expiration: status?.expiration ?? 0 } };
      }
      case 'usergroups.users.list':
        return { ok: true, users: options.usergroupMembers?.[String(body.usergroup)] ?? [] };
      default:
        return { ok: true };
    }
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const raw = bytes.toString('utf8');
      const url = request.url ?? '';
      const kind = url.startsWith('/response/') ? 'response' : 'api';
      const upload = url.startsWith('/upload/');
      const method = upload ? 'upload' : url.replace(/^\/(api|response)\//, '').split('?')[0];
      const body = upload ? { raw } : parseBody(raw, request.headers['content-type']);
      const fault = faults.get(method)?.shift();
      const failing = fault !== undefined && (fault.status !== undefined || fault.body !== undefined || fault.dropConnection === true);
      calls.push({ kind, method, body, headers: request.headers, at: Date.now(), faulted: failing });
      const uploading = upload && !failing ? uploads.get(url.slice('/upload/'.length)) : undefined;
      if (uploading) uploading.bytes = bytes;
      // Slack posts a message as it takes the request: an answer lost afterwards does not unpost it.
      let postedTs: string | null = null;
      if (method === 'chat.postMessage' && (!failing || fault.afterPosting)) {
        postedTs = `1700000000.${String(++counter).padStart(6, '0')}`;
        posted.push({ channel: String(body.channel), ts: postedTs, thread_ts: body.thread_ts as string | undefined, text: body.text, metadata: body.metadata });
      }
      // A completed upload whose answer is then lost is shared all the same.
      if (method === 'files.completeUploadExternal' && failing && fault.afterPosting) answer(method, body, null);
      const reply = () => {
        if (fault?.dropConnection) {
          request.socket.destroy();
          return;
        }
        response.writeHead(fault?.status ?? 200, { 'content-type': 'application/json', ...fault?.headers });
        response.end(JSON.stringify(failing ? (fault.body ?? { ok: false, error: 'fault' }) : kind === 'response' ? { ok: true } : answer(method, body, postedTs)));
      };
      if (fault?.delayMs) setTimeout(reply, fault.delayMs);
      else reply();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${base}/api/`,
    setPerson(id, person) {
      people.set(id, person);
    },
    responseUrl: (id) => `${base}/response/${id}`,
    calls,
    apiCalls: (method) => calls.filter((call) => call.kind === 'api' && call.method === method),
    responses: (id) => calls.filter((call) => call.kind === 'response' && call.method === id),
    async waitFor(find, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = find();
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`fake Slack: waited ${timeoutMs} ms; calls seen: ${calls.map((call) => `${call.kind}:${call.method}`).join(', ') || 'none'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    failNext(method, fault, times = 1) {
      faults.set(method, [...(faults.get(method) ?? []), ...Array.from({ length: times }, () => fault)]);
    },
    posted: () => [...posted],
    uploads: () => [...uploads.values()],
    clearFaults() {
      faults.clear();
    },
    reset() {
      calls.length = 0;
      faults.clear();
      posted.length = 0;
      uploads.clear();
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Waits until the bot has said nothing to Slack for `quietMs` (or `limitMs` has gone by). */
export async function settle(fake: FakeSlack, quietMs = 1500, limitMs = 30_000): Promise<void> {
  const start = Date.now();
  for (let seen = -1; fake.calls.length !== seen && Date.now() - start < limitMs; ) {
    seen = fake.calls.length;
    await new Promise((resolve) => setTimeout(resolve, quietMs));
  }
}

// ---- Requests as Slack sends them, signed with the app's signing secret (Slack's v0 scheme).

export function signature(secret: string, timestamp: number, body: string): string {
  return `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

export interface SignOptions {
  timestamp?: number;
  signature?: string;
}

/**
 * Posts as Slack does: a connection of its own per request (no keep-alive pool), so a burst of
 * requests reaches the app at once rather than as a client pool opens connections one by one.
 */
export async function postSigned(url: string, secret: string, body: string, contentType: string, options: SignOptions = {}) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': options.signature ?? signature(secret, timestamp, body),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

export function sendSlashCommand(
  appUrl: string,
  secret: string,
  fields: { command: string; text: string; user_id: string; response_url: string; trigger_id?: string; channel_id?: string },
  options?: SignOptions,
) {
  const body = new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: 'T0FAKE',
    team_domain: 'fake',
    channel_id: fields.channel_id ?? 'C0GENERAL',
    channel_name: 'general',
    user_id: fields.user_id,
    user_name: fields.user_id.toLowerCase(),
    command: fields.command,
    text: fields.text,
    api_app_id: 'A0FAKE',
    response_url: fields.response_url,
    // Slack gives every invocation its own trigger id.
    trigger_id: fields.trigger_id ?? `trigger-${crypto.randomUUID()}`,
  }).toString();
  return postSigned(appUrl, secret, body, 'application/x-www-form-urlencoded', options);
}

export function sendInteraction(appUrl: string, secret: string, payload: object, options?: SignOptions) {
  return postSigned(appUrl, secret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
}

export function sendEvent(appUrl: string, secret: string, event: object, options?: SignOptions & { eventId?: string }) {
  const envelope = {
    token: 'legacy-verification-token',
    team_id: 'T0FAKE',
    api_app_id: 'A0FAKE',
    event,
    type: 'event_callback',
    event_id: options?.eventId ?? `Ev${crypto.randomBytes(6).toString('hex')}`,
    event_time: Math.floor(Date.now() / 1000),
  };
  return postSigned(appUrl, secret, JSON.stringify(envelope), 'application/json', options);
}

const user = (id: string) => ({ id, username: id.toLowerCase(), name: id.toLowerCase(), team_id: 'T0FAKE' });

export function blockActionPayload(fields: { userId: string; actionId: string; value: string; responseUrl: string; triggerId?: string; message?: object; overflow?: boolean }) {
  return {
    type: 'block_actions',
    user: user(fields.userId),
    api_app_id: 'A0FAKE',
    token: 'legacy-verification-token',
    team: { id: 'T0FAKE', domain: 'fake' },
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'C0GENERAL', is_ephemeral: true },
    trigger_id: fields.triggerId ?? `trigger-${crypto.randomUUID()}`,
    response_url: fields.responseUrl,
    channel: { id: 'C0GENERAL', name: 'general' },
    ...(fields.message ? { message: { type: 'message', ts: '1700000000.000001', ...fields.message } } : {}),
    actions: [
      fields.overflow
        ? { type: 'overflow', action_id: fields.actionId, block_id: 'block', selected_option: { text: { type: 'plain_text', text: 'x' }, value: fields.value }, action_ts: '1700000000.000002' }
        : { type: 'button', action_id: fields.actionId, block_id: 'block', value: fields.value, action_ts: '1700000000.000002', text: { type: 'plain_text', text: 'x' } },
    ],
  };
}

export function viewSubmissionPayload(fields: { userId: string; callbackId: string; privateMetadata: string; values: Record<string, Record<string, unknown>> }) {
  return {
    type: 'view_submission',
    user: user(fields.userId),
    api_app_id: 'A0FAKE',
    token: 'legacy-verification-token',
    team: { id: 'T0FAKE', domain: 'fake' },
    trigger_id: 'trigger',
    view: { id: 'V0MODAL', type: 'modal', callback_id: fields.callbackId, private_metadata: fields.privateMetadata, state: { values: fields.values }, hash: crypto.randomUUID() },
  };
}

export function appHomeOpenedEvent(userId: string) {
  return { type: 'app_home_opened', user: userId, channel: `D${userId}`, tab: 'home', event_ts: '1700000000.000003' };
}
