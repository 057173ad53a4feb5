import type { Milestone, StatusEntry, TrackedItem } from '../domain/deadlines';
import { DomainError } from '../domain/errors';
import { isStatus, type Status } from '../domain/statuses';
import type { Db } from './client';
import { ruleFromColumns } from './rules';

export function refKey(ref: string): string {
  return ref.trim().toLowerCase();
}

/** An item with everything the front ends show about it. */
export interface PlanItemRecord extends TrackedItem {
  kind: string;
  text: string;
  section: string | null;
  leadText: string | null;
  deadlineText: string | null;
  comments: string | null;
  priority: boolean;
  /** Who switched reminders off for this item; null when they are on. */
  remindersOffBy: string | null;
  plan: { slug: string; title: string };
  theme: { code: string; title: string } | null;
  history: readonly HistoryEntry[];
  /** Items this one waits on, with the plan's words for the wait. */
  waitsOn: { ref: string; condition: string }[];
}

export interface HistoryEntry extends StatusEntry {
  id: number;
  note: string | null;
  actor: string;
}

const itemInclude = {
  plan: { select: { slug: true, title: true } },
  theme: { select: { code: true, title: true } },
  leads: { orderBy: { position: 'asc' as const }, include: { lead: { select: { name: true } } } },
  deadlines: { where: { retiredAt: null }, orderBy: { position: 'asc' as const } },
  statuses: { orderBy: [{ createdAt: 'asc' as const }, { id: 'asc' as const }] },
  dependsOn: { include: { dependsOn: { select: { ref: true } } } },
};

type ItemRow = NonNullable<Awaited<ReturnType<Db['planItem']['findFirst']>>> & {
  plan: { slug: string; title: string };
  theme: { code: string; title: string } | null;
  leads: { lead: { name: string } }[];
  deadlines: { id: number; words: string; part: string | null; rule: string; dueMonth: string | null; fromMonth: string | null; untilMonth: string | null }[];
  statuses: { id: number; status: string; deadlineId: number | null; createdAt: Date; source: string; note: string | null; actor: string }[];
  dependsOn: { condition: string; dependsOn: { ref: string } }[];
};

function toStatus(value: string): Status {
  if (!isStatus(value)) throw new Error(`StatusUpdate row with unknown status ${value}`);
  return value;
}

function toRecord(row: ItemRow): PlanItemRecord {
  return {
    id: row.id,
    ref: row.ref,
    kind: row.kind,
    text: row.text,
    section: row.section,
    leadText: row.leadText,
    deadlineText: row.deadlineText,
    comments: row.comments,
    priority: row.priority,
    remindersOffBy: row.remindersOffBy,
    plan: row.plan,
    theme: row.theme,
    leads: row.leads.map((link) => link.lead.name),
    milestones: row.deadlines.map(
      (deadline): Milestone => ({ id: deadline.id, words: deadline.words, part: deadline.part, rule: ruleFromColumns(deadline) }),
    ),
    history: row.statuses.map((entry) => ({
      id: entry.id,
      status: toStatus(entry.status),
      deadlineId: entry.deadlineId,
      at: entry.createdAt,
      source: entry.source,
      note: entry.note,
      actor: entry.actor,
    })),
    waitsOn: row.dependsOn.map((link) => ({ ref: link.dependsOn.ref, condition: link.condition })),
  };
}

/** Every item in force (not retired), in plan order. */
export async function loadItems(db: Db): Promise<PlanItemRecord[]> {
  const rows = await db.planItem.findMany({
    where: { retiredAt: null },
    include: itemInclude,
    orderBy: [{ plan: { position: 'asc' } }, { position: 'asc' }],
  });
  return rows.map((row) => toRecord(row as ItemRow));
}

/** The item a person named ("12", "lg4"), or null. */
export async function findItem(db: Db, ref: string): Promise<PlanItemRecord | null> {
  const row = await db.planItem.findFirst({ where: { refKey: refKey(ref), retiredAt: null }, include: itemInclude });
  return row ? toRecord(row as ItemRow) : null;
}

export interface StatusChange {
  /** The item, by ref (as people name it) or by id (when the caller has it already). */
  ref?: string;
  itemId?: number;
  status: Status;
  note?: string | null;
  /** Slack user id, "console" or "import". */
  actor: string;
  source: 'command' | 'button' | 'modal' | 'console' | 'import';
  /** Set when the change is about one part of a multi-part deadline. */
  deadlineId?: number | null;
  /** Unique: a second entry with the same key is refused (P2002). */
  dedupeKey?: string;
  at: Date;
}

/** Appends a status entry. History is append-only: nothing ever edits or deletes an entry. */
export async function recordStatus(db: Db, change: StatusChange): Promise<HistoryEntry> {
  const item = change.itemId !== undefined ? { id: change.itemId } : await db.planItem.findFirst({ where: { refKey: refKey(change.ref ?? ''), retiredAt: null }, select: { id: true } });
  if (!item) throw new DomainError('unknown-item', `There is no item ${change.ref}.`);
  const row = await db.statusUpdate.create({
    data: {
      itemId: item.id,
      deadlineId: change.deadlineId ?? null,
      status: change.status,
      note: change.note ?? null,
      actor: change.actor,
      source: change.source,
      dedupeKey: change.dedupeKey ?? null,
      createdAt: change.at,
    },
  });
  return { id: row.id, status: change.status, deadlineId: row.deadlineId, at: row.createdAt, source: row.source, note: row.note, actor: row.actor };
}

export async function setPriority(db: Db, ref: string, priority: boolean): Promise<void> {
  const { count } = await db.planItem.updateMany({ where: { refKey: refKey(ref), retiredAt: null }, data: { priority } });
  if (count === 0) throw new DomainError('unknown-item', `There is no item ${ref}.`);
}

/** Meetings that are not cancelled, earliest first. */
export async function loadMeetings(db: Db): Promise<{ id: number; startsAt: Date; note: string | null }[]> {
  return db.meeting.findMany({
    where: { cancelledAt: null },
    orderBy: { startsAt: 'asc' },
    select: { id: true, startsAt: true, note: true },
  });
}
