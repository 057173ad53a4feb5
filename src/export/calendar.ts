import ical, { ICalCalendarMethod, type ICalCalendar } from 'ical-generator';
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
  return calendarText(calendar);
}

/**
 * The calendar's text, byte for byte as `calendar.toString()` writes it, in a tenth of the time;
 * it empties `calendar`. ical-generator 10 folds the lines (RFC 5545) by encoding each character
 * with a new TextEncoder: that was 85% of a feed's time, and 12–20 s for a plan of 10,000 items.
 * Version 11 folds by character code but needs Node 22. So the library writes each event and the
 * calendar around them, and the events' lines are folded here (test/unit/calendar.test.ts
 * compares both).
 */
export function calendarText(calendar: ICalCalendar): string {
  const events = calendar
    .events()
    .map((event) => event.toString())
    .join('');
  calendar.clear();
  const frame = calendar.toString();
  // The events go last, before the calendar's own X- properties (this feed sets none) and its end.
  const end = frame.lastIndexOf('END:VCALENDAR');
  return frame.slice(0, end) + foldLines(events) + frame.slice(end);
}

/** Octets a line may hold before it is folded; a continuation line's leading space is not counted (as ical-generator 10). */
const FOLD_AT = 74;

/** RFC 5545 line folding, as ical-generator's `foldLines`: a line over 74 octets of UTF-8 goes on after CRLF and a space, never inside a character. */
export function foldLines(text: string): string {
  return text
    .split('\r\n')
    .map((line) => {
      if (line.length <= FOLD_AT / 3 || Buffer.byteLength(line) <= FOLD_AT) return line;
      const pieces: string[] = [];
      let start = 0;
      let octets = 0;
      for (let index = 0; index < line.length; index++) {
        const code = line.charCodeAt(index);
        const pair = code >= 0xd800 && code <= 0xdbff && index + 1 < line.length && (line.charCodeAt(index + 1) & 0xfc00) === 0xdc00;
        // UTF-8 octets: an unpaired surrogate is written as U+FFFD, three.
        const size = pair ? 4 : code < 0x80 ? 1 : code < 0x800 ? 2 : 3;
        octets += size;
        if (octets > FOLD_AT) {
          pieces.push(line.slice(start, index));
          start = index;
          octets = size;
        }
        if (pair) index++;
      }
      pieces.push(line.slice(start));
      return pieces.join('\r\n ');
    })
    .join('\r\n');
}
