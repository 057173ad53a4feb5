import type { CalendarMeeting } from '../domain/meetings-ics';
import type { Db } from './client';

export interface CalendarChanges {
  added: number;
  moved: number;
  cancelled: number;
}

const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);

/**
 * Brings the stored meetings in line with the calendar's, matched by UID: new events are added
 * (or adopt a meeting `/meeting add` put at the same time), changed ones moved in place (so a
 * moved meeting keeps its id, and its digest's ledger key: one already posted is not posted
 * again), and meetings the calendar no longer has are cancelled. A meeting that has started is
 * history: the calendar no longer moves or cancels it. Meetings added by hand and not in the
 * calendar are left alone.
 */
export async function applyCalendarMeetings(db: Db, meetings: readonly CalendarMeeting[], now: Date): Promise<CalendarChanges> {
  const changes: CalendarChanges = { added: 0, moved: 0, cancelled: 0 };
  const stored = await db.meeting.findMany({ where: { calendarUid: { not: null } } });
  const byUid = new Map(stored.map((row) => [row.calendarUid!, row]));
  const inCalendar = new Set<string>();
  for (const meeting of meetings) {
    inCalendar.add(meeting.uid);
    const row = byUid.get(meeting.uid);
    if (!row) {
      const byHand = await db.meeting.findFirst({ where: { calendarUid: null, cancelledAt: null, startsAt: meeting.startsAt } });
      if (byHand) {
        await db.meeting.update({ where: { id: byHand.id }, data: { calendarUid: meeting.uid, endsAt: meeting.endsAt, note: meeting.title ?? byHand.note } });
      } else {
        await db.meeting.create({ data: { startsAt: meeting.startsAt, endsAt: meeting.endsAt, note: meeting.title, calendarUid: meeting.uid, createdBy: 'calendar', createdAt: now } });
        changes.added++;
      }
      continue;
    }
    if (row.startsAt <= now) continue;
    const moved = !sameTime(row.startsAt, meeting.startsAt);
    const restored = row.cancelledAt !== null;
    const note = meeting.title ?? row.note;
    if (!moved && !restored && sameTime(row.endsAt, meeting.endsAt) && row.note === note) continue;
    await db.meeting.update({ where: { id: row.id }, data: { startsAt: meeting.startsAt, endsAt: meeting.endsAt, note, cancelledAt: null } });
    if (restored) changes.added++;
    else if (moved) changes.moved++;
  }
  for (const row of stored) {
    if (inCalendar.has(row.calendarUid!) || row.cancelledAt !== null || row.startsAt <= now) continue;
    await db.meeting.update({ where: { id: row.id }, data: { cancelledAt: now } });
    changes.cancelled++;
  }
  return changes;
}
