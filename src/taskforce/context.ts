import type { Clock } from '../domain/clock';
import type { Db } from '../store/client';

/** Where the bot says things in public: the Taskforce channel in Slack, the terminal in the console. */
export interface Announcer {
  announce(text: string): Promise<void>;
}

/** What the bot needs to know about Slack's people: who is in a user group. */
export interface Directory {
  usergroupMembers(usergroupId: string): Promise<string[]>;
}

/** Everything the services need, passed in (never read from globals), so tests can build one. */
export interface Taskforce {
  db: Db;
  clock: Clock;
  timeZone: string;
  admins: ReadonlySet<string>;
  announcer: Announcer;
  directory: Directory;
}

export const silentAnnouncer: Announcer = { announce: async () => undefined };
export const emptyDirectory: Directory = { usergroupMembers: async () => [] };
