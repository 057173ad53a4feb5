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

type Attempt = { ok: true } | { ok: false; retry: boolean; waitMs: number | null; error: string };

async function attempt(url: string, body: string, policy: RespondPolicy): Promise<Attempt> {
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
 * rather than none. Throws, for the log, when every attempt failed.
 */
export function responder(url: string | undefined, policy: RespondPolicy = RESPOND_POLICY): Respond {
  return async (message) => {
    if (!url) throw new Error('nowhere to answer: the request had no response_url');
    const body = JSON.stringify(message);
    for (let number = 1; ; number++) {
      const result = await attempt(url, body, policy);
      if (result.ok) return;
      if (!result.retry || number >= policy.attempts) throw new Error(`${result.error} (attempt ${number} of ${policy.attempts})`);
      const waitMs = Math.min(result.waitMs ?? policy.backoffMs * 2 ** (number - 1), policy.maxWaitMs);
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  };
}
