import type { VEvent } from 'node-ical';

type NodeIcal = typeof import('node-ical');

/** node-ical, loaded at the first calendar read: most bots read none (TASKFORCE_MEETINGS_ICS unset), and it is 6 MiB. */
function nodeIcal(): NodeIcal {
  return require('node-ical') as NodeIcal;
}
import { NOTE_LIMIT } from './commands';
import { controlCharacter } from './text';

/**
 * The Taskforce's meetings as its calendar has them (TASKFORCE_MEETINGS_ICS), parsed with
 * node-ical: time zones (TZID and VTIMEZONE), recurring events (RRULE, with EXDATE and
 * RECURRENCE-ID overrides) expanded into one meeting per occurrence. Pure: text in, meetings out.
 */
export interface CalendarMeeting {
  /** The event's UID; for an occurrence of a recurring event, with the occurrence's original start. */
  uid: string;
  startsAt: Date;
  endsAt: Date | null;
  title: string | null;
}

export interface CalendarReading {
  meetings: CalendarMeeting[];
  /** All-day events: a meeting needs a start time, so these are left out (and said so in the log). */
  allDayLeftOut: number;
  /** Occurrences past MAX_MEETINGS, left out (and said so). */
  beyondLimit: number;
}

/** Why a calendar could not be read: said in one line in the log. */
export class CalendarReadError extends Error {}

/** More meetings than the Taskforce could hold in the plans' years: a runaway RRULE, most likely. */
export const MAX_MEETINGS = 2000;

function titleOf(event: Pick<VEvent, 'summary'>): string | null {
  const raw = typeof event.summary === 'string' ? event.summary : (event.summary as { val?: string } | undefined)?.val;
  if (!raw) return null;
  const text = [...raw.replace(/\s+/g, ' ').trim()].filter((char) => !controlCharacter(char)).join('');
  return text ? [...text].slice(0, NOTE_LIMIT).join('') : null;
}

/** Reads a calendar's text; meetings from `from` to `to` (a recurring event's occurrences in that window). */
export function readMeetingsIcs(text: string, window: { from: Date; to: Date }): CalendarReading {
  if (!/^\uFEFF?\s*BEGIN:VCALENDAR\r?\n/i.test(text) || !/END:VCALENDAR\s*$/i.test(text)) {
    throw new CalendarReadError('is not an iCalendar file (it should begin with BEGIN:VCALENDAR and end with END:VCALENDAR)');
  }
  const ical = nodeIcal();
  let parsed: ReturnType<NodeIcal['sync']['parseICS']>;
  try {
    parsed = ical.sync.parseICS(text);
  } catch (error) {
    throw new CalendarReadError(`could not be parsed as iCalendar: ${(error as Error).message}`);
  }
  const meetings: CalendarMeeting[] = [];
  let allDayLeftOut = 0;
  for (const component of Object.values(parsed)) {
    if (!component || component.type !== 'VEVENT') continue;
    const event = component as VEvent;
    if (!event.uid || !(event.start instanceof Date) || Number.isNaN(event.start.getTime()) || event.status === 'CANCELLED') continue;
    if (event.datetype === 'date') {
      allDayLeftOut++;
      continue;
    }
    if (!event.rrule) {
      if (event.start >= window.from && event.start <= window.to) meetings.push({ uid: event.uid, startsAt: new Date(event.start), endsAt: event.end ? new Date(event.end) : null, title: titleOf(event) });
      continue;
    }
    for (const instance of ical.expandRecurringEvent(event, { from: window.from, to: window.to })) {
      if (instance.event.status === 'CANCELLED') continue;
      // An occurrence is known by when the series put it, even once an override has moved it.
      const original = instance.isOverride && instance.event.recurrenceid ? instance.event.recurrenceid : instance.start;
      meetings.push({ uid: `${event.uid}#${new Date(original).toISOString()}`, startsAt: new Date(instance.start), endsAt: instance.end ? new Date(instance.end) : null, title: titleOf(instance.event) });
    }
  }
  meetings.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const beyondLimit = Math.max(0, meetings.length - MAX_MEETINGS);
  return { meetings: meetings.slice(0, MAX_MEETINGS), allDayLeftOut, beyondLimit };
}
