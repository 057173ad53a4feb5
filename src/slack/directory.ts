import { ErrorCode, WebClient, type Logger } from '@slack/web-api';
import type { Directory, GroupMembers } from '../taskforce/context';

/** How long a user group's members are taken as known: usergroups.users.list is Tier 2 (about 20 a minute). */
export const MEMBERS_KEPT_MS = 60_000;

/**
 * Who is in a user group, from usergroups.users.list, kept for a minute and kept up to date
 * between calls by subteam_members_changed. It never waits out a rate limit (that would hold a
 * command's place in the queue and pause the client's other calls): while Slack asks it to wait
 * it answers with what it last knew, or says how long to wait. Concurrent questions about one
 * group share one call. User groups need a paid plan: a workspace without one says so, remembered
 * like members are.
 */
export function slackDirectory(token: string, apiUrl: string | null, options: { logger?: Logger; rateLimited?: (method: string) => void } = {}): Directory {
  const client = new WebClient(token, { slackApiUrl: apiUrl ?? undefined, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, logger: options.logger });
  const known = new Map<string, { members: Set<string>; at: number }>();
  const asking = new Map<string, Promise<GroupMembers>>();
  let waitUntil = 0;
  let noUserGroupsAt = -Infinity;

  function lastKnown(usergroup: string): GroupMembers {
    const entry = known.get(usergroup);
    return entry ? { kind: 'known', members: entry.members } : { kind: 'busy', retryInSeconds: Math.max(1, Math.ceil((waitUntil - Date.now()) / 1000)) };
  }

  async function ask(usergroup: string): Promise<GroupMembers> {
    try {
      const result = await client.usergroups.users.list({ usergroup });
      const entry = { members: new Set(result.users ?? []), at: Date.now() };
      known.set(usergroup, entry);
      return { kind: 'known', members: entry.members };
    } catch (error) {
      const failure = error as { code?: string; retryAfter?: number; data?: { error?: string } };
      if (failure.code === ErrorCode.RateLimitedError) {
        options.rateLimited?.('usergroups.users.list');
        waitUntil = Date.now() + (failure.retryAfter ?? 60) * 1000;
        return lastKnown(usergroup);
      }
      if (failure.code === ErrorCode.PlatformError && failure.data?.error === 'plan_upgrade_required') {
        noUserGroupsAt = Date.now();
        return { kind: 'no-user-groups' };
      }
      throw error;
    }
  }

  return {
    async usergroupMembers(usergroup) {
      if (Date.now() - noUserGroupsAt < MEMBERS_KEPT_MS) return { kind: 'no-user-groups' };
      const entry = known.get(usergroup);
      if (entry && Date.now() - entry.at < MEMBERS_KEPT_MS) return { kind: 'known', members: entry.members };
      if (Date.now() < waitUntil) return lastKnown(usergroup);
      let answer = asking.get(usergroup);
      if (!answer) {
        answer = ask(usergroup).finally(() => asking.delete(usergroup));
        asking.set(usergroup, answer);
      }
      return answer;
    },
    membersChanged(usergroup, added, removed) {
      const entry = known.get(usergroup);
      if (!entry) return; // not asked about yet: the first question will ask Slack
      for (const user of added) entry.members.add(user);
      for (const user of removed) entry.members.delete(user);
    },
  };
}
