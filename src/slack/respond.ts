/** How an answer to a response_url is tried. */
export interface RespondPolicy {
  attempts: number;
  /** Each attempt gives up after this long: a hanging Slack must not hold the bot (or its shutdown). */
  timeoutMs: number;
  /** The first back-off after a 5xx or a dropped connection; it doubles each time. */
  backoffMs: number;
  /** The longest wait between attempts, whatever Retry-After says. */
  maxWaitMs: number;
}

export const RESPOND_POLICY: RespondPolicy = { attempts: 4, timeoutMs: 10_000, backoffMs: 250, maxWaitMs: 10_000 };

/** What a listener sends to a response_url: an ephemeral answer, or a replacement of the message. */
export type Respond = (message: { text: string; blocks?: unknown[]; response_type?: 'ephemeral'; replace_original?: boolean }) => Promise<void>;

/** Slack's response URLs are all on this origin. */
export const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';

// A response URL arrives in the request (or in a modal's metadata), so it could name any host: the
// bot posts only to Slack's, or to the origin SLACK_API_URL names (the stand-in for Slack in tests).
const allowedOrigins = new Set([SLACK_RESPONSE_ORIGIN]);

/** Lets answers go to SLACK_API_URL's origin too; set once at start, from the configuration. */
export function allowResponseOrigin(apiUrl: string | null): void {
  if (apiUrl) allowedOrigins.add(new URL(apiUrl).origin);
}

function allowedResponseUrl(url: string): boolean {
  try {
    return allowedOrigins.has(new URL(url).origin);
  } catch {
    return false;
  }
}

type Attempt = { ok: true } | { ok: false; retry: boolean; waitMs: number | null; error: string };

async function attempt(url: string, body: Buffer, policy: RespondPolicy): Promise<Attempt> {
  try {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(policy.timeoutMs) });
    await response.text();
    if (response.ok) return { ok: true };
    const retryAfter = Number(response.headers.get('retry-after'));
    const waitMs = response.status === 429 && retryAfter > 0 ? retryAfter * 1000 : null;
    return { ok: false, retry: response.status === 429 || response.status >= 500, waitMs, error: `response_url answered ${response.status}` };
  } catch (error) {
    return { ok: false, retry: true, waitMs: null, error: `response_url: ${(error as Error).message}` };
  }
}

/**
 * Answers through a response_url (a command's, a button's), as Bolt's respond does, but bounded
 * and retried: Slack answering 429 (after its Retry-After), 5xx, or dropping the connection is
 * tried again; a 4xx is not. A person's answer is worth the rare duplicate a retry can make
 * rather than none. Throws, for the log, when every attempt failed, and without posting when the
 * URL is not Slack's (the error names only its host: the rest of a response URL is a credential).
 */
export function responder(url: unknown, policy: RespondPolicy = RESPOND_POLICY): Respond {
  return async (message) => {
    if (typeof url !== 'string' || !url) throw new Error('nowhere to answer: the request had no response_url');
    if (!allowedResponseUrl(url)) throw new Error(`refused to answer at ${hostOf(url)}: a response_url must be Slack's (${SLACK_RESPONSE_ORIGIN}/)`);
    // As bytes: fetch would otherwise copy a string to check it and then encode it, on every attempt.
    const body = Buffer.from(JSON.stringify(message));
    for (let number = 1; ; number++) {
      const result = await attempt(url, body, policy);
      if (result.ok) return;
      if (!result.retry || number >= policy.attempts) throw new Error(`${result.error} (attempt ${number} of ${policy.attempts})`);
      const waitMs = Math.min(result.waitMs ?? policy.backoffMs * 2 ** (number - 1), policy.maxWaitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host || 'a URL with no host';
  } catch {
    return 'a URL that does not parse';
  }
}
