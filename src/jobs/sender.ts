import type { OutgoingMessage } from '../store/ledger';

export type SendOutcome =
  | { ok: true; ts: string }
  /** Try again: after Slack's Retry-After when it gave one, else after a back-off. */
  | { ok: false; permanent: false; retryAfterMs: number | null; error: string }
  /** Trying again will not help (no such channel, bad token): mark failed. */
  | { ok: false; permanent: true; error: string };

/** A message to send: the notice, where to, and its ledger key (which travels with it). */
export type Sendable = OutgoingMessage & { threadTs?: string; key: string };

/** Sends the sweep's notices: Slack (slack/sender.ts) or the console. */
export interface Sender {
  send(message: Sendable): Promise<SendOutcome>;
  /**
   * The ts of a message already in the conversation (or thread) that carries `key` in its
   * metadata, posted since `since`; null when there is none. Throws when Slack cannot tell.
   */
  findSent(message: Sendable, key: string, since: Date): Promise<string | null>;
}

/** Back-off for transient failures: 30 s, 1, 2, 4 … minutes up to an hour, with jitter. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(60 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}
