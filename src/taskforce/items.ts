import type { SlackTarget } from '../domain/commands';
import {
  assessItem,
  dueWithin,
  groupByLead,
  overdueAsOf,
  partsProgress,
  statusAsOf,
  type AssessedOccurrence,
  type DeadlineContext,
  type DueEntry,
  type Milestone,
} from '../domain/deadlines';
import { DomainError } from '../domain/errors';
import { leadKey } from '../domain/leads';
import { requireSettableStatus, STATUSES, type Status } from '../domain/statuses';
import { suggestNames, suggestRefs } from '../domain/suggest';
import { echo } from '../domain/text';
import { itemTitle } from '../domain/titles';
import { findItem, itemTexts, loadItems, loadMeetings, loadTrackingRecords, recordStatus, type HistoryEntry, type PlanItemRecord } from '../store/tracked-items';
import { isUniqueViolation } from '../store/client';
import type { Taskforce } from './context';
import { isAdmin, leadsOwnedBy, listLeads, ownersOf, resolveLead } from './leads';

/** An item as the front ends show it. */
export interface ItemView {
  item: PlanItemRecord;
  /** A short title cut from the item's words, for the notification text. */
  title: string;
  status: Status;
  /** "1 of 2 parts done", for items of several one-off parts. */
  parts: PartsProgress | null;
  /** The entry that set the current status (the import's, at first). */
  statusEntry: HistoryEntry | null;
  occurrences: AssessedOccurrence[];
  owners: Map<string, SlackTarget[]>;
  context: DeadlineContext;
}

export async function deadlineContext(taskforce: Pick<Taskforce, 'db' | 'timeZone'>): Promise<DeadlineContext> {
  return { timeZone: taskforce.timeZone, meetings: await loadMeetings(taskforce.db) };
}

async function requireItem(taskforce: Taskforce, ref: string): Promise<PlanItemRecord> {
  const item = await findItem(taskforce.db, ref);
  if (item) return item;
  const refs = (await taskforce.db.planItem.findMany({ where: { retiredAt: null }, select: { ref: true } })).map((row) => row.ref);
  const suggestions = suggestRefs(ref, refs);
  throw new DomainError(
    'unknown-item',
    `There is no item ${ref}.${suggestions.length ? ` Did you mean ${suggestions.join(' or ')}?` : ''} \`/action list\` shows them all.`,
  );
}

export async function viewItem(taskforce: Taskforce, ref: string): Promise<ItemView> {
  const item = await requireItem(taskforce, ref);
  const [context, owners] = await Promise.all([deadlineContext(taskforce), ownersOf(taskforce, item.leads)]);
  return viewOf(item, taskforce.clock.now(), context, owners);
}

function viewOf(item: PlanItemRecord, now: Date, context: DeadlineContext, owners: Map<string, SlackTarget[]>): ItemView {
  let statusEntry: HistoryEntry | null = null;
  for (let index = item.history.length - 1; index >= 0 && !statusEntry; index--) {
    const entry = item.history[index];
    if (entry.deadlineId === null && entry.at <= now) statusEntry = entry;
  }
  return {
    item,
    title: itemTitle(item.text),
    status: statusAsOf(item, now),
    parts: partsProgress(item, now),
    statusEntry,
    occurrences: assessItem(item, now, context),
    owners,
    context,
  };
}

/**
 * Who may update an item: an admin, an owner of one of its leads, or a member of a user group
 * that owns one. Direct ownership is checked first, as it costs no call to Slack; someone refused
 * again and again is told to wait; a user group Slack cannot answer for just now (rate limit, or
 * no user groups on the workspace's plan) gets a reply saying so. Throws the reply; changes nothing.
 */
async function requirePermission(taskforce: Taskforce, userId: string, view: ItemView): Promise<void> {
  if (isAdmin(taskforce, userId)) return;
  const owners = [...view.owners.values()].flat();
  if (owners.some((owner) => owner.kind === 'user' && owner.slackId === userId)) return;
  const wait = taskforce.refusals.waitFor(userId);
  if (wait > 0) {
    throw new DomainError('too-many-refusals', `You have been refused several updates in the last minute: try again in ${wait} s. Nothing was changed.`);
  }
  const groups = new Map<string, string>(); // user group → a lead it answers for
  for (const [lead, targets] of view.owners) {
    for (const target of targets) if (target.kind === 'usergroup') groups.set(target.slackId, lead);
  }
  const busy: { group: string; seconds: number }[] = [];
  let withoutUserGroups: string | null = null;
  for (const [group, lead] of groups) {
    const answer = await taskforce.directory.usergroupMembers(group);
    if (answer.kind === 'known' && answer.members.has(userId)) return;
    if (answer.kind === 'busy') busy.push({ group, seconds: answer.retryInSeconds });
    if (answer.kind === 'no-user-groups') withoutUserGroups = lead;
  }
  if (busy.length > 0) {
    throw new DomainError(
      'membership-unknown',
      `I could not check your membership of ${busy.map(({ group }) => `<!subteam^${group}>`).join(', ')} just now (Slack asked me to wait): try again in ${Math.max(...busy.map(({ seconds }) => seconds))} s. Nothing was changed.`,
    );
  }
  taskforce.refusals.refused(userId);
  if (withoutUserGroups) {
    throw new DomainError(
      'no-user-groups',
      `${withoutUserGroups} is mapped to a user group, but this Slack workspace's plan has no user groups, so I cannot tell who is in it. Nothing was changed. An admin can map people or a channel instead: \`/lead ${withoutUserGroups} @someone\`.`,
    );
  }
  throw refusal(view);
}

/** "a", "a or b", "a, b or c". */
function orList(names: readonly string[]): string {
  return names.length <= 1 ? names.join('') : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;
}

/** A Slack user id as a mention; "console" and "import" as they are. */
export function actorName(actor: string): string {
  return /^[UW][A-Z0-9]+$/.test(actor) ? `<@${actor}>` : actor;
}

function mention(target: SlackTarget): string {
  return target.kind === 'user' ? `<@${target.slackId}>` : target.kind === 'channel' ? `<#${target.slackId}>` : `<!subteam^${target.slackId}>`;
}

/** The milestone a note starts by naming ("commission", "March 2017"), with the rest of the note. */
export function matchPart(milestones: readonly Milestone[], text: string): { milestone: Milestone; note: string } | null {
  if (milestones.length < 2) return null;
  const lower = text.toLowerCase();
  for (const milestone of milestones) {
    const names = [milestone.part, milestone.rule.kind === 'once' ? milestone.words.replace(/\s*\[.*$/, '') : null]
      .filter((name): name is string => Boolean(name))
      .map((name) => name.toLowerCase());
    for (const name of names) {
      if (lower === name) return { milestone, note: '' };
      if (lower.startsWith(name) && /^[\s,:;–—-]/.test(lower.slice(name.length))) {
        return { milestone, note: text.slice(name.length).replace(/^[\s,:;–—-]+/, '') };
      }
    }
  }
  return null;
}

function refusal(view: ItemView): DomainError {
  const owners = [...view.owners.values()].flat().map(mention);
  return new DomainError(
    'not-permitted',
    `Only the owners of ${orList(view.item.leads)}${owners.length ? ` (${owners.join(', ')})` : ''} or a Taskforce admin can update ${view.item.ref}. Nothing was changed.${owners.length ? '' : ' No one is mapped to its leads yet: an admin can do it with `/lead`.'}`,
  );
}

/** Throws the friendly refusal unless the user may update the item; returns the item's view. */
export async function checkMayUpdate(taskforce: Taskforce, userId: string, ref: string): Promise<ItemView> {
  const view = await viewItem(taskforce, ref);
  await requirePermission(taskforce, userId, view);
  return view;
}

export interface StatusUpdateRequest {
  ref: string;
  status: Status;
  /** After the status: a part of the deadline (for "done") and/or a note. */
  text: string;
  userId: string;
  source: 'command' | 'button' | 'modal' | 'console';
  /** From a reminder's Done button: the deadline part the reminder was about. */
  deadlineId?: number;
  /** What Slack sent (its trigger id), so that the same request delivered twice is applied once. */
  dedupeKey?: string;
}


export interface StatusUpdateResult {
  view: ItemView;
  previous: Status;
  part: Milestone | null;
  note: string | null;
}

/**
 * Records a status (or one part done) from a person, after checking they may: the same rules
 * for the command, the buttons and the console. Announces it in the Taskforce channel.
 */
export async function updateStatus(taskforce: Taskforce, request: StatusUpdateRequest): Promise<StatusUpdateResult> {
  requireSettableStatus(request.status);
  const before = await viewItem(taskforce, request.ref);
  const { item } = before;
  await requirePermission(taskforce, request.userId, before);
  const fromReminder = item.milestones.length > 1 ? item.milestones.find((m) => m.id === request.deadlineId) : undefined;
  const part = request.status !== 'done' ? null : fromReminder ? { milestone: fromReminder, note: request.text } : matchPart(item.milestones, request.text);
  const note = (part ? part.note : request.text).trim() || null;
  const repeat = async () => ({ view: await viewItem(taskforce, item.ref), previous: before.status, part: part?.milestone ?? null, note });
  let entry: HistoryEntry;
  try {
    entry = await recordStatus(taskforce.db, {
      itemId: item.id,
      status: request.status,
      note,
      actor: request.userId,
      source: request.source,
      deadlineId: part?.milestone.id ?? null,
      dedupeKey: request.dedupeKey,
      at: taskforce.clock.now(),
    });
  } catch (error) {
    // The same request delivered twice: the key is unique, so the other delivery recorded it.
    if (request.dedupeKey && isUniqueViolation(error)) return repeat();
    throw error;
  }
  // The item as it is now, without reading it back: its history plus the new entry.
  const view = viewOf({ ...item, history: [...item.history, entry] }, taskforce.clock.now(), before.context, before.owners);
  await taskforce.announcer.announce({
    kind: 'status',
    actor: request.userId,
    ref: item.ref,
    title: view.title,
    status: request.status,
    part: part ? (part.milestone.part ?? part.milestone.words) : null,
    note,
  });
  return { view, previous: before.status, part: part?.milestone ?? null, note };
}

export type PartsProgress = { done: number; total: number };

export interface ItemSummary {
  ref: string;
  /** A short title cut from the item's words: lists name items, not just number them. */
  title: string;
  status: Status;
  parts: PartsProgress | null;
  theme: string | null;
  leads: readonly string[];
  nextDue: AssessedOccurrence | null;
  overdue: AssessedOccurrence | null;
}

function summarise(item: PlanItemRecord, now: Date, context: DeadlineContext): ItemSummary {
  const occurrences = assessItem(item, now, context);
  return {
    ref: item.ref,
    title: itemTitle(item.text),
    status: statusAsOf(item, now),
    parts: partsProgress(item, now),
    theme: item.theme?.title ?? null,
    leads: item.leads,
    nextDue: occurrences.find((o) => o.state === 'upcoming') ?? null,
    overdue: occurrences.find((o) => o.state === 'overdue') ?? null,
  };
}

export interface ItemList {
  title: string;
  items: ItemSummary[];
}

/** All items, or those of one lead or one theme (by code or words of its title). */
export async function listItems(taskforce: Taskforce, filter: string | null): Promise<ItemList> {
  const items = await loadItems(taskforce.db);
  const now = taskforce.clock.now();
  const context = await deadlineContext(taskforce);
  if (!filter) return { title: 'All items', items: items.map((item) => summarise(item, now, context)) };

  const wanted = leadKey(filter);
  const themes = await taskforce.db.theme.findMany({ select: { code: true, title: true } });
  const theme =
    themes.find((t) => t.code.toLowerCase() === wanted) ??
    (themes.filter((t) => t.title.toLowerCase().includes(wanted)).length === 1 ? themes.find((t) => t.title.toLowerCase().includes(wanted)) : undefined);
  if (theme) {
    return { title: `Theme: ${theme.title}`, items: items.filter((item) => item.theme?.code === theme.code).map((item) => summarise(item, now, context)) };
  }
  try {
    const lead = await resolveLead(taskforce, filter);
    return { title: `Led by ${lead.name}`, items: items.filter((item) => item.leads.includes(lead.name)).map((item) => summarise(item, now, context)) };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    const names = [...(await listLeads(taskforce)).map((lead) => lead.name), ...themes.map((t) => t.code)];
    const suggestions = suggestNames(filter, names);
    throw new DomainError(
      'unknown-filter',
      `No lead or theme matches ${echo(filter)}.${suggestions.length ? ` Did you mean ${suggestions.join(', ')}?` : ''} Try \`/lead\` for leads, or a theme such as \`digital\` or \`W2\`.`,
    );
  }
}

/** The items of the leads a user answers for. */
export async function myItems(taskforce: Taskforce, userId: string): Promise<ItemList & { leads: string[] }> {
  const leads = await leadsOwnedBy(taskforce, userId);
  const items = await loadItems(taskforce.db);
  const now = taskforce.clock.now();
  const context = await deadlineContext(taskforce);
  return {
    title: 'Your items',
    leads,
    items: items.filter((item) => item.leads.some((lead) => leads.includes(lead))).map((item) => summarise(item, now, context)),
  };
}

/** A deadline as the lists show it: with its item's title. */
export interface TitledDueEntry extends DueEntry {
  title: string;
}

/** The entries with their items' titles, from the items' texts by id. */
function titled(entries: readonly DueEntry[], texts: ReadonlyMap<number, string>): TitledDueEntry[] {
  return entries.map((entry) => {
    const text = texts.get(entry.item.id);
    return { ...entry, title: text === undefined ? entry.item.ref : itemTitle(text) };
  });
}

/**
 * The entries with their titles, reading only the texts of the items listed: lists read the plan
 * without its texts (loadTrackingRecords), since reading every text, comment and note for every
 * answer made /overdue allocate the whole plan each time (README, "Performance").
 */
async function titledFromStore(taskforce: Taskforce, entries: readonly DueEntry[]): Promise<TitledDueEntry[]> {
  return titled(entries, await itemTexts(taskforce.db, [...new Set(entries.map((entry) => entry.item.id))]));
}

export interface DueReport {
  asOf: Date;
  groups: { lead: string; entries: TitledDueEntry[] }[];
  total: number;
}

function byLeadReport(entries: TitledDueEntry[], asOf: Date, onlyLead: string | null): DueReport {
  const groups = [...groupByLead(entries).entries()]
    .filter(([lead]) => onlyLead === null || lead === onlyLead)
    .map(([lead, group]) => ({ lead, entries: group }))
    .sort((a, b) => a.entries[0].occurrence.dueAt.getTime() - b.entries[0].occurrence.dueAt.getTime() || a.lead.localeCompare(b.lead));
  const total = new Set(groups.flatMap((group) => group.entries)).size;
  return { asOf, groups, total };
}

/** Open overdue deadlines as of now, grouped by lead, oldest first. */
export async function overdueReport(taskforce: Taskforce, leadFilter: string | null): Promise<DueReport & { lead: string | null }> {
  const lead = leadFilter ? (await resolveLead(taskforce, leadFilter)).name : null;
  const now = taskforce.clock.now();
  const [items, context] = await Promise.all([loadTrackingRecords(taskforce.db), deadlineContext(taskforce)]);
  const entries = await titledFromStore(taskforce, overdueAsOf(items, now, context));
  return { ...byLeadReport(entries, now, lead), lead };
}

/** What falls due in the next `days` days, soonest first. */
export interface UpcomingReport {
  asOf: Date;
  days: number;
  entries: TitledDueEntry[];
}

export async function upcomingReport(taskforce: Taskforce, days: number): Promise<UpcomingReport> {
  const now = taskforce.clock.now();
  const [items, context] = await Promise.all([loadTrackingRecords(taskforce.db), deadlineContext(taskforce)]);
  return { asOf: now, days, entries: await titledFromStore(taskforce, dueWithin(items, now, days, context)) };
}

export interface Dashboard {
  asOf: Date;
  mine: ItemSummary[];
  myLeads: string[];
  overdue: TitledDueEntry[];
  counts: Record<Status, number>;
}

/** The App Home: my items, what is overdue, and counts by status. */
export async function dashboard(taskforce: Taskforce, userId: string): Promise<Dashboard> {
  const now = taskforce.clock.now();
  const items = await loadItems(taskforce.db);
  const context = await deadlineContext(taskforce);
  const myLeads = await leadsOwnedBy(taskforce, userId);
  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  for (const item of items) counts[statusAsOf(item, now)]++;
  return {
    asOf: now,
    myLeads,
    mine: items.filter((item) => item.leads.some((lead) => myLeads.includes(lead))).map((item) => summarise(item, now, context)),
    // The App Home has read the whole plan already, texts and all.
    overdue: titled(overdueAsOf(items, now, context), new Map(items.map((item) => [item.id, item.text]))),
    counts,
  };
}

/** Switches reminders about one item off (or on again); for its leads' owners and admins. */
export async function setReminders(taskforce: Taskforce, userId: string, ref: string, on: boolean): Promise<PlanItemRecord> {
  const { item } = await checkMayUpdate(taskforce, userId, ref);
  await taskforce.db.planItem.update({ where: { id: item.id }, data: { remindersOffBy: on ? null : userId } });
  return { ...item, remindersOffBy: on ? null : userId };
}
