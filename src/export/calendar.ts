import ical, { ICalCalendarMethod } from 'ical-generator';
import { assessItem, statusAsOf, type DeadlineContext, type OccurrenceState } from '../domain/deadlines';
import { dayjs } from '../domain/time';
import { itemTitle } from '../domain/titles';
import type { PlanItemRecord } from '../store/tracked-items';

/**
 * The plan's deadlines and the Taskforce's meetings as an iCalendar feed (RFC 5545, written by
 * ical-generator). Pure: the CLI and the HTTP route load the records and send the text.
 *
 * Each deadline occurrence is its own all-day event on the day the bot counts it due (the
 * occurrences of src/domain/deadlines.ts, listed one by one rather than as RRULEs, so that a
 * calendar can never disagree with the bot about a date). UIDs are stable: an edit to an item's
 * status or text changes the event, not its identity.
 */
export interface FeedMeeting {
  id: number;
  startsAt: Date;
  endsAt: Date | null;
  note: string | null;
}

/** A meeting with no end in the calendar it came from (or added by `/meeting add`) is shown this long. */
export const DEFAULT_MEETING_MINUTES = 60;

const UID_DOMAIN = 'taskforce-bot';

export function deadlineUid(deadlineId: number, occurrenceKey: string): string {
  return `deadline-${deadlineId}-${occurrenceKey}@${UID_DOMAIN}`;
}

export function meetingUid(meetingId: number): string {
  return `meeting-${meetingId}@${UID_DOMAIN}`;
}

const STATE_WORDS: Record<OccurrenceState, string> = {
  met: 'met',
  overdue: 'overdue',
  upcoming: 'not yet due',
  missed: 'missed (a later one has fallen due since)',
};

function dateOnly(localDate: string): Date {
  // ical-generator writes an all-day date from a Date's UTC fields (with no calendar time zone set).
  const [year, month, day] = localDate.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

export interface FeedOptions {
  name: string;
  /** When the feed was made: each event's DTSTAMP. */
  asOf: Date;
  context: DeadlineContext;
}

export function calendarFeed(items: readonly PlanItemRecord[], meetings: readonly FeedMeeting[], options: FeedOptions): string {
  const { asOf, context } = options;
  const asOfWords = dayjs(asOf).tz(context.timeZone).format('D MMM YYYY HH:mm'); // once: formatting in a zone is slow
  const calendar = ical({ name: options.name, prodId: { company: 'Libraries Taskforce', product: 'taskforce-bot', language: 'EN' }, method: ICalCalendarMethod.PUBLISH });
  for (const item of items) {
    const title = itemTitle(item.text);
    const status = statusAsOf(item, asOf).replace('-', ' ');
    for (const occurrence of assessItem(item, asOf, context)) {
      const { milestone } = occurrence;
      const part = milestone.part ? ` (${milestone.part})` : '';
      calendar.createEvent({
        id: deadlineUid(milestone.id, occurrence.key),
        start: dateOnly(occurrence.dueDate),
        allDay: true,
        stamp: asOf,
        summary: `${item.ref} ${title}${part}`,
        description: [
          `Deadline of action plan item ${item.ref}${part}: the plan says "${milestone.words}".`,
          `Lead: ${item.leads.join(', ') || 'none named'}.`,
          `Item status: ${status}; this deadline: ${STATE_WORDS[occurrence.state]} (as of ${asOfWords}).`,
          `In Slack: /action ${item.ref}`,
        ].join('\n'),
      });
    }
  }
  for (const meeting of meetings) {
    calendar.createEvent({
      id: meetingUid(meeting.id),
      start: meeting.startsAt,
      end: meeting.endsAt ?? new Date(meeting.startsAt.getTime() + DEFAULT_MEETING_MINUTES * 60_000),
      stamp: asOf,
      summary: meeting.note ? `Taskforce meeting: ${meeting.note}` : 'Taskforce meeting',
      description: 'Libraries Taskforce meeting. Its digest is posted in the Taskforce channel beforehand; /digest previews it.',
    });
  }
  return calendar.toString();
}
