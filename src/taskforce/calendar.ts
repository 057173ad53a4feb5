import { DomainError } from '../domain/errors';
import { calendarFeed } from '../export/calendar';
import { feedMadeAt, feedOwner, issueFeedToken } from '../store/calendar-feeds';
import { loadItems, loadMeetings } from '../store/tracked-items';
import type { Taskforce } from './context';
import { leadsOwnedBy } from './leads';

export type CalendarAddress =
  /** A feed was made now (the first, or after a reset): its address, shown this once. */
  | { kind: 'made'; url: string; reset: boolean; leads: string[] }
  /** The person has a feed already; only its hash is kept, so its address cannot be shown again. */
  | { kind: 'exists'; madeAt: Date; leads: string[] };

const NOT_SERVED_HERE = 'Calendar feeds are served only when the bot runs over HTTP (not in Socket Mode or the console).';

/** `/calendar`: the person's private feed address (made on first use); `/calendar reset`: a new one. */
export async function calendarAddress(taskforce: Taskforce, userId: string, reset: boolean): Promise<CalendarAddress> {
  const place = taskforce.calendarFeed ?? { kind: 'not-served', why: NOT_SERVED_HERE };
  if (place.kind === 'not-served') {
    throw new DomainError('no-calendar-feed', `${place.why} The whole plan's calendar can be written to a file with \`npm run -s export -- ics\`. Nothing was changed.`);
  }
  const leads = await leadsOwnedBy(taskforce, userId);
  const now = taskforce.clock.now();
  if (!reset) {
    const madeAt = await feedMadeAt(taskforce.db, userId);
    if (madeAt) return { kind: 'exists', madeAt, leads };
  }
  const token = await issueFeedToken(taskforce.db, userId, now);
  return { kind: 'made', url: `${place.baseUrl}/calendar/${token}.ics`, reset, leads };
}

/** The feed a token opens: the deadlines of its owner's leads, and the meetings; null if none. */
export async function personalFeed(taskforce: Taskforce, token: string): Promise<string | null> {
  const userId = await feedOwner(taskforce.db, token);
  if (!userId) return null;
  const [leads, items, meetings] = await Promise.all([leadsOwnedBy(taskforce, userId), loadItems(taskforce.db), loadMeetings(taskforce.db)]);
  const theirs = items.filter((item) => item.leads.some((lead) => leads.includes(lead)));
  return calendarFeed(theirs, meetings, { name: 'Libraries Taskforce: my deadlines and meetings', asOf: taskforce.clock.now(), context: { timeZone: taskforce.timeZone, meetings } });
}
