import { assessItem, dueWithin, overdueAsOf, statusAsOf, type DeadlineContext, type DueEntry, type TrackedItem } from './deadlines';
import { RAG_OF_STATUS, STATUSES, type Status } from './statuses';
import type { LocalDate } from './time';
import { itemTitle } from './titles';

export interface DigestItem extends TrackedItem {
  text: string;
  kind: string;
  history: readonly (TrackedItem['history'][number] & { note: string | null; actor: string })[];
  waitsOn: { ref: string; condition: string }[];
}

/** One deadline of an item, as a digest names it. */
export interface DigestLine {
  ref: string;
  title: string;
  part: string | null;
  dueDate: LocalDate;
  daysLate: number;
  leads: string[];
}

export interface DigestChange {
  ref: string;
  title: string;
  status: Status;
  /** The deadline part, when the change was one part done. */
  part: string | null;
  note: string | null;
  actor: string;
  at: string;
}

export interface QuietItem {
  ref: string;
  title: string;
  leads: string[];
  lastUpdate: string | null;
}

/** Lines under one lead, at most LINES_PER_LEAD of them shown; `more` says how many were not. */
export interface LeadGroup<T> {
  lead: string;
  lines: T[];
  more: number;
}

/**
 * What the Taskforce reads before a meeting, built by a pure function from the plan's state. A
 * plain value (dates as ISO strings): it is kept in the send ledger as it was claimed.
 */
export interface Digest {
  meetingAt: string;
  asOf: string;
  /** Changes are those since this moment: the previous meeting, or `windowDays` back when there was none. */
  since: string;
  sinceMeeting: boolean;
  /** Due before this moment: the next meeting, or about two months on when there is none. */
  dueUntil: string;
  untilMeeting: boolean;
  /** When there was no previous meeting: changes are those of the last this many days. */
  windowDays: number;
  counts: Record<Status, number>;
  rag: { green: number; amber: number; red: number; unrated: number };
  overdueCount: number;
  /** The few most overdue, one line per item, to name in the summary. */
  mostOverdue: DigestLine[];
  changes: DigestChange[];
  overdue: DigestLine[];
  dueBeforeNext: DigestLine[];
  quiet: QuietItem[];
  /** Items that wait on others that are now all done: LG3 once action 10 is done. */
  unlocked: { ref: string; title: string; waitsOn: { ref: string; condition: string }[] }[];
}

/** The span a digest looks at: changes since, and deadlines until. */
export type DigestWindow = Pick<Digest, 'since' | 'sinceMeeting' | 'windowDays' | 'dueUntil' | 'untilMeeting'>;

export function windowOf(digest: Digest): DigestWindow {
  return { since: digest.since, sinceMeeting: digest.sinceMeeting, windowDays: digest.windowDays, dueUntil: digest.dueUntil, untilMeeting: digest.untilMeeting };
}

export interface DigestSettings {
  /** An open item with no update for this many days has "gone quiet". */
  quietDays: number;
}

const DAY = 86_400_000;
/** With no later meeting stored, look about two months ahead ("approx 2 monthly"). */
export const DEFAULT_WINDOW_DAYS = 61;
const MOST_OVERDUE = 3;

function lineOf(entry: DueEntry, titles: ReadonlyMap<number, string>): DigestLine {
  return {
    ref: entry.item.ref,
    title: titles.get(entry.item.id) ?? entry.item.ref,
    part: entry.occurrence.milestone.part,
    dueDate: entry.occurrence.dueDate,
    daysLate: entry.daysLate,
    leads: [...entry.item.leads],
  };
}

export function buildDigest(
  items: readonly DigestItem[],
  meeting: { startsAt: Date },
  meetings: readonly { startsAt: Date }[],
  asOf: Date,
  context: DeadlineContext,
  settings: DigestSettings,
): Digest {
  const sorted = [...meetings].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
  const previous = sorted.filter((m) => m.startsAt < meeting.startsAt).pop();
  const next = sorted.find((m) => m.startsAt > meeting.startsAt);
  const since = previous?.startsAt ?? new Date(asOf.getTime() - settings.quietDays * DAY);
  const dueUntil = next?.startsAt ?? new Date(meeting.startsAt.getTime() + DEFAULT_WINDOW_DAYS * DAY);
  const titles = new Map(items.map((item) => [item.id, itemTitle(item.text)]));

  const counts = Object.fromEntries(STATUSES.map((status) => [status, 0])) as Record<Status, number>;
  const rag = { green: 0, amber: 0, red: 0, unrated: 0 };
  const changes: DigestChange[] = [];
  const quiet: QuietItem[] = [];
  const statusByRef = new Map<string, Status>();
  for (const item of items) {
    const status = statusAsOf(item, asOf);
    statusByRef.set(item.ref.toLowerCase(), status);
    counts[status]++;
    rag[RAG_OF_STATUS[status] ?? 'unrated']++;
    const updates = item.history.filter((entry) => entry.source !== 'import' && entry.at <= asOf);
    for (const entry of updates.filter((e) => e.at > since)) {
      const milestone = entry.deadlineId === null ? undefined : item.milestones.find((m) => m.id === entry.deadlineId);
      changes.push({
        ref: item.ref,
        title: titles.get(item.id)!,
        status: entry.status,
        part: milestone ? (milestone.part ?? milestone.words) : null,
        note: entry.note,
        actor: entry.actor,
        at: entry.at.toISOString(),
      });
    }
    // Quiet: open, no update lately, and a deadline that matters now (overdue, or due in the window).
    const pressing = assessItem(item, asOf, context).some((o) => o.state === 'overdue' || (o.state === 'upcoming' && o.dueAt <= dueUntil));
    const last = updates.at(-1)?.at ?? null;
    if (status !== 'done' && pressing && (!last || asOf.getTime() - last.getTime() > settings.quietDays * DAY)) {
      quiet.push({ ref: item.ref, title: titles.get(item.id)!, leads: [...item.leads], lastUpdate: last?.toISOString() ?? null });
    }
  }
  changes.sort((a, b) => a.at.localeCompare(b.at));

  const overdue = overdueAsOf(items, asOf, context);
  const mostOverdue: DigestLine[] = [];
  for (const entry of [...overdue].sort((a, b) => b.daysLate - a.daysLate)) {
    if (mostOverdue.length === MOST_OVERDUE) break;
    if (!mostOverdue.some((line) => line.ref === entry.item.ref)) mostOverdue.push(lineOf(entry, titles));
  }
  const horizonDays = Math.max(0, Math.ceil((dueUntil.getTime() - asOf.getTime()) / DAY));
  const dueBeforeNext = dueWithin(items, asOf, horizonDays, context).filter((entry) => entry.occurrence.dueAt <= dueUntil);
  const unlocked = items
    .filter((item) => item.waitsOn.length > 0 && statusByRef.get(item.ref.toLowerCase()) !== 'done')
    .filter((item) => item.waitsOn.every((link) => statusByRef.get(link.ref.toLowerCase()) === 'done'))
    .map((item) => ({ ref: item.ref, title: titles.get(item.id)!, waitsOn: item.waitsOn }));

  return {
    meetingAt: meeting.startsAt.toISOString(),
    asOf: asOf.toISOString(),
    since: since.toISOString(),
    sinceMeeting: previous !== undefined,
    dueUntil: dueUntil.toISOString(),
    untilMeeting: next !== undefined,
    windowDays: settings.quietDays,
    counts,
    rag,
    overdueCount: overdue.length,
    mostOverdue,
    changes,
    overdue: overdue.map((entry) => lineOf(entry, titles)),
    dueBeforeNext: dueBeforeNext.map((entry) => lineOf(entry, titles)),
    quiet,
    unlocked,
  };
}

/** How many lines each lead shows in the thread; the rest are counted, with where to see them. */
export const LINES_PER_LEAD = 5;

/** One reply in a digest's thread. */
export type DigestThreadPart =
  | { section: 'changes'; changes: DigestChange[]; continued: boolean }
  | { section: 'overdue' | 'due' | 'quiet'; groups: LeadGroup<DigestLine | QuietItem>[]; continued: boolean }
  | { section: 'unlocked'; items: Digest['unlocked'] };

/**
 * How long a text may grow in a markup front end: each of & < > becomes an entity of up to five
 * characters. Thread replies are packed by this weight so that none outgrows what a message holds.
 */
export function markupWeight(text: string | null): number {
  if (!text) return 0;
  let weight = text.length;
  for (const character of text) if (character === '&' || character === '<' || character === '>') weight += 4;
  return weight;
}

/** The most a thread reply carries, in markup weight: well inside Slack's ~12,000 characters. */
const REPLY_WEIGHT = 7000;
/** Room a line takes beside its texts: ref, date, names, markup. */
const LINE_OVERHEAD = 120;

function pack<T>(entries: readonly T[], weigh: (entry: T) => number, maxPerReply: number): T[][] {
  const replies: T[][] = [];
  let current: T[] = [];
  let weight = 0;
  for (const entry of entries) {
    const w = weigh(entry);
    if (current.length > 0 && (weight + w > REPLY_WEIGHT || current.length === maxPerReply)) {
      replies.push(current);
      current = [];
      weight = 0;
    }
    current.push(entry);
    weight += w;
  }
  if (current.length) replies.push(current);
  return replies;
}

function byLead<T extends { leads: readonly string[] }>(lines: readonly T[]): LeadGroup<T>[] {
  const groups = new Map<string, T[]>();
  for (const line of lines) {
    for (const lead of line.leads) {
      const group = groups.get(lead);
      if (group) group.push(line);
      else groups.set(lead, [line]);
    }
  }
  return [...groups.entries()].map(([lead, all]) => ({ lead, lines: all.slice(0, LINES_PER_LEAD), more: Math.max(0, all.length - LINES_PER_LEAD) }));
}

/**
 * The digest's thread: every change (packed into as many replies as they need), then overdue,
 * due before the next meeting and gone quiet, grouped by lead, each lead capped with a count.
 */
export function digestThread(digest: Digest): DigestThreadPart[] {
  const parts: DigestThreadPart[] = [];
  const changeReplies = pack(digest.changes, (change) => LINE_OVERHEAD + markupWeight(change.title) + markupWeight(change.note) + markupWeight(change.part), 25);
  if (changeReplies.length === 0) parts.push({ section: 'changes', changes: [], continued: false });
  changeReplies.forEach((changes, index) => parts.push({ section: 'changes', changes, continued: index > 0 }));
  const lineWeight = (line: { title: string; part?: string | null }) => LINE_OVERHEAD + markupWeight(line.title) + markupWeight(line.part ?? null);
  const groupWeight = (group: LeadGroup<DigestLine | QuietItem>) => 100 + markupWeight(group.lead) + group.lines.reduce((sum, line) => sum + lineWeight(line), 0);
  for (const [section, lines] of [
    ['overdue', digest.overdue],
    ['due', digest.dueBeforeNext],
    ['quiet', digest.quiet],
  ] as const) {
    const replies = pack(byLead<DigestLine | QuietItem>(lines), groupWeight, 20);
    if (replies.length === 0) parts.push({ section, groups: [], continued: false });
    replies.forEach((groups, index) => parts.push({ section, groups, continued: index > 0 }));
  }
  if (digest.unlocked.length) parts.push({ section: 'unlocked', items: digest.unlocked });
  return parts;
}
