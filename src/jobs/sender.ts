import { LogLevel, WebClient, type ChatPostMessageArguments } from '@slack/web-api';
import type { OutgoingMessage } from '../store/ledger';

export type SendOutcome =
  | { ok: true; ts: string }
  /** Try again: after Slack's Retry-After when it gave one, else after a back-off. */
  | { ok: false; permanent: false; retryAfterMs: number | null; error: string }
  /** Trying again will not help (no such channel, bad token): mark failed. */
  | { ok: false; permanent: true; error: string };

export interface Sender {
  send(message: OutgoingMessage & { threadTs?: string }): Promise<SendOutcome>;
  /**
   * The ts of a message already in the conversation (or thread) that carries `key` in its
   * metadata, posted since `since`; null when there is none. Throws when Slack cannot tell.
   */
  findSent(message: OutgoingMessage & { threadTs?: string }, key: string, since: Date): Promise<string | null>;
}

/** Errors that another attempt cannot fix. */
const PERMANENT = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'user_not_found',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
  'no_text',
]);

/**
 * Posts tracked messages. The client never retries behind the ledger's back (retries: 0) and
 * hands a 429 back at once (rejectRateLimitedCalls), so the ledger decides when to try again.
 */
export function slackSender(token: string, apiUrl: string | null): Sender {
  const client = new WebClient(token, {
    slackApiUrl: apiUrl ?? undefined,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    // Failures are the ledger's to report (deliver.ts logs them once, with the key).
    logLevel: LogLevel.ERROR,
  });
  return {
    async send(message) {
      try {
        const result = await client.chat.postMessage({
          channel: message.channel,
          text: message.text,
          blocks: message.blocks,
          thread_ts: message.threadTs,
          metadata: message.metadata,
          unfurl_links: false,
        } as ChatPostMessageArguments);
        return { ok: true, ts: String(result.ts) };
      } catch (error) {
        return classify(error);
      }
    },
    async findSent(message, key, since) {
      // A DM is addressed to a user; its history is the DM channel's.
      const channel = /^[UW]/.test(message.channel) ? (await client.conversations.open({ users: message.channel })).channel?.id : message.channel;
      if (!channel) throw new Error(`no conversation with ${message.channel}`);
      const oldest = (since.getTime() / 1000 - 60).toFixed(6);
      const page = message.threadTs
        ? await client.conversations.replies({ channel, ts: message.threadTs, oldest, include_all_metadata: true, limit: 200 })
        : await client.conversations.history({ channel, oldest, include_all_metadata: true, limit: 200 });
      const found = page.messages?.find((posted) => (posted.metadata?.event_payload as { key?: string } | undefined)?.key === key);
      return found?.ts ?? null;
    },
  };
}

function classify(error: unknown): SendOutcome {
  const failure = error as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  switch (failure.code) {
    case 'slack_webapi_rate_limited_error':
      return { ok: false, permanent: false, retryAfterMs: (failure.retryAfter ?? 1) * 1000, error: 'rate limited' };
    case 'slack_webapi_platform_error': {
      const reason = failure.data?.error ?? 'unknown_error';
      return PERMANENT.has(reason) ? { ok: false, permanent: true, error: reason } : { ok: false, permanent: false, retryAfterMs: null, error: reason };
    }
    case 'slack_webapi_http_error':
      return { ok: false, permanent: false, retryAfterMs: null, error: `HTTP ${failure.statusCode ?? '?'}` };
    default:
      return { ok: false, permanent: false, retryAfterMs: null, error: failure.message ?? String(error) };
  }
}

/** Back-off for transient failures: 30 s, 1, 2, 4 … minutes up to an hour, with jitter. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
