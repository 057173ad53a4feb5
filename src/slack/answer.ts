import { parseCommand, type SlashCommand } from '../domain/commands';
import { DomainError } from '../domain/errors';
import type { Taskforce } from '../taskforce/context';
import { listItems, myItems, overdueReport, setReminders, updateStatus, upcomingReport, viewItem } from '../taskforce/items';
import { clearLead, listLeads, mapLead } from '../taskforce/leads';
import { addMeeting, cancelMeeting, upcomingMeetings } from '../taskforce/meetings';
import { errorBlocks, helpBlocks, leadMappedBlocks, leadsBlocks, meetingChangedBlocks, meetingsBlocks, remindersSwitchedBlocks, digestPreviewBlocks, digestPostedBlocks, reportPublishedBlocks } from './blocks/others';
import { historyBlocks, itemBlocks, itemListBlocks, overdueBlocks, updatedBlocks, upcomingBlocks } from './blocks/items';
import { formatInstant, type Reply } from './blocks/common';
import { digestPages } from './blocks/digest';
import { postDigestNow, previewDigest, publishReport } from '../taskforce/digests';
import { noteOutcome } from '../metrics';
import { comeBack, goAway, personSettings, setFrequency, setQuietHours } from '../taskforce/people';
import { awayBlocks, reminderSettingsBlocks } from './blocks/people';
import { calendarAddress } from '../taskforce/calendar';
import { calendarBlocks } from './blocks/calendar';
import { chartForPerson } from '../taskforce/charts';
import { chartSentBlocks } from './blocks/charts';

export interface Invocation {
  command: SlashCommand;
  text: string;
  userId: string;
  /** Where the command came from, recorded with a status update. */
  source: 'command' | 'console';
  page?: number;
  /** What Slack sent to identify this invocation (trigger_id): a re-delivery is applied once. */
  dedupeKey?: string;
}

/** Said when something other than the person's input failed: nothing was saved. */
export const FAILURE_REPLY: Reply = errorBlocks(
  'Sorry, that did not go through: something failed on our side, so nothing was saved and nothing changed. Please try again in a moment.',
);

/**
 * Carries out one slash command and says what to answer: the same for Slack and the console.
 * Mistakes in what was asked (DomainError) become friendly replies; anything else is thrown
 * for the caller to log and answer with FAILURE_REPLY.
 */
export async function answerCommand(taskforce: Taskforce, invocation: Invocation): Promise<Reply> {
  try {
    return await carryOut(taskforce, invocation);
  } catch (error) {
    if (error instanceof DomainError) {
      noteOutcome('refused');
      return errorBlocks(error.message);
    }
    throw error;
  }
}

async function carryOut(taskforce: Taskforce, { command, text, userId, source, page = 1, dedupeKey }: Invocation): Promise<Reply> {
  const parsed = parseCommand(command, text, source === 'console' ? 'console' : 'slack');
  const paging = { command, text, page };
  const zone = taskforce.timeZone;
  switch (parsed.kind) {
    case 'help':
      return helpBlocks(parsed.topic, parsed.problem);
    case 'error':
      noteOutcome('refused');
      return errorBlocks(parsed.message);
    case 'show':
      return itemBlocks(await viewItem(taskforce, parsed.ref), zone);
    case 'history':
      return historyBlocks(await viewItem(taskforce, parsed.ref), zone, paging);
    case 'reminders': {
      const item = await setReminders(taskforce, userId, parsed.ref, parsed.on);
      return remindersSwitchedBlocks(item.ref, parsed.on);
    }
    case 'update':
      return updatedBlocks(await updateStatus(taskforce, { ref: parsed.ref, status: parsed.status, text: parsed.rest, userId, source, dedupeKey }), zone);
    case 'mine': {
      const mine = await myItems(taskforce, userId);
      const note = mine.leads.length ? `you answer for ${mine.leads.join(', ')}` : 'you are not mapped to any lead yet: an admin can do it with `/lead`';
      return itemListBlocks(mine, paging, note);
    }
    case 'list':
      return itemListBlocks(await listItems(taskforce, parsed.filter), paging);
    case 'overdue':
      return overdueBlocks(await overdueReport(taskforce, parsed.lead), zone, paging);
    case 'upcoming':
      return upcomingBlocks(await upcomingReport(taskforce, parsed.days), zone, paging);
    case 'leads':
      return leadsBlocks(await listLeads(taskforce), paging);
    case 'map-lead':
      return leadMappedBlocks(await mapLead(taskforce, userId, parsed.lead, parsed.owners));
    case 'clear-lead':
      return leadMappedBlocks(await clearLead(taskforce, userId, parsed.lead));
    case 'meetings':
      return meetingsBlocks(await upcomingMeetings(taskforce), zone, paging);
    case 'add-meeting':
      return meetingChangedBlocks('Added', await addMeeting(taskforce, userId, parsed.date, parsed.time, parsed.note), zone);
    case 'digest': {
      if (!parsed.post) return digestPreviewBlocks(digestPages(await previewDigest(taskforce), zone), paging);
      const posted = await postDigestNow(taskforce, userId);
      return digestPostedBlocks(posted.outcome, formatInstant(posted.meetingAt, zone));
    }
    case 'report': {
      const report = await publishReport(taskforce, userId, parsed.endMonth, dedupeKey);
      return reportPublishedBlocks(report.period, report.location, report.files, report.notice);
    }
    case 'away-show':
      return awayBlocks(await personSettings(taskforce, userId), 'show');
    case 'away-until':
      return awayBlocks(await goAway(taskforce, userId, parsed.date, parsed.note), 'set');
    case 'away-off': {
      const back = await comeBack(taskforce, userId);
      return awayBlocks(back.settings, back.wasAway ? 'back' : 'not-away');
    }
    case 'reminder-settings':
      return reminderSettingsBlocks(await personSettings(taskforce, userId));
    case 'reminder-frequency':
      return reminderSettingsBlocks(
        await setFrequency(taskforce, userId, parsed.frequency),
        parsed.frequency === 'weekly' ? 'Weekly from now on: one summary each Monday morning, and a reminder on a deadline\'s own day.' : 'Daily from now on: a reminder at each step.',
      );
    case 'quiet-hours':
      return reminderSettingsBlocks(
        await setQuietHours(taskforce, userId, parsed.quiet),
        parsed.quiet ? `Quiet hours ${parsed.quiet.from}–${parsed.quiet.to}, your time: no DMs then.` : 'No quiet hours from now on.',
      );
    case 'calendar':
      return calendarBlocks(await calendarAddress(taskforce, userId, parsed.reset), zone);
    case 'chart': {
      const sent = await chartForPerson(taskforce, userId, parsed.chart, parsed.asOf, dedupeKey);
      return chartSentBlocks(sent.title, sent.location);
    }
    case 'cancel-meeting':
      return meetingChangedBlocks('Cancelled', await cancelMeeting(taskforce, userId, parsed.date, parsed.time), zone);
  }
}
