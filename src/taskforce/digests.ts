import type { Digest } from '../domain/digest';
import { DomainError } from '../domain/errors';
import { reportData, reportMarkdown, reportPeriod, reportStatusesAsOf, type ReportPeriod } from '../domain/report';
import { reportHtml, type ReportChart } from '../export/report-html';
import { reportPdf, type PdfOutcome } from '../export/report-pdf';
import type { Month } from '../domain/time';
import { digestFor } from '../jobs/digests';
import { checkReportMonth } from '../domain/plan-span';
import { claimRequest, releaseRequest, requestDone } from '../store/requests';
import { loadItems } from '../store/tracked-items';
import type { PublishedFile, Taskforce } from './context';
import { deadlineContext } from './items';
import { requireAdmin } from './leads';
import { loadPlanSpan } from './meetings';
import { renderCharts } from './charts';

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
  /** The files' name without its extension: progress-report-2016-11-to-2017-04. */
  basename: string;
  markdown: string;
  html: string;
}

/**
 * The report for the period ending `endMonth` (or the next due), as a Markdown draft and as the
 * HTML page to publish, with the given charts in the page.
 */
export async function draftReport(
  taskforce: Pick<Taskforce, 'db' | 'clock' | 'timeZone'>,
  endMonth: Month | null,
  /** The charts to show; by default the three progress charts as of the report's statuses. */
  charts?: readonly ReportChart[],
): Promise<ReportDraft> {
  const now = taskforce.clock.now();
  const period = reportPeriod(now, taskforce.timeZone, endMonth ?? undefined);
  checkReportMonth(period.to, await loadPlanSpan(taskforce));
  const data = reportData(await loadItems(taskforce.db), period, now, await deadlineContext(taskforce));
  charts ??= await renderCharts(taskforce, reportStatusesAsOf(period, now, taskforce.timeZone));
  return { period, basename: `progress-report-${period.from}-to-${period.to}`, markdown: reportMarkdown(data), html: reportHtml(data, charts) };
}

/** A draft's files, to edit (Markdown), to publish (HTML) and to print (PDF, when one could be made). */
export function reportFiles(draft: ReportDraft, pdf: PdfOutcome): PublishedFile[] {
  const span = `${draft.period.from} to ${draft.period.to}`;
  return [
    { filename: `${draft.basename}.md`, content: draft.markdown, title: `Progress report draft, ${span} (Markdown, to edit)` },
    { filename: `${draft.basename}.html`, content: draft.html, title: `Progress report, ${span} (HTML, to publish)` },
    ...('pdf' in pdf ? [{ filename: `${draft.basename}.pdf`, content: pdf.pdf, title: `Progress report, ${span} (PDF, to print)` }] : []),
  ];
}

/**
 * `/report`: the six-monthly progress report, its Markdown draft, HTML and PDF uploaded together
 * to the channel (admins). With the request's key (Slack's trigger id), the same request
 * delivered twice uploads once.
 */
export async function publishReport(
  taskforce: Taskforce,
  userId: string,
  endMonth: Month | null,
  dedupeKey?: string,
): Promise<ReportDraft & { location: string; files: string[]; notice: string | null }> {
  requireAdmin(taskforce, userId, 'produce the progress report');
  const draft = await draftReport(taskforce, endMonth);
  if (dedupeKey && !(await claimRequest(taskforce.db, dedupeKey, 'report', userId, taskforce.clock.now()))) {
    return { ...draft, location: 'already on its way to the channel (the same request arrived twice; it is posted once)', files: [], notice: null };
  }
  let location: string;
  let files: PublishedFile[];
  let pdf: PdfOutcome;
  try {
    pdf = await reportPdf(draft.html);
    files = reportFiles(draft, pdf);
    location = await taskforce.publisher.publishFiles(files);
  } catch (error) {
    // Not posted: the person may ask again with the same request.
    if (dedupeKey) await releaseRequest(taskforce.db, dedupeKey);
    throw error;
  }
  if (dedupeKey) await requestDone(taskforce.db, dedupeKey, taskforce.clock.now());
  return { ...draft, location, files: files.map((file) => file.filename), notice: 'skipped' in pdf ? pdf.skipped : null };
}
