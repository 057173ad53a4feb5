import { ErrorCode, WebClient, type Logger } from '@slack/web-api';
import { statusReadsAway } from '../domain/personal';
import { isKnownTimeZone } from '../domain/time';
import type { PeopleLookup } from '../jobs/people';
import type { SlackPerson } from '../store/people';

/** A Slack profile's status, as users.profile.get and the user_change event carry it. */
export interface SlackStatus {
  status_text?: string;
  status_emoji?: string;
  /** Unix seconds; 0 when it does not expire. */
  status_expiration?: number;
}

/** Whether a status reads as away, and until when (its expiry, if it has one). */
export function awayFromStatus(profile: SlackStatus | undefined, now: Date): SlackPerson['away'] {
  const text = profile?.status_text ?? '';
  const emoji = profile?.status_emoji ?? '';
  const expires = profile?.status_expiration ? new Date(profile.status_expiration * 1000) : null;
  if (expires && expires <= now) return false;
  return statusReadsAway(text, emoji) ? { text: text || emoji, until: expires } : false;
}

/** A zone Slack gave, if this runtime knows it. */
export function knownZone(zone: unknown): string | null {
  return typeof zone === 'string' && zone !== '' && isKnownTimeZone(zone) ? zone : null;
}

/**
 * Reads people from Slack: the time zone from users.info (users:read), the status from
 * users.profile.get (users.profile:read). Without that scope the status is not read again (it is
 * optional: the person's own /away still works). Never waits out a rate limit: the sweep asks
 * again next time.
 */
export function slackPeople(token: string, apiUrl: string | null, clock: () => Date, options: { logger?: Logger; rateLimited?: (method: string) => void } = {}): PeopleLookup {
  const client = new WebClient(token, { slackApiUrl: apiUrl ?? undefined, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 10_000, logger: options.logger });
  let statusReadable = true;
  const failure = (error: unknown) => error as { code?: string; data?: { error?: string } };
  return {
    async lookup(userId) {
      let timeZone: string | null;
      try {
        timeZone = knownZone((await client.users.info({ user: userId })).user?.tz);
      } catch (error) {
        if (failure(error).code === ErrorCode.RateLimitedError) {
          options.rateLimited?.('users.info');
          return null;
        }
        throw error;
      }
      if (!statusReadable) return { timeZone, away: null };
      try {
        const profile = (await client.users.profile.get({ user: userId })).profile as SlackStatus | undefined;
        return { timeZone, away: awayFromStatus(profile, clock()) };
      } catch (error) {
        const { code, data } = failure(error);
        if (code === ErrorCode.PlatformError && (data?.error === 'missing_scope' || data?.error === 'not_allowed_token_type')) statusReadable = false;
        else if (code === ErrorCode.RateLimitedError) options.rateLimited?.('users.profile.get');
        else throw error;
        return { timeZone, away: null };
      }
    },
  };
}
