import { digestThread, type Digest, type DigestLine, type DigestThreadPart, type DigestWindow, type LeadGroup, type QuietItem } from '../../domain/digest';
import { type Status, STATUS_LABEL } from '../../domain/statuses';
import { actorName } from '../../taskforce/items';
import { context, escape, formatDay, formatInstant, header, oneLine, plural, section, sectionsOf, STATUS_EMOJI, type Reply } from './common';

const when = (iso: string, timeZone: string) => formatInstant(new Date(iso), timeZone);

/** "since the meeting of 20 Mar 2017 14:00", or "in the last 60 days" when none is stored. */
function sinceWords(digest: DigestWindow, timeZone: string): string {
  return digest.sinceMeeting ? `since the meeting of ${when(digest.since, timeZone)}` : `in the last ${digest.windowDays} days (no earlier meeting is stored)`;
}

/** "before the next meeting (20 Jul 2017)", or "in the next two months" when none is stored. */
function untilWords(digest: DigestWindow, timeZone: string): string {
  return digest.untilMeeting ? `before the next meeting (${when(digest.dueUntil, timeZone)})` : 'in the next two months (no later meeting is stored)';
}

function itemName(line: { ref: string; title: string; part?: string | null }): string {
  return `*${escape(line.ref)}* ${escape(line.title)}${line.part ? ` (${escape(line.part)})` : ''}`;
}

/** The top of the digest: one screen a meeting can read at a glance. */
export function digestSummaryBlocks(digest: Digest, timeZone: string): Reply {
  const meeting = when(digest.meetingAt, timeZone);
  const counts = (Object.keys(digest.counts) as Status[])
    .filter((status) => digest.counts[status] > 0)
    .map((status) => `${STATUS_EMOJI[status]} ${STATUS_LABEL[status]} *${digest.counts[status]}*`);
  const overdue = digest.overdueCount
    ? [`:warning: *${digest.overdueCount} overdue*${digest.mostOverdue.length ? ', the longest:' : ''}`, ...digest.mostOverdue.map((line) => `• ${itemName(line)} — ${plural(line.daysLate, 'day')} late`)]
    : [':white_check_mark: *Nothing overdue*'];
  const lines = [
    `*RAG:* green ${digest.rag.green} · amber ${digest.rag.amber} · red ${digest.rag.red} · not rated ${digest.rag.unrated}`,
    ...overdue,
    `:arrows_counterclockwise: *${plural(digest.changes.length, 'status change')}* ${sinceWords(digest, timeZone)}`,
    `:calendar: *${plural(digest.dueBeforeNext.length, 'deadline')}* due ${untilWords(digest, timeZone)}`,
    `:zzz: *${plural(digest.quiet.length, 'item')} gone quiet* (no update for ${digest.windowDays} days, with a deadline now or soon)`,
    ...(digest.unlocked.length ? [`:unlock: *${plural(digest.unlocked.length, 'challenge')}* can start now`] : []),
  ];
  return {
    text: `Taskforce digest for the meeting of ${meeting}: ${digest.overdueCount} overdue, ${digest.changes.length} changes, ${digest.dueBeforeNext.length} due soon`,
    blocks: [header(`Digest for the Taskforce meeting, ${meeting}`), section(counts.join('   ')), ...sectionsOf(lines), context('The details, by lead, are in the thread.')],
  };
}

function groupLines(groups: readonly LeadGroup<DigestLine | QuietItem>[], describe: (line: DigestLine & QuietItem) => string, more: (lead: string) => string): string[] {
  return groups.flatMap((group) => [
    `*${escape(group.lead)}*`,
    ...group.lines.map((line) => `• ${itemName(line as DigestLine & QuietItem)} — ${describe(line as DigestLine & QuietItem)}`),
    ...(group.more ? [`   _and ${group.more} more — ${more(group.lead)}_`] : []),
  ]);
}

/** One reply in the digest's thread. */
export function digestThreadBlocks(part: DigestThreadPart, window: DigestWindow, timeZone: string): Reply {
  const cont = 'continued' in part && part.continued ? ' (continued)' : '';
  switch (part.section) {
    case 'changes': {
      const title = `*What changed*${cont}`;
      const lines = part.changes.map(
        (change) =>
          `• ${itemName({ ref: change.ref, title: change.title })}: ${change.part ? `“${escape(change.part)}” ${STATUS_LABEL[change.status].toLowerCase()}` : `${STATUS_EMOJI[change.status]} ${STATUS_LABEL[change.status]}`} — ${actorName(change.actor)}, ${when(change.at, timeZone)}${change.note ? `\n   > ${escape(oneLine(change.note))}` : ''}`,
      );
      return { text: `Digest: what changed${cont}`, blocks: lines.length ? sectionsOf(lines, title) : [section(`${title}\n_No status changes._`)] };
    }
    case 'overdue': {
      const lines = groupLines(part.groups, (line) => `${plural(line.daysLate, 'day')} late (due ${formatDay(line.dueDate)})`, (lead) => `\`/overdue ${escape(lead)}\``);
      return { text: `Digest: overdue, by lead${cont}`, blocks: lines.length ? sectionsOf(lines, `*Overdue, by lead*${cont}`) : [section('*Overdue*\n_Nothing is overdue._')] };
    }
    case 'due': {
      const lines = groupLines(part.groups, (line) => `due ${formatDay(line.dueDate)}`, () => '`/upcoming 60`');
      const title = `*Due ${untilWords(window, timeZone)}, by lead*${cont}`;
      return { text: `Digest: due soon${cont}`, blocks: lines.length ? sectionsOf(lines, title) : [section(`${title}\n_Nothing falls due by then._`)] };
    }
    case 'quiet': {
      const lines = groupLines(part.groups, (line) => (line.lastUpdate ? `last update ${when(line.lastUpdate, timeZone)}` : 'no update yet'), (lead) => `\`/action list ${escape(lead)}\``);
      const title = `*Gone quiet, by lead*${cont} — open, no update lately, a deadline now or soon`;
      return { text: `Digest: gone quiet${cont}`, blocks: lines.length ? sectionsOf(lines, title) : [section(`${title}\n_Every item with a deadline now or soon has had an update lately._`)] };
    }
    case 'unlocked': {
      const lines = part.items.map((item) => `• ${itemName(item)} — ${item.waitsOn.map((link) => `${escape(link.condition)} (${escape(link.ref)} is done)`).join('; ')}`);
      return { text: 'Digest: challenges that can start now', blocks: sectionsOf(lines, '*Challenges that can start now*') };
    }
  }
}

/** `/digest`: the summary, then each reply of the thread, one page each (Previous / Next). */
export function digestPages(digest: Digest, timeZone: string): Reply[] {
  const summary = digestSummaryBlocks(digest, timeZone);
  const thread = digestThread(digest).map((part) => digestThreadBlocks(part, digest, timeZone));
  return [summary, ...thread];
}

