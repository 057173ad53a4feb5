import type { KnownBlock } from '@slack/types';
import type { Digest } from '../../domain/digest';
import { actorName } from '../../taskforce/items';
import { context, escape, formatDay, formatInstant, header, plural, section, STATUS_EMOJI, STATUS_LABEL, type Reply } from './common';

const LINES_PER_SECTION = 20;
const BLOCKS_PER_MESSAGE = 45;

function sections(title: string, lines: string[], empty: string): KnownBlock[] {
  if (lines.length === 0) return [section(`*${title}*\n_${empty}_`)];
  const blocks: KnownBlock[] = [];
  for (let start = 0; start < lines.length; start += LINES_PER_SECTION) {
    blocks.push(section(`${start === 0 ? `*${title}*\n` : ''}${lines.slice(start, start + LINES_PER_SECTION).join('\n')}`));
  }
  return blocks;
}

/**
 * The digest as Slack messages: a summary for the channel, and the details for its thread, split
 * so that no message passes Slack's block limit.
 */
export function digestMessages(digest: Digest, timeZone: string): { summary: Reply; details: Reply[] } {
  const when = formatInstant(digest.meetingAt, timeZone);
  const counts = (Object.keys(digest.counts) as (keyof Digest['counts'])[])
    .filter((status) => digest.counts[status] > 0)
    .map((status) => `${STATUS_EMOJI[status]} ${STATUS_LABEL[status]}: *${digest.counts[status]}*`);
  const headline = [
    `*RAG:* green ${digest.rag.green} · amber ${digest.rag.amber} · red ${digest.rag.red} · not rated ${digest.rag.unrated}`,
    `*${plural(digest.changes.length, 'status change')}* since ${formatInstant(digest.since, timeZone)} · *${digest.overdueCount} overdue* · *${digest.dueBeforeNext.length} due* before ${formatDay(digest.dueUntil.toISOString().slice(0, 10))} · *${digest.quiet.length} gone quiet*${digest.unlocked.length ? ` · *${plural(digest.unlocked.length, 'challenge')} can start*` : ''}`,
  ];
  const summary: Reply = {
    text: `Taskforce digest for the meeting of ${when}: ${digest.changes.length} changes, ${digest.overdueCount} overdue, ${digest.dueBeforeNext.length} due soon`,
    blocks: [header(`Digest for the Taskforce meeting, ${when}`), section(counts.join('   ')), section(headline.join('\n')), context('The details are in the thread.')],
  };

  const detailBlocks: KnownBlock[] = [
    ...sections(
      `What changed since ${formatInstant(digest.since, timeZone)}`,
      digest.changes.map(
        (change) =>
          `• *${change.ref}* ${change.part ? `“${escape(change.part)}” ${STATUS_LABEL[change.status].toLowerCase()}` : `${STATUS_EMOJI[change.status]} ${STATUS_LABEL[change.status]}`} — ${actorName(change.actor)}, ${formatInstant(change.at, timeZone)}${change.note ? `: ${escape(change.note)}` : ''}`,
      ),
      'No status changes.',
    ),
    ...sections(
      'Overdue, by lead',
      digest.overdueByLead.flatMap((group) => [
        `*${escape(group.lead)}*`,
        ...group.entries.map((entry) => `• *${entry.item.ref}*${entry.occurrence.milestone.part ? ` (${escape(entry.occurrence.milestone.part)})` : ''} — ${plural(entry.daysLate, 'day')} late`),
      ]),
      'Nothing is overdue.',
    ),
    ...sections(
      `Due before ${formatDay(digest.dueUntil.toISOString().slice(0, 10))}`,
      digest.dueBeforeNext.map((entry) => `• *${entry.item.ref}*${entry.occurrence.milestone.part ? ` (${escape(entry.occurrence.milestone.part)})` : ''} — due ${formatDay(entry.occurrence.dueDate)} · ${escape(entry.item.leads.join(', '))}`),
      'Nothing falls due before then.',
    ),
    ...sections(
      'Gone quiet',
      digest.quiet.map((item) => `• *${item.ref}* — ${item.lastUpdate ? `last update ${formatInstant(item.lastUpdate, timeZone)}` : 'no update yet'} · ${escape(item.leads.join(', '))}`),
      'Every open item has had an update lately.',
    ),
  ];
  if (digest.unlocked.length) {
    detailBlocks.push(
      ...sections(
        'Challenges that can start now',
        digest.unlocked.map((item) => `• *${item.ref}* — ${item.waitsOn.map((link) => `${escape(link.condition)} (${link.ref} is done)`).join('; ')}`),
        '',
      ),
    );
  }
  const details: Reply[] = [];
  for (let start = 0; start < detailBlocks.length; start += BLOCKS_PER_MESSAGE) {
    details.push({ text: `Digest details (${details.length + 1})`, blocks: detailBlocks.slice(start, start + BLOCKS_PER_MESSAGE) });
  }
  return { summary, details };
}
