import { DomainError } from '../domain/errors';
import { meetingInstant, planSpan, type PlanSpan } from '../domain/plan-span';
import { addDays, dayjs, localDate, startOfLocalDay } from '../domain/time';
import type { Taskforce } from './context';
import { requireAdmin } from './leads';

export interface MeetingView {
  id: number;
  startsAt: Date;
  note: string | null;
}

/** Meetings from today on, earliest first. */
export async function upcomingMeetings(taskforce: Taskforce): Promise<MeetingView[]> {
  const today = startOfLocalDay(localDate(taskforce.clock.now(), taskforce.timeZone), taskforce.timeZone);
  return taskforce.db.meeting.findMany({
    where: { cancelledAt: null, startsAt: { gte: today } },
    orderBy: { startsAt: 'asc' },
    select: { id: true, startsAt: true, note: true },
  });
}

/** The months dates given to the bot may fall in, from the plans in the database. */
export async function loadPlanSpan(taskforce: Pick<Taskforce, 'db'>): Promise<PlanSpan> {
  return planSpan(await taskforce.db.plan.findMany({ select: { startsOn: true, endsOn: true } }));
}

export async function addMeeting(taskforce: Taskforce, userId: string, date: string, time: string, note: string | null): Promise<MeetingView> {
  requireAdmin(taskforce, userId, 'add meetings');
  const startsAt = meetingInstant(date, time, taskforce.timeZone, await loadPlanSpan(taskforce));
  const clash = await taskforce.db.meeting.findFirst({ where: { startsAt, cancelledAt: null } });
  if (clash) throw new DomainError('meeting-exists', `There is already a meeting at ${time} on ${date}.`);
  const now = taskforce.clock.now();
  const meeting = await taskforce.db.meeting.create({ data: { startsAt, note, createdBy: userId, createdAt: now } });
  await taskforce.announcer.announce({ kind: 'meeting-added', actor: userId, startsAt, note });
  return { id: meeting.id, startsAt: meeting.startsAt, note: meeting.note };
}

/** Cancels the meeting on a date (at a time, when there are several that day). */
export async function cancelMeeting(taskforce: Taskforce, userId: string, date: string, time: string | null): Promise<MeetingView> {
  requireAdmin(taskforce, userId, 'cancel meetings');
  const candidates = await taskforce.db.meeting.findMany({
    where: { cancelledAt: null, startsAt: { gte: startOfLocalDay(date, taskforce.timeZone), lt: startOfLocalDay(addDays(date, 1), taskforce.timeZone) } },
    orderBy: { startsAt: 'asc' },
  });
  const matching = time
    ? candidates.filter((meeting) => dayjs(meeting.startsAt).tz(taskforce.timeZone).format('HH:mm') === time)
    : candidates;
  if (matching.length === 0) throw new DomainError('unknown-meeting', `There is no meeting on ${date}${time ? ` at ${time}` : ''}. \`/meeting\` lists them.`);
  if (matching.length > 1) {
    const times = matching.map((meeting) => dayjs(meeting.startsAt).tz(taskforce.timeZone).format('HH:mm'));
    throw new DomainError('ambiguous-meeting', `There are ${matching.length} meetings on ${date} (${times.join(', ')}): say which, e.g. \`/meeting cancel ${date} ${times[0]}\`.`);
  }
  const [meeting] = matching;
  if (meeting.calendarUid) {
    throw new DomainError('calendar-meeting', `The meeting on ${date} comes from the Taskforce's meetings calendar: cancel or move it there, and the bot follows at its next look (within the hour). Nothing was changed.`);
  }
  await taskforce.db.meeting.update({ where: { id: meeting.id }, data: { cancelledAt: taskforce.clock.now() } });
  await taskforce.announcer.announce({ kind: 'meeting-cancelled', actor: userId, startsAt: meeting.startsAt, note: meeting.note });
  return { id: meeting.id, startsAt: meeting.startsAt, note: meeting.note };
}
