import type { Milestone, StatusEntry, TrackedItem } from '../domain/deadlines';
import { DomainError } from '../domain/errors';
import { isStatus, requireSettableStatus, type Status } from '../domain/statuses';
import { join } from '@prisma/client/runtime/client';
import { databaseKindOf, type Db } from './client';
import type { DatabaseKind } from './database-url';
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

/** A deadline's columns as the hand-written queries read them. */
type DeadlineRow = { id: number; words: string; part: string | null; rule: string; dueMonth: string | null; fromMonth: string | null; untilMonth: string | null };
/** A status update's columns as the hand-written queries read them. */
type StatusRow = { id: number; status: string; deadlineId: number | null; createdAt: Date; source: string; note: string | null; actor: string };

/** Rows already reported: a sweep reads every row each minute, and one line per row is enough. */
const reportedUnknown = new Set<number>();

/**
 * The entries of a history whose status is one we know, in order. A row with any other status
 * (written before the database refused them, see the status_check migration) is logged once and
 * skipped: one bad row must not stop every list, digest and sweep.
 */
export function knownEntries<T extends { id: number; status: string }>(rows: readonly T[], report: (line: string) => void = console.warn): (T & { status: Status })[] {
  const known: (T & { status: Status })[] = [];
  for (const row of rows) {
    if (isStatus(row.status)) known.push(row as T & { status: Status });
    else if (!reportedUnknown.has(row.id)) {
      reportedUnknown.add(row.id);
      report(`StatusUpdate ${row.id} has an unknown status and is left out of the item's history`);
    }
  }
  return known;
}

function toMilestone(deadline: DeadlineRow): Milestone {
  return { id: deadline.id, words: deadline.words, part: deadline.part, rule: ruleFromColumns(deadline) };
}

function toStatusEntry(entry: Pick<StatusRow, 'deadlineId' | 'createdAt' | 'source'> & { status: Status }): StatusEntry {
  return { status: entry.status, deadlineId: entry.deadlineId, at: entry.createdAt, source: entry.source };
}

/** Rows grouped by a key, each group in the rows' order. */
export function groupBy<T, K>(rows: readonly T[], keyOf: (row: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

const byItem = <T extends { itemId: number }>(rows: readonly T[]) => groupBy(rows, (row) => row.itemId);

/**
 * Every item in force (not retired), in plan order. Four flat queries, hand-written and joined
 * here: for a plan of thousands of items this is faster than Prisma's nested include, which splits
 * into IN-lists and merges, and a raw query costs a third of a Prisma one (README, "Performance").
 */
export async function loadItems(db: Db): Promise<PlanItemRecord[]> {
  const [allRows, links, deadlines, statuses] = await Promise.all([
    // Retired ones too: an item may still wait on one.
    db.$queryRaw<(ItemJoinRow & { planPosition: number })[]>`
      SELECT i.*, p."slug" AS "planSlug", p."title" AS "planTitle", p."position" AS "planPosition", t."code" AS "themeCode", t."title" AS "themeTitle"
      FROM "PlanItem" i JOIN "Plan" p ON p."id" = i."planId" LEFT JOIN "Theme" t ON t."id" = i."themeId"
      ORDER BY p."position", i."position"`,
    db.$queryRaw<(ItemLink & { itemId: number })[]>`
      SELECT il."itemId" AS "itemId", 'lead' AS "kind", il."position" AS "position", l."name" AS "name", '' AS "condition"
      FROM "ItemLead" il JOIN "Lead" l ON l."id" = il."leadId"
      UNION ALL
      SELECT d."itemId", 'waits-on', 0, p."ref", d."condition"
      FROM "ItemDependency" d JOIN "PlanItem" p ON p."id" = d."dependsOnId"
      ORDER BY "itemId", "kind", "position"`,
    db.$queryRaw<(DeadlineRow & { itemId: number })[]>`
      SELECT "id", "itemId", "words", "part", "rule", "dueMonth", "fromMonth", "untilMonth" FROM "Deadline"
      WHERE "retiredAt" IS NULL ORDER BY "itemId", "position"`,
    db.$queryRaw<(StatusRow & { itemId: number })[]>`
      SELECT "id", "itemId", "status", "deadlineId", "createdAt", "source", "note", "actor" FROM "StatusUpdate" ORDER BY "createdAt", "id"`,
  ]);
  const [linksOf, deadlinesOf, statusesOf] = [byItem(links), byItem(deadlines), byItem(statuses)];
  return allRows
    .filter((row) => row.retiredAt === null)
    .map((row) => {
      return joinedRecord(row, linksOf.get(row.id) ?? [], deadlinesOf.get(row.id) ?? [], statusesOf.get(row.id) ?? []);
    });
}

/** What deadline maths and reminders need of an item, without its texts. */
export interface TrackingRecord extends TrackedItem {
  /** Who switched reminders off for this item; null when they are on. */
  remindersOffBy: string | null;
}

/**
 * Every item in force, with only what deadline maths needs: what a sweep reads every few minutes,
 * so it leaves the texts, notes and authors behind (half the time of loadItems for a large plan).
 */
export async function loadTrackingRecords(db: Db): Promise<TrackingRecord[]> {
  const kind = databaseKindOf(db);
  const [rows, leads, links, deadlines, statuses] = kind ? await trackingRowsAsJson(db, kind) : await trackingRows(db);
  const leadName = new Map(leads.map((lead) => [lead.id, lead.name]));
  // One pass over each table into the records, in the tables' order (a sweep of 10,000 items
  // spent longer grouping rows into maps and copying them than the database spent reading them).
  const records: (TrackingRecord & { leads: string[]; milestones: Milestone[]; history: StatusEntry[] })[] = [];
  const byId = new Map<number, (typeof records)[number]>();
  for (const row of rows) {
    const record = { id: row.id, ref: row.ref, remindersOffBy: row.remindersOffBy, leads: [], milestones: [], history: [] };
    records.push(record);
    byId.set(row.id, record);
  }
  for (const link of links) byId.get(link.itemId)?.leads.push(leadName.get(link.leadId)!);
  for (const deadline of deadlines) byId.get(deadline.itemId)?.milestones.push(toMilestone(deadline));
  for (const entry of knownEntries(statuses)) byId.get(entry.itemId)?.history.push(toStatusEntry(entry));
  return records;
}

type TrackingRows = [
  { id: number; ref: string; remindersOffBy: string | null }[],
  { id: number; name: string }[],
  { itemId: number; leadId: number }[],
  (DeadlineRow & { itemId: number })[],
  { id: number; itemId: number; status: string; deadlineId: number | null; createdAt: Date; source: string }[],
];

async function trackingRows(db: Db): Promise<TrackingRows> {
  return Promise.all([
    db.planItem.findMany({ where: { retiredAt: null }, select: { id: true, ref: true, remindersOffBy: true }, orderBy: { id: 'asc' } }),
    db.lead.findMany({ select: { id: true, name: true } }),
    db.itemLead.findMany({ orderBy: [{ itemId: 'asc' }, { position: 'asc' }] }),
    db.deadline.findMany({ where: { retiredAt: null }, orderBy: [{ itemId: 'asc' }, { position: 'asc' }] }),
    db.statusUpdate.findMany({ select: { id: true, itemId: true, status: true, deadlineId: true, createdAt: true, source: true }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
  ]);
}

/** A table's rows as one JSON array of arrays, built by the database, in order. */
async function jsonTable(db: Db, kind: DatabaseKind, columns: string, from: string, orderBy: string): Promise<unknown[][]> {
  const [array, aggregate] = kind === 'postgresql' ? ['json_build_array', 'json_agg'] : ['json_array', 'json_group_array'];
  const [row] = await db.$queryRawUnsafe<{ rows: unknown }[]>(`SELECT ${aggregate}(${array}(${columns}) ORDER BY ${orderBy}) AS "rows" FROM ${from}`);
  const value = row?.rows ?? null; // PostgreSQL's json_agg of no rows is null
  return (typeof value === 'string' ? JSON.parse(value) : (value ?? [])) as unknown[][];
}

/** "createdAt" as ISO text in UTC (SQLite keeps it so already). */
function isoCreatedAt(kind: DatabaseKind): string {
  return kind === 'postgresql' ? `to_char("createdAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')` : '"createdAt"';
}

/**
 * One item's history, oldest first. As one JSON value where the database is known: an item
 * updated often for years has hundreds of entries, and Prisma maps each row field by field (500
 * entries on SQLite: about 2.3 ms so, against 3.3 ms as rows).
 */
async function historyRows(db: Db, itemId: number): Promise<StatusRow[]> {
  const kind = databaseKindOf(db);
  // The id goes into the SQL's text below, so only a plain integer does.
  if (!kind || !Number.isSafeInteger(itemId)) {
    return db.$queryRaw<StatusRow[]>`
      SELECT "id", "status", "deadlineId", "createdAt", "source", "note", "actor" FROM "StatusUpdate"
      WHERE "itemId" = ${itemId} ORDER BY "createdAt", "id"`;
  }
  const rows = await jsonTable(db, kind, `"id", "status", "deadlineId", ${isoCreatedAt(kind)}, "source", "note", "actor"`, `"StatusUpdate" WHERE "itemId" = ${itemId}`, '"createdAt", "id"');
  return rows.map(([id, status, deadlineId, at, source, note, actor]) => ({ id, status, deadlineId, createdAt: new Date(at as string), source, note, actor }) as StatusRow);
}

/**
 * The same rows, each table read as one JSON value that the database builds (an array of arrays,
 * in order): Prisma maps tens of thousands of rows one field at a time, and that was most of a
 * steady sweep (260-300 ms of loadTrackingRecords at 10,000 items, against 50-80 ms so). The SQL
 * differs only in the names of the JSON functions; times are read as ISO text in UTC.
 */
async function trackingRowsAsJson(db: Db, kind: DatabaseKind): Promise<TrackingRows> {
  const table = (columns: string, from: string, orderBy: string) => jsonTable(db, kind, columns, from, orderBy);
  const [items, leads, links, deadlines, statuses] = await Promise.all([
    table('"id", "ref", "remindersOffBy"', '"PlanItem" WHERE "retiredAt" IS NULL', '"id"'),
    db.$queryRaw<{ id: number; name: string }[]>`SELECT "id", "name" FROM "Lead"`,
    table('"itemId", "leadId"', '"ItemLead"', '"itemId", "position"'),
    table('"id", "itemId", "words", "part", "rule", "dueMonth", "fromMonth", "untilMonth"', '"Deadline" WHERE "retiredAt" IS NULL', '"itemId", "position"'),
    table(`"id", "itemId", "status", "deadlineId", ${isoCreatedAt(kind)}, "source"`, '"StatusUpdate"', '"createdAt", "id"'),
  ]);
  return [
    items.map(([id, ref, remindersOffBy]) => ({ id, ref, remindersOffBy }) as TrackingRows[0][number]),
    leads,
    links.map(([itemId, leadId]) => ({ itemId, leadId }) as TrackingRows[2][number]),
    deadlines.map(([id, itemId, words, part, rule, dueMonth, fromMonth, untilMonth]) => ({ id, itemId, words, part, rule, dueMonth, fromMonth, untilMonth }) as TrackingRows[3][number]),
    statuses.map(([id, itemId, status, deadlineId, at, source]) => ({ id, itemId, status, deadlineId, createdAt: new Date(at as string), source }) as TrackingRows[4][number]),
  ];
}

/** The texts of some items, by id. */
export async function itemTexts(db: Db, ids: readonly number[]): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  for (let start = 0; start < ids.length; start += 1000) {
    const rows = await db.$queryRaw<{ id: number; text: string }[]>`SELECT "id", "text" FROM "PlanItem" WHERE "id" IN (${join(ids.slice(start, start + 1000))})`;
    for (const row of rows) texts.set(row.id, row.text);
  }
  return texts;
}

/** The item a person named ("12", "lg4"), or null. */
export async function findItem(db: Db, ref: string): Promise<PlanItemRecord | null> {
  // Hand-written: the item view is what people ask for most, and Prisma's include made it nine
  // queries; these are four, each a third of the cost of a Prisma query (README, "Performance").
  const [row] = await db.$queryRaw<ItemJoinRow[]>`
    SELECT i.*, p."slug" AS "planSlug", p."title" AS "planTitle", t."code" AS "themeCode", t."title" AS "themeTitle"
    FROM "PlanItem" i JOIN "Plan" p ON p."id" = i."planId" LEFT JOIN "Theme" t ON t."id" = i."themeId"
    WHERE i."refKey" = ${refKey(ref)} AND i."retiredAt" IS NULL`;
  if (!row) return null;
  const [links, deadlines, statuses] = await Promise.all([
    // The item's leads in order, and what it waits on: two small lists, one query.
    db.$queryRaw<ItemLink[]>`
      SELECT 'lead' AS "kind", il."position" AS "position", l."name" AS "name", '' AS "condition"
      FROM "ItemLead" il JOIN "Lead" l ON l."id" = il."leadId" WHERE il."itemId" = ${row.id}
      UNION ALL
      SELECT 'waits-on', 0, p."ref", d."condition"
      FROM "ItemDependency" d JOIN "PlanItem" p ON p."id" = d."dependsOnId" WHERE d."itemId" = ${row.id}
      ORDER BY "kind", "position"`,
    db.$queryRaw<DeadlineRow[]>`
      SELECT "id", "words", "part", "rule", "dueMonth", "fromMonth", "untilMonth" FROM "Deadline"
      WHERE "itemId" = ${row.id} AND "retiredAt" IS NULL ORDER BY "position"`,
    historyRows(db, row.id),
  ]);
  return joinedRecord(row, links, deadlines, statuses);
}

/** An item's leads (in order) and what it waits on: one list from one UNION query. */
type ItemLink = { kind: string; position: number; name: string; condition: string };

function joinedRecord(row: ItemJoinRow, links: readonly ItemLink[], deadlines: DeadlineRow[], statuses: StatusRow[]): PlanItemRecord {
  const leads: string[] = [];
  const waitsOn: PlanItemRecord['waitsOn'] = [];
  for (const link of links) {
    if (link.kind === 'lead') leads.push(link.name);
    else waitsOn.push({ ref: link.name, condition: link.condition });
  }
  // Spelt out, not spread from the row: loadItems builds thousands of these.
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
    plan: { slug: row.planSlug, title: row.planTitle },
    theme: row.themeCode === null ? null : { code: row.themeCode, title: row.themeTitle! },
    leads,
    milestones: deadlines.map(toMilestone),
    history: knownEntries(statuses).map((entry) => ({ status: entry.status, deadlineId: entry.deadlineId, at: entry.createdAt, source: entry.source, id: entry.id, note: entry.note, actor: entry.actor })),
    waitsOn,
  };
}

/** A row of the hand-written item queries: the item with its plan's and theme's columns. */
type ItemJoinRow = NonNullable<Awaited<ReturnType<Db['planItem']['findFirst']>>> & {
  planSlug: string;
  planTitle: string;
  themeCode: string | null;
  themeTitle: string | null;
};

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

/**
 * Appends a status entry from a person (the import writes its "not-started" itself). History is
 * append-only: nothing ever edits or deletes an entry.
 */
export async function recordStatus(db: Db, change: StatusChange): Promise<HistoryEntry> {
  requireSettableStatus(change.status);
  const item = change.itemId !== undefined ? { id: change.itemId } : await db.planItem.findFirst({ where: { refKey: refKey(change.ref ?? ''), retiredAt: null }, select: { id: true } });
  if (!item) throw new DomainError('unknown-item', `There is no item ${change.ref}.`);
  // Hand-written: Prisma compiles a create anew each time, which cost more than the rest of an update.
  const [row] = await db.$queryRaw<{ id: number }[]>`
    INSERT INTO "StatusUpdate" ("itemId", "deadlineId", "status", "note", "actor", "source", "dedupeKey", "createdAt")
    VALUES (${item.id}, ${change.deadlineId ?? null}, ${change.status}, ${change.note ?? null}, ${change.actor}, ${change.source}, ${change.dedupeKey ?? null}, ${change.at})
    RETURNING "id"`;
  return { id: row.id, status: change.status, deadlineId: change.deadlineId ?? null, at: change.at, source: change.source, note: change.note ?? null, actor: change.actor };
}

export async function setPriority(db: Db, ref: string, priority: boolean): Promise<void> {
  const { count } = await db.planItem.updateMany({ where: { refKey: refKey(ref), retiredAt: null }, data: { priority } });
  if (count === 0) throw new DomainError('unknown-item', `There is no item ${ref}.`);
}

/** The months the plans start in, earliest first ("2016-12"). */
export async function loadPlanStarts(db: Db): Promise<string[]> {
  const plans = await db.plan.findMany({ select: { startsOn: true } });
  return plans.map((plan) => plan.startsOn).sort();
}

/** Meetings that are not cancelled, earliest first. */
export async function loadMeetings(db: Db): Promise<{ id: number; startsAt: Date; endsAt: Date | null; note: string | null }[]> {
  // Raw: every command that shows a deadline reads this (an "every meeting" deadline needs it).
  return db.$queryRaw`SELECT "id", "startsAt", "endsAt", "note" FROM "Meeting" WHERE "cancelledAt" IS NULL ORDER BY "startsAt", "id"`;
}

/** The Slack owners of each named lead, in the order they were mapped. */
export async function leadOwners(db: Db, leadNames: readonly string[]): Promise<Map<string, { kind: string; slackId: string }[]>> {
  const byLead = new Map<string, { kind: string; slackId: string }[]>(leadNames.map((name) => [name, []]));
  if (leadNames.length === 0) return byLead;
  const rows = await db.$queryRaw<{ name: string; kind: string; slackId: string }[]>`
    SELECT l."name", o."kind", o."slackId" FROM "LeadOwner" o JOIN "Lead" l ON l."id" = o."leadId"
    WHERE l."name" IN (${join([...leadNames])}) ORDER BY o."id"`;
  for (const row of rows) byLead.get(row.name)?.push({ kind: row.kind, slackId: row.slackId });
  return byLead;
}

/** Every lead owner, with its lead's name, in the order they were mapped (what a sweep sends to). */
export async function loadAllLeadOwners(db: Db): Promise<{ lead: string; kind: string; slackId: string }[]> {
  return db.$queryRaw`SELECT l."name" AS "lead", o."kind", o."slackId" FROM "LeadOwner" o JOIN "Lead" l ON l."id" = o."leadId" ORDER BY o."id"`;
}

/** Every snooze, oldest first. */
export async function loadSnoozes(db: Db): Promise<{ itemId: number; recipient: string; until: Date; createdAt: Date }[]> {
  return db.$queryRaw`SELECT "itemId", "recipient", "until", "createdAt" FROM "Snooze" ORDER BY "id"`;
}
