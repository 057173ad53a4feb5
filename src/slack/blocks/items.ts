import type { KnownBlock } from '@slack/types';
import { SETTABLE_STATUSES, STATUS_LABEL } from '../../domain/statuses';
import { actorName, type DueReport, type ItemList, type ItemSummary, type ItemView, type StatusUpdateResult, type TitledDueEntry, type UpcomingReport } from '../../taskforce/items';
import {
  actions,
  blockTextLength,
  button,
  context,
  describeOccurrence,
  divider,
  dueWords,
  escape,
  formatDay,
  formatInstant,
  header,
  MAX_BLOCKS,
  MESSAGE_TEXT_BUDGET,
  mention,
  oneLine,
  paginate,
  partsWords,
  plural,
  section,
  sectionsOf,
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

/** What an item view shows above its updates, and the update lines, newest first. */
function itemParts(view: ItemView, timeZone: string): { top: KnownBlock[]; historyLines: (count?: number) => string[]; updates: number } {
  const { item } = view;
  const leads = item.leads
    .map((lead) => {
      const owners = view.owners.get(lead) ?? [];
      return `${escape(lead)}${owners.length ? ` (${owners.map(mention).join(', ')})` : ' (no Slack owner yet)'}`;
    })
    .join(' · ');
  // "since" belongs to the entry that set the status; a status from every part done has none.
  const since = view.statusEntry && view.statusEntry.source !== 'import' && view.statusEntry.status === view.status ? ` since ${formatInstant(view.statusEntry.at, timeZone)}` : '';
  const facts = [
    `*Status:* ${statusBadge(view.status)}${since}${view.parts ? ` · ${partsWords(view.parts)}` : ''}`,
    `*Lead:* ${leads}`,
    item.deadlineText ? `*Deadline:* ${escape(item.deadlineText)}` : null,
    item.section ? `*Ambition section:* ${escape(item.section)}` : null,
    item.priority ? '*Priority action*' : null,
  ].filter((line): line is string => line !== null);

  const overdue = view.occurrences.filter((o) => o.state === 'overdue');
  const next = view.occurrences.filter((o) => o.state === 'upcoming').slice(0, 3);
  const doneParts = item.milestones.length > 1 ? view.occurrences.filter((o) => o.state === 'met' && o.cycleStart === null) : [];
  const deadlineLines = [
    ...overdue.map((o) => `:warning: *Overdue* — ${escape(describeOccurrence(o))}`),
    ...next.map((o) => `:calendar: ${escape(describeOccurrence(o))}`),
    ...doneParts.map((o) => `:white_check_mark: ${escape(o.milestone.part ?? o.milestone.words)} done`),
  ];

  const entries = item.history.filter((entry) => entry.source !== 'import');
  // Newest first, worded only when asked for: an item view shows five of what may be thousands.
  const historyLines = (count = entries.length) =>
    entries
      .slice(Math.max(0, entries.length - count))
      .reverse()
      .map((entry) => {
        const part = entry.deadlineId !== null ? item.milestones.find((m) => m.id === entry.deadlineId) : undefined;
        const what = part ? `“${escape(part.part ?? part.words)}” ${STATUS_LABEL[entry.status].toLowerCase()}` : statusBadge(entry.status);
        return `${formatInstant(entry.at, timeZone)} · ${what} · ${actorName(entry.actor)}${entry.note ? ` — ${escape(oneLine(entry.note))}` : ''}`;
      });

  const top: KnownBlock[] = [
    header(`${item.kind === 'action' ? 'Action' : item.kind[0].toUpperCase() + item.kind.slice(1)} ${item.ref}`),
    ...sectionsOf(escape(item.text).split('\n')),
    ...sectionsOf(facts),
  ];
  if (deadlineLines.length) top.push(...sectionsOf(deadlineLines));
  if (item.comments) top.push(...sectionsOf(escape(item.comments).split('\n')).map((block) => context(`:speech_balloon: ${block.text!.text}`)));
  if (item.waitsOn.length) top.push(context(item.waitsOn.map((link) => `:hourglass: ${escape(link.condition)} (action ${link.ref})`).join(' · ')));
  top.push(divider());
  return { top, historyLines, updates: entries.length };
}

function notification(view: ItemView): string {
  return `${view.item.ref}: ${STATUS_LABEL[view.status]}${view.parts ? ` (${partsWords(view.parts)})` : ''} — ${view.title}`;
}

/**
 * `/action 12`: the item, its leads and owners, deadlines, status, the last updates that fit
 * beside `reserved` characters (at most five; the rest are counted, with the command that shows
 * them), and buttons.
 */
export function itemBlocks(view: ItemView, timeZone: string, reserved = 0): Reply {
  const { item } = view;
  const { top, historyLines, updates } = itemParts(view, timeZone);
  const bottom = [statusButtons(item.ref)];
  const room = MESSAGE_TEXT_BUDGET - reserved - blockTextLength([...top, ...bottom]) - 300;
  const recent: KnownBlock[] = [];
  let shown = 0;
  for (const line of historyLines(RECENT_UPDATES)) {
    const next = sectionsOf([line], shown === 0 ? '*Recent updates*' : undefined);
    if (blockTextLength([...recent, ...next]) > room || top.length + recent.length + next.length + 3 > MAX_BLOCKS) break;
    recent.push(...next);
    shown++;
  }
  const blocks: KnownBlock[] = [...top, ...recent];
  if (updates === 0) blocks.push(context('No updates yet.'));
  else if (shown < updates) blocks.push(context(`…and ${plural(updates - shown, 'more update')}: \`/action ${item.ref} history\` shows all ${updates}.`));
  return { text: notification(view), blocks: [...blocks, ...bottom] };
}

/** `/action 12 history`: the item and every update, newest first, paged when they do not fit one message. */
export function historyBlocks(view: ItemView, timeZone: string, page: PageRequest): Reply {
  const { top, historyLines, updates } = itemParts(view, timeZone);
  const bottom = [statusButtons(view.item.ref)];
  if (updates === 0) return { text: notification(view), blocks: [...top, context('No updates yet.'), ...bottom] };
  const entries = sectionsOf(historyLines());
  const title = section(`*History* (${plural(updates, 'update')}, newest first)`);
  return { text: notification(view), blocks: paginate([...top, title], entries, page, { bottom, total: plural(updates, 'update') }) };
}

export function updatedBlocks(result: StatusUpdateResult, timeZone: string): Reply {
  const { item } = result.view;
  const what = result.part
    ? `:white_check_mark: Marked “${escape(result.part.part ?? result.part.words)}” of *${item.ref}* done.`
    : `Saved: *${item.ref}* is now ${statusBadge(result.view.status)}${result.previous !== result.view.status ? ` (was ${STATUS_LABEL[result.previous]})` : ''}.`;
  const said = sectionsOf([`${what}${result.note ? `\n> ${escape(oneLine(result.note))}` : ''}`]);
  const details = itemBlocks(result.view, timeZone, blockTextLength(said));
  return {
    text: result.part ? `Marked ${item.ref} “${result.part.part ?? result.part.words}” done` : `Saved: ${item.ref} is now ${STATUS_LABEL[result.view.status]}`,
    blocks: [...said, divider(), ...details.blocks],
  };
}

/** An item in a list: its ref and title, status and parts done, and its most pressing deadline. */
export function summaryLine(summary: ItemSummary, withLeads = true): string {
  const due = summary.overdue
    ? ` · :warning: overdue since ${formatDay(summary.overdue.dueDate)}`
    : summary.nextDue
      ? ` · next due ${formatDay(summary.nextDue.dueDate)}`
      : '';
  const parts = summary.parts ? ` · ${partsWords(summary.parts)}` : '';
  return `*${summary.ref}* ${escape(summary.title)}\n${statusBadge(summary.status)}${parts}${due}${withLeads ? `\n_${escape(summary.leads.join(', '))}_` : ''}`;
}

export function itemListBlocks(list: ItemList, page: PageRequest, note?: string): Reply {
  const top: KnownBlock[] = [header(list.title), context(`${plural(list.items.length, 'item')}${note ? ` · ${note}` : ''} · \`/action <ref>\` for one item`)];
  const entries = list.items.map((summary) => sectionsOf([summaryLine(summary)])).flat();
  if (entries.length === 0) entries.push(section('_Nothing here._'));
  return { text: `${list.title}: ${plural(list.items.length, 'item')}`, blocks: paginate(top, entries, page) };
}

/** "*5* Continue to seek opportunities… (part) — 15 days late (due 30 Apr 2017)". */
export function dueLine(entry: TitledDueEntry, late: boolean): string {
  return `*${entry.item.ref}* ${escape(entry.title)}${dueWords(entry.occurrence, late ? entry.daysLate : null)}`;
}

export function overdueBlocks(report: DueReport & { lead: string | null }, timeZone: string, page: PageRequest): Reply {
  const title = report.lead ? `Overdue: ${report.lead}` : 'Overdue';
  const asOf = `as of ${formatInstant(report.asOf, timeZone)}`;
  if (report.total === 0) {
    return { text: `Nothing is overdue ${asOf}.`, blocks: [header(title), section(`:tada: Nothing is overdue ${asOf}.`)] };
  }
  const top: KnownBlock[] = [header(title), context(`${plural(report.total, 'deadline')} overdue ${asOf}, by lead, oldest first`)];
  const entries: KnownBlock[] = [];
  for (const group of report.groups) entries.push(...sectionsOf(group.entries.map((entry) => dueLine(entry, true)), `*${escape(group.lead)}*`));
  return { text: `${plural(report.total, 'deadline')} overdue`, blocks: paginate(top, entries, page) };
}

export function upcomingBlocks(report: UpcomingReport, timeZone: string, page: PageRequest): Reply {
  const title = `Due in the next ${plural(report.days, 'day')}`;
  if (report.entries.length === 0) {
    return { text: `Nothing falls due in the next ${plural(report.days, 'day')}.`, blocks: [header(title), section(`Nothing falls due in the next ${plural(report.days, 'day')} (from ${formatInstant(report.asOf, timeZone)}).`)] };
  }
  const top: KnownBlock[] = [header(title), context(`from ${formatInstant(report.asOf, timeZone)}, soonest first`)];
  const entries = report.entries.flatMap((entry) => sectionsOf([`${dueLine(entry, false)} · _${escape(entry.item.leads.join(', '))}_`]));
  return { text: `${plural(report.entries.length, 'deadline')} due in the next ${plural(report.days, 'day')}`, blocks: paginate(top, entries, page) };
}
