import { LogLevel, WebClient, type ChatPostMessageArguments, type Logger } from '@slack/web-api';
import type { Sender, SendOutcome } from '../jobs/sender';
import { trackedFileName } from '../charts/files';
import { renderChart } from '../charts/render';
import { slackAltText } from './blocks/charts';
import { noticeReply } from './blocks/notices';
import { uploadPng } from './files';

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
  'alt_txt_too_large',
  'file_uploads_disabled',
  'file_uploads_except_images_disabled',
]);

/**
 * Posts tracked messages. The client never retries behind the ledger's back (retries: 0) and
 * hands a 429 back at once (rejectRateLimitedCalls), so the ledger decides when to try again.
 */
export function slackSender(token: string, apiUrl: string | null, timeZone: string, logger?: Logger): Sender {
  const client = new WebClient(token, {
    slackApiUrl: apiUrl ?? undefined,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 15_000,
    // Failures are the ledger's to report (deliver.ts logs them once, with the key).
    ...(logger ? { logger } : { logLevel: LogLevel.ERROR }),
  });
  return {
    async send(message) {
      try {
        if (message.notice.kind === 'digest-chart') {
          const chart = renderChart(message.notice.chart, timeZone);
          const upload = { filename: trackedFileName(message.key), png: chart.png, title: chart.title, altText: slackAltText(chart.altText) };
          // A shared file has no message ts to hand back: its id stands in the ledger.
          return { ok: true, ts: await uploadPng(client, { ...upload, channel: message.channel, threadTs: message.threadTs }) };
        }
        const reply = noticeReply(message.notice, timeZone);
        const result = await client.chat.postMessage({
          channel: message.channel,
          text: reply.text,
          blocks: reply.blocks,
          thread_ts: message.threadTs,
          metadata: { event_type: 'taskforce_notification', event_payload: { key: message.key } },
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
      if (message.notice.kind === 'digest-chart') {
        // Files carry no metadata: the file's name is made from the key.
        const name = trackedFileName(key);
        const file = page.messages?.flatMap((posted) => posted.files ?? []).find((posted) => posted.name === name);
        return file?.id ?? null;
      }
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

