import type { KnownBlock, View } from '@slack/types';
import { NOTE_LIMIT, type SlashCommand } from '../../domain/commands';
import { type Status, STATUS_LABEL } from '../../domain/statuses';
import type { LeadView } from '../../taskforce/leads';
import type { Dashboard } from '../../taskforce/items';
import { summaryLine } from './items';
import type { MeetingView } from '../../taskforce/meetings';
import {
  context,
  divider,
  dueWords,
  escape,
  formatInstant,
  header,
  mention,
  oneLine,
  pageButtons,
  paginate,
  plural,
  section,
  sectionsOf,
  STATUS_EMOJI,
  statusBadge,
  type PageRequest,
  type Reply,
} from './common';

const HELP: Record<SlashCommand, string[]> = {
  '/action': [
    '`/action 12` — an item: text, leads, deadlines, status, recent updates, and buttons to update it',
    '`/action 12 on-track` — set a status: on-track, at-risk, off-track, blocked, done (or green, amber, red; "on track" works too)',
    '`/action 12 at-risk waiting on the funding decision` — a status with a note',
    '`/action 4 done commission` — mark one part of a multi-part deadline done',
    '`/action 12 history` — every update to an item',
    '`/action 12 reminders off` — no more reminders about an item (`on` to have them again)',
    '`/action mine` — the items of the leads you answer for',
    '`/action list [lead or theme]` — all items, or one lead\'s (`/action list LGA`) or one theme\'s (`/action list digital`, `/action list W2`)',
  ],
  '/overdue': ['`/overdue` — open overdue deadlines, by lead, oldest first', '`/overdue LGA` — one lead\'s'],
  '/upcoming': ['`/upcoming` — what falls due in the next 30 days', '`/upcoming 14` — in the next 14 days'],
  '/lead': [
    '`/lead` — the leads and their Slack owners',
    '`/lead Arts Council England @ann @bob` — map a lead to people, a @user-group or a #channel (admins; in the console, Slack ids: `@U0123ABCD`)',
    '`/lead Arts Council England clear` — remove a lead\'s owners (admins)',
  ],
  '/digest': [
    '`/digest` — a preview of the digest for the next Taskforce meeting, as it stands now',
    '`/digest post` — post it to the Taskforce channel now (admins); it then does not go again at its time',
  ],
  '/report': [
    '`/report` — the six-monthly progress report (to April or October) in the channel (admins): a Markdown draft to edit, an HTML page to publish and a PDF to print',
    '`/report 2017-04` — the report for the six months to April 2017',
  ],
  '/away': [
    '`/away` — whether you are away, and until when',
    '`/away until 2017-06-05 at a conference` — away until that day (you are back that morning, your time): your reminders go to your leads\' other owners meanwhile (or to the Taskforce channel), and on your return you get one message with what is still open',
    '`/away off` — back now',
    'A Slack status such as "Vacationing" or "Out of office" counts too, until it clears or expires.',
  ],
  '/reminders': [
    '`/reminders` — your settings: how often, at what time (yours, from Slack), quiet hours, away',
    '`/reminders weekly` — one summary on Monday morning of everything overdue or due that week, plus a reminder on a deadline\'s own day',
    '`/reminders daily` — a reminder at each step (the default)',
    '`/reminders quiet 18:00-08:00` — no DMs in those hours, your time; what falls due then waits until they end (`/reminders quiet off` to stop)',
    'Escalations to the Taskforce channel go whatever you choose.',
  ],
  '/chart': [
    '`/chart` — a chart of the items by status, month by month, sent to you as a direct message',
    '`/chart themes` — progress by theme; `/chart overdue` — overdue deadlines over time, with the meetings marked',
    '`/chart themes as of 1 May 2018` — as things stood on a day (`2018-05-01` and `1/5/2018` work too)',
  ],
  '/meeting': [
    '`/meeting` — upcoming Taskforce meetings',
    '`/meeting add 2017-05-26 14:00 Quarterly review` — add one (admins)',
    '`/meeting cancel 2017-05-26` — cancel one (admins)',
  ],
  '/calendar': [
    '`/calendar` — your own calendar feed address: the deadlines of the leads you answer for, and the Taskforce meetings, to subscribe to in Google Calendar, Outlook or Apple Calendar',
    '`/calendar reset` — a new address; the old one stops working at once',
  ],
};

export function helpBlocks(topic: SlashCommand, problem: string | null): Reply {
  const others = (Object.keys(HELP) as SlashCommand[]).filter((command) => command !== topic);
  const blocks: KnownBlock[] = [];
  // The problem is mrkdwn already, with what was typed escaped in it (domain/text.ts echo).
  if (problem) blocks.push(section(`:thinking_face: ${problem}`));
  blocks.push(section(`*${topic}*\n${HELP[topic].join('\n')}`));
  blocks.push(context(`Also: ${others.map((command) => `\`${command} help\``).join(' · ')}`));
  return { text: problem ?? `How to use ${topic}`, blocks };
}

export function errorBlocks(message: string): Reply {
  return { text: message, blocks: [section(`:warning: ${message}`)] };
}

export function leadsBlocks(leads: LeadView[], page: PageRequest): Reply {
  const top: KnownBlock[] = [header('Leads'), context(`${plural(leads.length, 'lead')} · admins map owners with \`/lead <name> @someone\``)];
  const entries = leads.map((lead) =>
    section(
      `*${escape(lead.name)}*${lead.fullName ? ` (${escape(lead.fullName)})` : ''} · ${plural(lead.itemCount, 'item')}\n${lead.owners.length ? lead.owners.map(mention).join(', ') : '_no Slack owner yet_'}`,
    ),
  );
  return { text: `${plural(leads.length, 'lead')}`, blocks: paginate(top, entries, page) };
}

export function leadMappedBlocks(lead: LeadView): Reply {
  const owners = lead.owners.map(mention).join(', ');
  return {
    text: owners ? `${lead.name} is now owned by ${owners}` : `${lead.name} has no Slack owners now`,
    blocks: [section(owners ? `:white_check_mark: *${escape(lead.name)}* is now owned by ${owners}.` : `:white_check_mark: *${escape(lead.name)}* has no Slack owners now.`)],
  };
}

export function meetingsBlocks(meetings: MeetingView[], timeZone: string, page: PageRequest): Reply {
  if (meetings.length === 0) {
    return { text: 'No Taskforce meetings are planned.', blocks: [header('Taskforce meetings'), section('No meetings are planned. Admins add one with `/meeting add 2017-05-26 14:00`.')] };
  }
  const lines = meetings.map((meeting) => `• ${formatInstant(meeting.startsAt, timeZone)}${meeting.note ? ` — ${escape(oneLine(meeting.note))}` : ''}`);
  return { text: `${plural(meetings.length, 'meeting')} planned`, blocks: paginate([header('Taskforce meetings')], sectionsOf(lines), page, { total: plural(meetings.length, 'meeting') }) };
}

export function meetingChangedBlocks(verb: 'Added' | 'Cancelled', meeting: MeetingView, timeZone: string): Reply {
  const when = formatInstant(meeting.startsAt, timeZone);
  return { text: `${verb} the meeting of ${when}`, blocks: [section(`:white_check_mark: ${verb} the Taskforce meeting of ${when}${meeting.note ? ` (${escape(oneLine(meeting.note))})` : ''}.`)] };
}

const HOME_ITEMS = 15;
const HOME_OVERDUE = 20;

/** The App Home: my items, overdue, counts by status; what does not fit is counted, with the command that lists it. */
/** `chart`: the picture of progress by theme, above the lists (each front end shows it its way). */
export function homeView(board: Dashboard, timeZone: string, chart: readonly KnownBlock[] = []): View {
  const counts = (Object.keys(board.counts) as Status[]).map((status) => `${STATUS_EMOJI[status]} ${STATUS_LABEL[status]}: *${board.counts[status]}*`);
  const blocks: KnownBlock[] = [header('Action plan'), context(`As of ${formatInstant(board.asOf, timeZone)}`), section(counts.join('   ')), ...chart, divider()];
  blocks.push(section(board.myLeads.length ? `*Your items* (${escape(board.myLeads.join(', '))})` : '*Your items*'));
  if (board.mine.length === 0) {
    blocks.push(context('You are not mapped to a lead yet. An admin can do it with `/lead <lead> @you`.'));
  }
  for (const item of board.mine.slice(0, HOME_ITEMS)) blocks.push(...sectionsOf([summaryLine(item, false)]));
  if (board.mine.length > HOME_ITEMS) blocks.push(context(`…and ${board.mine.length - HOME_ITEMS} more: \`/action mine\``));
  blocks.push(divider(), section(`*Overdue* (${board.overdue.length})`));
  const overdueLines = board.overdue
    .slice(0, HOME_OVERDUE)
    .map((entry) => `*${entry.item.ref}* ${escape(entry.title)}${dueWords(entry.occurrence, entry.daysLate)} · _${escape(entry.item.leads.join(', '))}_`);
  blocks.push(...(overdueLines.length ? sectionsOf(overdueLines) : [context('Nothing is overdue.')]));
  if (board.overdue.length > HOME_OVERDUE) blocks.push(context(`…and ${board.overdue.length - HOME_OVERDUE} more: \`/overdue\``));
  return { type: 'home', blocks };
}

export const STATUS_MODAL_CALLBACK = 'status-note';
export const NOTE_BLOCK = 'note';
export const NOTE_INPUT = 'note-input';

export interface StatusModalMetadata {
  ref: string;
  status: Status;
  /** Where to replace the message the button was on. */
  responseUrl: string | null;
}

/** The modal a status button opens, asking for an optional note. */
export function statusModal(metadata: StatusModalMetadata, title: string): View {
  return {
    type: 'modal',
    callback_id: STATUS_MODAL_CALLBACK,
    private_metadata: JSON.stringify(metadata),
    title: { type: 'plain_text', text: `Update ${metadata.ref}`.slice(0, 24) },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      section(`Set *${metadata.ref}* ${escape(title)} to ${statusBadge(metadata.status)}`),
      {
        type: 'input',
        block_id: NOTE_BLOCK,
        optional: true,
        label: { type: 'plain_text', text: 'Note (optional)' },
        element: { type: 'plain_text_input', action_id: NOTE_INPUT, multiline: true, max_length: NOTE_LIMIT },
      },
    ],
  };
}

export function remindersSwitchedBlocks(ref: string, on: boolean): Reply {
  const text = on ? `Reminders about ${ref} are on again.` : `Reminders about ${ref} are off. Turn them on again with \`/action ${ref} reminders on\`.`;
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}

/**
 * `/digest`: the summary on the first page, each reply of its thread on the next ones (Previous /
 * Next), so the preview shows all of it and each page fits a message.
 */
export function digestPreviewBlocks(pages: readonly Reply[], request: PageRequest): Reply {
  const page = Math.min(Math.max(1, request.page), pages.length);
  const shown = pages[page - 1];
  const where = page === 1 ? 'the summary, posted in the channel' : `reply ${page - 1} of ${pages.length - 1} in its thread`;
  return {
    text: `Preview: ${shown.text}`,
    blocks: [context(`:eyes: Preview, only you can see it · page ${page} of ${pages.length}: ${where}`), ...shown.blocks, ...(pages.length > 1 ? [pageButtons(request, page, pages.length)] : [])],
  };
}

export function digestPostedBlocks(outcome: string, meetingAt: string): Reply {
  const text =
    outcome === 'already-posted'
      ? `The digest for the meeting of ${meetingAt} was already posted.`
      : outcome === 'retrying'
        ? `Slack did not take the digest for the meeting of ${meetingAt} just now; it will be posted as soon as it does.`
        : `Posted the digest for the meeting of ${meetingAt} in the Taskforce channel.`;
  return { text, blocks: [section(`:white_check_mark: ${text}`)] };
}

/** `files`: what was uploaded (the Markdown to edit, the HTML to publish, the PDF); `notice`: why a PDF is missing. */
export function reportPublishedBlocks(period: { from: string; to: string }, location: string, files: readonly string[] = [], notice: string | null = null): Reply {
  const text = `The draft progress report for ${period.from} to ${period.to} is ${location}.`;
  const details = [files.length ? `Files: ${files.map((file) => `\`${escape(file)}\``).join(', ')}.` : '', notice ? `${escape(notice.charAt(0).toUpperCase() + notice.slice(1))}.` : ''].filter(Boolean).join(' ');
  return { text, blocks: [section(`:page_facing_up: ${text}`), ...(details ? [context(details)] : [])] };
}
