import ical, { type VEvent } from 'node-ical';

/** A feed's events, parsed back with node-ical: by UID. */
export function eventsOf(text: string): Map<string, VEvent> {
  const events = new Map<string, VEvent>();
  for (const component of Object.values(ical.sync.parseICS(text))) {
    if (component && component.type === 'VEVENT') events.set(component.uid, component as VEvent);
  }
  return events;
}

/** The day of an all-day event as the calendar means it (node-ical makes a date-only value local midnight). */
export function dayOf(event: VEvent): string {
  const start = event.start;
  if (!start.dateOnly) throw new Error(`${event.uid} is not an all-day event`);
  return `${start.getFullYear()}-${String(start.getMonth() + 1).padStart(2, '0')}-${String(start.getDate()).padStart(2, '0')}`;
}

/** UID → day of every deadline event in a feed. */
export function deadlineDays(text: string): Map<string, string> {
  return new Map([...eventsOf(text)].filter(([uid]) => uid.startsWith('deadline-')).map(([uid, event]) => [uid, dayOf(event)]));
}
