/** Refused updates one person may make in a window before the bot stops checking for a while. */
const REFUSALS_ALLOWED = 5;
const WINDOW_MS = 60_000;
/** A bound on the people remembered, for a long-running process. */
const PEOPLE_KEPT = 10_000;

export interface RefusalLimiter {
  /** Seconds until this person's updates are checked again; 0 when they may try now. */
  waitFor(userId: string): number;
  refused(userId: string): void;
}

/**
 * Remembers when each person was last refused. Someone refused again and again (a stranger, a
 * script) is told to wait, without a look at Slack's user groups, which cost a rate-limited call.
 */
export function refusalLimiter(): RefusalLimiter {
  const refusals = new Map<string, number[]>();
  const recent = (userId: string) => (refusals.get(userId) ?? []).filter((at) => at > Date.now() - WINDOW_MS);
  return {
    waitFor(userId) {
      const times = recent(userId);
      return times.length < REFUSALS_ALLOWED ? 0 : Math.max(1, Math.ceil((times[times.length - REFUSALS_ALLOWED] + WINDOW_MS - Date.now()) / 1000));
    },
    refused(userId) {
      if (refusals.size >= PEOPLE_KEPT && !refusals.has(userId)) refusals.clear();
      refusals.set(userId, [...recent(userId), Date.now()].slice(-REFUSALS_ALLOWED));
    },
  };
}
