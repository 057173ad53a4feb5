import type { Clock } from '../domain/clock';
import type { ReminderSettings } from '../domain/reminders';
import type { Status } from '../domain/statuses';
import type { Db } from '../store/client';
import type { PersonChart } from './charts';
import type { RefusalLimiter } from './refusals';

/** Something the Taskforce should hear about. The front ends word it. */
export type Announcement =
  | { kind: 'status'; actor: string; ref: string; title: string; status: Status; part: string | null; note: string | null }
  | { kind: 'meeting-added' | 'meeting-cancelled'; actor: string; startsAt: Date; note: string | null };

/** Where the bot says things in public: the Taskforce channel in Slack, the terminal in the console. */
export interface Announcer {
  /** Resolves once the line is on its way; it may still be in flight (it never fails the caller). */
  announce(announcement: Announcement): Promise<void>;
}

/** Who is in a user group, as far as Slack will say just now. */
export type GroupMembers =
  | { kind: 'known'; members: ReadonlySet<string> }
  /** The workspace's Slack plan has no user groups (they need a paid plan). */
  | { kind: 'no-user-groups' }
  /** Slack asked the bot to wait (rate limit) and nothing is known yet. */
  | { kind: 'busy'; retryInSeconds: number };

/** What the bot needs to know about Slack's people: who is in a user group. */
export interface Directory {
  /** Answers at once with what can be known now; never waits out Slack's rate limit. */
  usergroupMembers(usergroupId: string): Promise<GroupMembers>;
  /** Slack said who joined and left a group (the subteam_members_changed event). */
  membersChanged(usergroupId: string, added: readonly string[], removed: readonly string[]): void;
}

/** A file to hand to the Taskforce: a report's Markdown, HTML or PDF. */
export interface PublishedFile {
  filename: string;
  content: string | Buffer;
  title: string;
}

/** Posts what the Taskforce team asked for: a meeting's digest, a report's files. */
export interface Publisher {
  /** Posts the digest of a meeting now, once (see jobs/digests.ts). */
  postDigest(meetingId: number): Promise<'posted' | 'retrying' | 'already-posted' | 'no-channel'>;
  /** Uploads files to the Taskforce channel together (Slack: one upload), or writes them (console); says where they went. */
  publishFiles(files: readonly PublishedFile[]): Promise<string>;
  /** Gives a person a chart (Slack: a direct message; the console: a file); says where it went. */
  publishChart(userId: string, chart: PersonChart): Promise<string>;
}

/** Everything the services need, passed in (never read from globals), so tests can build one. */
export interface Taskforce {
  db: Db;
  clock: Clock;
  timeZone: string;
  admins: ReadonlySet<string>;
  announcer: Announcer;
  directory: Directory;
  publisher: Publisher;
  /** Counts each person's refused updates, to slow down someone trying again and again. */
  refusals: RefusalLimiter;
  /** An open item with no update for this many days has "gone quiet" (digests). */
  quietDays: number;
  /** When reminders go (`/reminders` says so); the defaults when not given. */
  reminders?: ReminderSettings;
  /** Where people's calendar feeds are served (HTTP mode); absent in the console. */
  calendarFeed?: CalendarFeedPlace;
}

/** Whether `/calendar` can hand out a feed address, and if not, why (said to the person). */
export type CalendarFeedPlace = { kind: 'served'; baseUrl: string } | { kind: 'not-served'; why: string };

export const silentAnnouncer: Announcer = { announce: async () => undefined };
export const emptyDirectory: Directory = { usergroupMembers: async () => ({ kind: 'known', members: new Set() }), membersChanged: () => undefined };
