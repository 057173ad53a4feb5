import type { KnownBlock } from '@slack/types';
import type { DueEntry } from '../../domain/deadlines';
import { SETTABLE_STATUSES } from '../../domain/statuses';
import { actorName, type DueReport, type ItemList, type ItemSummary, type ItemView, type StatusUpdateResult } from '../../taskforce/items';
import {
  actions,
  button,
  context,
  describeOccurrence,
  divider,
  escape,
  firstLine,
  formatDay,
  formatInstant,
  header,
  mention,
  oneLine,
  paginate,
  plural,
  section,
  STATUS_LABEL,
  statusBadge,
  type PageRequest,
  type Reply,
} from './common';

/** Update buttons carry the ref; the action id says which status. */
export const STATUS_ACTION_PREFIX = 'set-status:';
const RECENT_UPDATES = 5;

function statusButtons(ref: string) {
  return actions(
    `item:${ref}`,
    SETTABLE_STATUSES.map((status) => button(STATUS_LABEL[status], `${STATUS_ACTION_PREFIX}${status}`, ref, status === 'done' ? 'primary' : undefined)),
  );
}

/** `/action 12`: the item, its leads and owners, deadlines, status, recent updates, and buttons. */
export function itemBlocks(view: ItemView, timeZone: string, options: { fullHistory?: boolean } = {}): Reply {
  const { item } = view;
  const leads = item.leads
    .map((lead) => {
      const owners = view.owners.get(lead) ?? [];
      return `${escape(lead)}${owners.length ? ` (${owners.map(mention).join(', ')})` : ' (no Slack owner yet)'}`;
    })
    .join(' · ');
  const facts = [
    `*Status:* ${statusBadge(view.status)}${view.statusEntry && view.statusEntry.source !== 'import' ? ` since ${formatInstant(view.statusEntry.at, timeZone)}` : ''}`,
    `*Lead:* ${leads}`,
    item.deadlineText ? `*Deadline:* ${escape(item.deadlineText)}` : null,
    item.section ? `*Ambition section:* ${escape(item.section)}` : null,
    item.priority ? '*Priority action*' : null,
  ].filter(Boolean);

  const overdue = view.occurrences.filter((o) => o.state === 'overdue');
  const next = view.occurrences.filter((o) => o.state === 'upcoming').slice(0, 3);
  const doneParts = item.milestones.length > 1 ? view.occurrences.filter((o) => o.state === 'met' && o.cycleStart === null) : [];
  const deadlineLines = [
    ...overdue.map((o) => `:warning: *Overdue* — ${escape(describeOccurrence(o))}`),
    ...next.map((o) => `:calendar: ${escape(describeOccurrence(o))}`),
    ...doneParts.map((o) => `:white_check_mark: ${escape(o.milestone.part ?? o.milestone.words)} done`),
  ];

  const entries = item.history.filter((entry) => entry.source !== 'import');
  const shown = options.fullHistory ? entries : entries.slice(-RECENT_UPDATES);
  const historyLines = [...shown].reverse().map((entry) => {
    const part = entry.deadlineId !== null ? item.milestones.find((m) => m.id === entry.deadlineId) : undefined;
    const what = part ? `“${escape(part.part ?? part.words)}” ${STATUS_LABEL[entry.status].toLowerCase()}` : statusBadge(entry.status);
    return `${formatInstant(entry.at, timeZone)} · ${what} · ${actorName(entry.actor)}${entry.note ? ` — ${escape(oneLine(entry.note))}` : ''}`;
  });

  const blocks: KnownBlock[] = [
    header(`${item.kind === 'action' ? 'Action' : item.kind[0].toUpperCase() + item.kind.slice(1)} ${item.ref}`),
    section(escape(item.text)),
    section(facts.join('\n')),
  ];
  if (deadlineLines.length) blocks.push(section(deadlineLines.join('\n')));
  if (item.comments) blocks.push(context(`:speech_balloon: ${escape(item.comments)}`));
  if (item.waitsOn.length) blocks.push(context(item.waitsOn.map((link) => `:hourglass: ${escape(link.condition)} (action ${link.ref})`).join(' · ')));
  blocks.push(divider());
  if (historyLines.length) {
    const title = options.fullHistory ? `*History* (${plural(entries.length, 'update')})` : '*Recent updates*';
    // A long history is split over several sections so nothing is cut.
    for (let start = 0; start < historyLines.length; start += 20) {
      blocks.push(section(`${start === 0 ? `${title}\n` : ''}${historyLines.slice(start, start + 20).join('\n')}`));
    }
    if (!options.fullHistory && entries.length > RECENT_UPDATES) blocks.push(context(`\`/action ${item.ref} history\` shows all ${entries.length} updates.`));
  } else {
    blocks.push(context('No updates yet.'));
  }
  blocks.push(statusButtons(item.ref));
  return { text: `${item.ref}: ${STATUS_LABEL[view.status]} — ${firstLine(item.text, 100)}`, blocks: blocks.slice(0, 50) };
}

export function updatedBlocks(result: StatusUpdateResult, timeZone: string): Reply {
  const { item } = result.view;
  const what = result.part
    ? `:white_check_mark: Marked “${escape(result.part.part ?? result.part.words)}” of *${item.ref}* done.`
    : `Saved: *${item.ref}* is now ${statusBadge(result.view.status)}${result.previous !== result.view.status ? ` (was ${STATUS_LABEL[result.previous]})` : ''}.`;
  const details = itemBlocks(result.view, timeZone);
  return {
    text: result.part ? `Marked ${item.ref} “${result.part.part ?? result.part.words}” done` : `Saved: ${item.ref} is now ${STATUS_LABEL[result.view.status]}`,
    blocks: [section(`${what}${result.note ? `\n> ${escape(oneLine(result.note))}` : ''}`), divider(), ...details.blocks].slice(0, 50),
  };
}

function summaryLine(summary: ItemSummary): string {
  const due = summary.overdue
    ? ` · :warning: overdue since ${formatDay(summary.overdue.dueDate)}`
    : summary.nextDue
      ? ` · next due ${formatDay(summary.nextDue.dueDate)}`
      : '';
  return `*${summary.ref}* ${statusBadge(summary.status)}${due}\n${escape(firstLine(summary.text))}\n_${escape(summary.leads.join(', '))}_`;
}

export function itemListBlocks(list: ItemList, page: PageRequest, note?: string): Reply {
  const top: KnownBlock[] = [header(list.title), context(`${plural(list.items.length, 'item')}${note ? ` · ${note}` : ''} · \`/action <ref>\` for one item`)];
  const entries = list.items.map((summary) => section(summaryLine(summary)));
  if (entries.length === 0) entries.push(section('_Nothing here._'));
  return { text: `${list.title}: ${plural(list.items.length, 'item')}`, blocks: paginate(top, entries, page) };
}

function dueLine(entry: DueEntry, late: boolean): string {
  const { occurrence, item } = entry;
  const part = occurrence.milestone.part ? ` (${escape(occurrence.milestone.part)})` : '';
  const when = late ? `${plural(entry.daysLate, 'day')} late (due ${formatDay(occurrence.dueDate)})` : `due ${formatDay(occurrence.dueDate)}`;
  return `*${item.ref}*${part} — ${when}`;
}

export function overdueBlocks(report: DueReport & { lead: string | null }, timeZone: string, page: PageRequest): Reply {
  const title = report.lead ? `Overdue: ${report.lead}` : 'Overdue';
  const asOf = `as of ${formatInstant(report.asOf, timeZone)}`;
  if (report.total === 0) {
    return { text: `Nothing is overdue ${asOf}.`, blocks: [header(title), section(`:tada: Nothing is overdue ${asOf}.`)] };
  }
  const top: KnownBlock[] = [header(title), context(`${plural(report.total, 'deadline')} overdue ${asOf}, by lead, oldest first`)];
  const entries: KnownBlock[] = [];
  for (const group of report.groups) {
    // Keep each lead's lines within one section's limit.
    for (let start = 0; start < group.entries.length; start += 25) {
      const lines = group.entries.slice(start, start + 25).map((entry) => dueLine(entry, true));
      entries.push(section(`${start === 0 ? `*${escape(group.lead)}*\n` : ''}${lines.join('\n')}`));
    }
  }
  return { text: `${plural(report.total, 'deadline')} overdue`, blocks: paginate(top, entries, page) };
}

export function upcomingBlocks(report: { asOf: Date; days: number; entries: DueEntry[] }, timeZone: string, page: PageRequest): Reply {
  const title = `Due in the next ${plural(report.days, 'day')}`;
  if (report.entries.length === 0) {
    return { text: `Nothing falls due in the next ${plural(report.days, 'day')}.`, blocks: [header(title), section(`Nothing falls due in the next ${plural(report.days, 'day')} (from ${formatInstant(report.asOf, timeZone)}).`)] };
  }
  const top: KnownBlock[] = [header(title), context(`from ${formatInstant(report.asOf, timeZone)}, soonest first`)];
  const entries = report.entries.map((entry) => section(`${dueLine(entry, false)} · ${escape(entry.item.leads.join(', '))}`));
  return { text: `${plural(report.entries.length, 'deadline')} due in the next ${plural(report.days, 'day')}`, blocks: paginate(top, entries, page) };
}
