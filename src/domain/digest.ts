import { assessItem, dueWithin, groupByLead, overdueAsOf, statusAsOf, type DeadlineContext, type DueEntry, type TrackedItem } from './deadlines';
import { RAG_OF_STATUS, STATUSES, type Status } from './statuses';

export interface DigestItem extends TrackedItem {
  text: string;
  kind: string;
  history: readonly (TrackedItem['history'][number] & { note: string | null; actor: string })[];
  waitsOn: { ref: string; condition: string }[];
}

export interface DigestChange {
  ref: string;
  status: Status;
  /** The deadline part, when the change was one part done. */
  part: string | null;
  note: string | null;
  actor: string;
  at: Date;
}

export interface QuietItem {
  ref: string;
  leads: readonly string[];
  lastUpdate: Date | null;
}

/** What the Taskforce reads before a meeting. Built by a pure function from the plan's state. */
export interface Digest {
  meetingAt: Date;
  asOf: Date;
  /** Changes are those since this moment: the previous meeting, or `quietDays` back when there was none. */
  since: Date;
  counts: Record<Status, number>;
  rag: { green: number; amber: number; red: number; unrated: number };
  changes: DigestChange[];
  overdueByLead: { lead: string; entries: DueEntry[] }[];
  overdueCount: number;
  /** Due between now and the meeting after this one. */
  dueBeforeNext: DueEntry[];
  dueUntil: Date;
  quiet: QuietItem[];
  /** Items that wait on others that are now all done: LG3 once action 10 is done. */
  unlocked: { ref: string; waitsOn: { ref: string; condition: string }[] }[];
}

export interface DigestSettings {
  /** An open item with no update for this many days has "gone quiet". */
  quietDays: number;
}

const DAY = 86_400_000;

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
  // With no later meeting stored, look about two months ahead ("approx 2 monthly").
  const dueUntil = next?.startsAt ?? new Date(meeting.startsAt.getTime() + 61 * DAY);

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
      changes.push({ ref: item.ref, status: entry.status, part: milestone ? (milestone.part ?? milestone.words) : null, note: entry.note, actor: entry.actor, at: entry.at });
    }
    const hasOpenDeadlines = assessItem(item, asOf, context).some((o) => o.state === 'overdue' || o.state === 'upcoming');
    const last = updates.at(-1)?.at ?? null;
    if (status !== 'done' && hasOpenDeadlines && (!last || asOf.getTime() - last.getTime() > settings.quietDays * DAY)) {
      quiet.push({ ref: item.ref, leads: item.leads, lastUpdate: last });
    }
  }
  changes.sort((a, b) => a.at.getTime() - b.at.getTime());

  const overdue = overdueAsOf(items, asOf, context);
  const overdueByLead = [...groupByLead(overdue).entries()].map(([lead, entries]) => ({ lead, entries }));
  const horizonDays = Math.max(0, Math.ceil((dueUntil.getTime() - asOf.getTime()) / DAY));
  const dueBeforeNext = dueWithin(items, asOf, horizonDays, context).filter((entry) => entry.occurrence.dueAt <= dueUntil);
  const unlocked = items
    .filter((item) => item.waitsOn.length > 0 && statusByRef.get(item.ref.toLowerCase()) !== 'done')
    .filter((item) => item.waitsOn.every((link) => statusByRef.get(link.ref.toLowerCase()) === 'done'))
    .map((item) => ({ ref: item.ref, waitsOn: item.waitsOn }));

  return {
    meetingAt: meeting.startsAt,
    asOf,
    since,
    counts,
    rag,
    changes,
    overdueByLead,
    overdueCount: overdue.length,
    dueBeforeNext,
    dueUntil,
    quiet,
    unlocked,
  };
}
