import type { Digest } from '../domain/digest';
import { DomainError } from '../domain/errors';
import { buildReport, reportPeriod, type ReportPeriod } from '../domain/report';
import type { Month } from '../domain/time';
import { digestFor } from '../jobs/digests';
import { checkReportMonth } from '../domain/plan-span';
import { claimRequest, releaseRequest, requestDone } from '../store/requests';
import { loadItems } from '../store/tracked-items';
import type { Taskforce } from './context';
import { deadlineContext } from './items';
import { requireAdmin } from './leads';
import { loadPlanSpan } from './meetings';

async function nextMeeting(taskforce: Taskforce): Promise<{ id: number; startsAt: Date }> {
  const meeting = await taskforce.db.meeting.findFirst({
    where: { cancelledAt: null, startsAt: { gt: taskforce.clock.now() } },
    orderBy: { startsAt: 'asc' },
  });
  if (!meeting) throw new DomainError('no-meeting', 'No Taskforce meeting is planned, so there is no digest to show. Add one with `/meeting add 2017-05-26 14:00`.');
  return meeting;
}

/** `/digest`: the next meeting's digest as it stands now. */
export async function previewDigest(taskforce: Taskforce): Promise<Digest> {
  const meeting = await nextMeeting(taskforce);
  return digestFor(taskforce.db, meeting.id, taskforce.clock.now(), taskforce.timeZone, { quietDays: taskforce.quietDays });
}

/** `/digest post`: posts the next meeting's digest now (admins); it then will not go again at its time. */
export async function postDigestNow(taskforce: Taskforce, userId: string): Promise<{ outcome: string; meetingAt: Date }> {
  requireAdmin(taskforce, userId, 'post the digest');
  const meeting = await nextMeeting(taskforce);
  const outcome = await taskforce.publisher.postDigest(meeting.id);
  if (outcome === 'no-channel') throw new DomainError('no-channel', 'There is no Taskforce channel to post to: set TASKFORCE_CHANNEL.');
  return { outcome, meetingAt: meeting.startsAt };
}

export interface ReportDraft {
  period: ReportPeriod;
  filename: string;
  markdown: string;
}

export async function draftReport(taskforce: Pick<Taskforce, 'db' | 'clock' | 'timeZone'>, endMonth: Month | null): Promise<ReportDraft> {
  const now = taskforce.clock.now();
  const period = reportPeriod(now, taskforce.timeZone, endMonth ?? undefined);
  checkReportMonth(period.to, await loadPlanSpan(taskforce));
  const markdown = buildReport(await loadItems(taskforce.db), period, now, await deadlineContext(taskforce));
  return { period, filename: `progress-report-${period.from}-to-${period.to}.md`, markdown };
}

/**
 * `/report`: the six-monthly progress report draft, as a Markdown file in the channel (admins).
 * With the request's key (Slack's trigger id), the same request delivered twice uploads once.
 */
export async function publishReport(taskforce: Taskforce, userId: string, endMonth: Month | null, dedupeKey?: string): Promise<ReportDraft & { location: string }> {
  requireAdmin(taskforce, userId, 'produce the progress report');
  const draft = await draftReport(taskforce, endMonth);
  if (dedupeKey && !(await claimRequest(taskforce.db, dedupeKey, 'report', userId, taskforce.clock.now()))) {
    return { ...draft, location: 'already on its way to the channel (the same request arrived twice; it is posted once)' };
  }
  let location: string;
  try {
    location = await taskforce.publisher.publishFile(draft.filename, draft.markdown, `Progress report draft, ${draft.period.from} to ${draft.period.to}`);
  } catch (error) {
    // Not posted: the person may ask again with the same request.
    if (dedupeKey) await releaseRequest(taskforce.db, dedupeKey);
    throw error;
  }
  if (dedupeKey) await requestDone(taskforce.db, dedupeKey, taskforce.clock.now());
  return { ...draft, location };
}
