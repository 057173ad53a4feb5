import type { Db } from '../store/client';
import { markFailed, markRetry, markSent, sentTs, type Claimed } from '../store/ledger';
import { backoffMs, type Sender } from './sender';
import type { LineLog } from '../log';

export type Delivery = 'sent' | 'retry' | 'failed';

/**
 * Makes one claimed send, outside any database transaction, and records how it went: sent (with
 * Slack's ts), to retry (after Retry-After, or a back-off), or failed for good. A retry first
 * checks whether an earlier attempt reached Slack after all.
 */
export async function deliver(db: Db, sender: Sender, claimed: Claimed, now: () => Date, log: LineLog): Promise<Delivery> {
  let threadTs: string | undefined;
  if (claimed.message.threadKey) {
    const parent = await sentTs(db, claimed.message.threadKey);
    if (!parent) {
      await markRetry(db, claimed.key, new Date(now().getTime() + 60_000), 'waiting for the message it replies to');
      return 'retry';
    }
    threadTs = parent;
  }
  // A retry may follow an attempt that Slack took but whose answer never came back (a dropped
  // connection, a time-out, a bot killed mid-send): look for the key in the conversation first.
  if (claimed.attempts > 1) {
    try {
      const ts = await sender.findSent({ ...claimed.message, threadTs, key: claimed.key }, claimed.key, claimed.claimedAt);
      if (ts) {
        await markSent(db, claimed.key, ts, now());
        log(`send ${claimed.key} was already in Slack (ts ${ts}): not sent again`, { send: claimed.key });
        return 'sent';
      }
    } catch (error) {
      log(`send ${claimed.key}: could not check Slack for an earlier attempt (${(error as Error).message}); sending`, { send: claimed.key, level: 'warn' });
    }
  }
  const outcome = await sender.send({ ...claimed.message, threadTs, key: claimed.key });
  if (outcome.ok) {
    await markSent(db, claimed.key, outcome.ts, now());
    return 'sent';
  }
  if (outcome.permanent) {
    await markFailed(db, claimed.key, outcome.error);
    log(`send ${claimed.key} to ${claimed.message.channel} failed for good: ${outcome.error}`, { send: claimed.key, level: 'error' });
    return 'failed';
  }
  const wait = outcome.retryAfterMs ?? backoffMs(claimed.attempts);
  await markRetry(db, claimed.key, new Date(now().getTime() + wait), outcome.error);
  log(`send ${claimed.key} will be retried in ${Math.round(wait / 1000)} s: ${outcome.error}`, { send: claimed.key, level: 'warn' });
  return 'retry';
}
