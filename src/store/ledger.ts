import type { Notice } from '../domain/notices';
import { join, sqltag } from '@prisma/client/runtime/client';
import { isUniqueViolation, type Db } from './client';

/**
 * The ledger of what the bot sends: one row per notification key, claimed before the send and
 * marked after Slack accepts it. The unique key is what makes a send happen once, across restarts
 * and across copies of the bot sharing the database (see README, "Exactly once").
 */
export interface OutgoingMessage {
  /** A user id (a DM) or a channel id. */
  channel: string;
  /** What to say, as a plain value: the sender words it when it sends. */
  notice: Notice;
  /** Reply in the thread of the message sent under this key (a digest's details). */
  threadKey?: string;
}

/** A send to claim: one message, and the keys of the reminders it carries as its lines. */
export interface NewSend {
  key: string;
  kind: string;
  recipient: string;
  message: OutgoingMessage;
  lines?: { key: string; kind: string }[];
}

export interface Claimed {
  key: string;
  kind: string;
  recipient: string;
  message: OutgoingMessage;
  attempts: number;
  /** When the key was first claimed: an earlier attempt, if any, was made after it. */
  claimedAt: Date;
  /** Till when this claim is ours: after it another copy may take the send for a retry. */
  leaseUntil: Date;
}

/** How long a claimed send is ours: long enough for one call to Slack and its time-out. */
export const LEASE_MS = 2 * 60_000;

/**
 * A claimed send starts only with this much of its lease left: one call to Slack and its time-out
 * (15 s, slack/sender.ts), with room to mark it. A send claimed with others in a batch may find its
 * lease nearly over when its turn comes; it is then left to the retry after the lease (claimRetry),
 * which first looks for an earlier attempt, so it is never sent by two copies.
 */
export const SEND_START_MARGIN_MS = 30_000;

export function mayStart(claimed: Claimed, now: Date): boolean {
  return now.getTime() <= claimed.leaseUntil.getTime() - SEND_START_MARGIN_MS;
}

/** Nine parameters a row: within SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement. */
const CLAIM_ROWS_PER_STATEMENT = 1000;

/**
 * Claims sends as one (a message and the reminders it carries; a digest and its thread): all of
 * them, or none when any key is already in the ledger. A reminder carried by a message is a row of
 * its own, with the message's key as its batch: the unique key keeps it in one message only.
 */
export async function claimAll(db: Db, sends: NewSend[], now: Date): Promise<Claimed[] | null> {
  const lease = new Date(now.getTime() + LEASE_MS);
  const rows = sends.flatMap((send) => [
    sqltag`(${send.key}, ${send.kind}, ${send.recipient}, 'sending', 1, ${lease}, ${JSON.stringify(send.message)}, NULL, ${now})`,
    ...(send.lines ?? []).map((line) => sqltag`(${line.key}, ${line.kind}, ${send.recipient}, 'sending', 1, NULL, NULL, ${send.key}, ${now})`),
  ]);
  try {
    // A plain multi-row INSERT, a thousand rows a statement, in one transaction: a first sweep of a
    // large plan claims thousands of reminders at once, and Prisma's createMany took 0.6-1.9 s for
    // 4,000 rows where this takes a tenth of it. A key already taken fails the whole transaction.
    await db.$transaction(
      Array.from({ length: Math.ceil(rows.length / CLAIM_ROWS_PER_STATEMENT) }, (_, index) => {
        const values = rows.slice(index * CLAIM_ROWS_PER_STATEMENT, (index + 1) * CLAIM_ROWS_PER_STATEMENT);
        return db.$executeRaw`INSERT INTO "Notification" ("key", "kind", "recipient", "status", "attempts", "leaseUntil", "message", "batchKey", "createdAt") VALUES ${join(values)}`;
      }),
    );
    const known = knownIn(db);
    for (const send of sends) for (const key of [send.key, ...(send.lines ?? []).map((line) => line.key)]) known.add(key);
    return sends.map(({ key, kind, recipient, message }) => ({ key, kind, recipient, message, attempts: 1, claimedAt: now, leaseUntil: lease }));
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/**
 * Keys this process knows to be in the ledger, per database. A key, once in, stays: the only
 * deletes are retention, which prunes only keys no sweep can plan again, and a released report
 * upload (requests.ts), whose key never passes through here. So a known key is still there, and a
 * steady sweep, whose keys are nearly all known, asks the database only about the new ones. Only
 * presence is remembered: a key another copy adds is found at the next ask. A prune forgets them all.
 */
const knownKeys = new WeakMap<Db, Set<string>>();

function knownIn(db: Db): Set<string> {
  let known = knownKeys.get(db);
  if (!known) knownKeys.set(db, (known = new Set()));
  return known;
}

/** Which of these keys the ledger already holds (sent, sending or waiting): a sweep claims only the rest. */
export async function keysInLedger(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const known = knownIn(db);
  const found = new Set<string>();
  const unknown: string[] = [];
  for (const key of keys) {
    if (known.has(key)) found.add(key);
    else unknown.push(key);
  }
  // Raw: Prisma compiles a findMany with a thousand keys per call, and a first sweep asks tens of thousands.
  for (let start = 0; start < unknown.length; start += 1000) {
    const rows = await db.$queryRaw<{ key: string }[]>`SELECT "key" FROM "Notification" WHERE "key" IN (${join(unknown.slice(start, start + 1000))})`;
    for (const row of rows) {
      found.add(row.key);
      known.add(row.key);
    }
  }
  return found;
}

/** Keys waiting for a retry that is due, or whose sender's lease ran out (it died mid-send). */
export async function retriesDue(db: Db, now: Date): Promise<string[]> {
  // Hand-written: every sweep asks, and nearly always the answer is none.
  const rows = await db.$queryRaw<{ key: string }[]>`
    SELECT "key" FROM "Notification"
    WHERE "batchKey" IS NULL AND (("status" = 'pending' AND "nextAttemptAt" <= ${now}) OR ("status" = 'sending' AND "leaseUntil" < ${now}))
    ORDER BY "id"`;
  return rows.map((row) => row.key);
}

/** Claims a send for another attempt; null when someone else got it first. */
export async function claimRetry(db: Db, key: string, now: Date): Promise<Claimed | null> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS);
  const { count } = await db.notification.updateMany({
    where: {
      key,
      OR: [
        { status: 'pending', nextAttemptAt: { lte: now } },
        { status: 'sending', leaseUntil: { lt: now } },
      ],
    },
    data: { status: 'sending', leaseUntil, attempts: { increment: 1 } },
  });
  if (count !== 1) return null;
  const row = await db.notification.findUniqueOrThrow({ where: { key } });
  return { key, kind: row.kind, recipient: row.recipient, message: JSON.parse(row.message ?? '{}') as OutgoingMessage, attempts: row.attempts, claimedAt: row.createdAt, leaseUntil };
}

/** Records how a send went, on the message and on the reminders it carries. */
async function mark(db: Db, key: string, data: { status: string; slackTs?: string; sentAt?: Date; nextAttemptAt: Date | null; lastError: string | null }): Promise<void> {
  await db.$transaction([
    db.notification.update({ where: { key }, data: { ...data, leaseUntil: null } }),
    db.notification.updateMany({ where: { batchKey: key }, data: { status: data.status, slackTs: data.slackTs, sentAt: data.sentAt, lastError: data.lastError } }),
  ]);
}

export async function markSent(db: Db, key: string, ts: string, now: Date): Promise<void> {
  await mark(db, key, { status: 'sent', slackTs: ts, sentAt: now, nextAttemptAt: null, lastError: null });
}

export async function markRetry(db: Db, key: string, nextAttemptAt: Date, error: string): Promise<void> {
  await mark(db, key, { status: 'pending', nextAttemptAt, lastError: error });
}

export async function markFailed(db: Db, key: string, error: string): Promise<void> {
  await mark(db, key, { status: 'failed', nextAttemptAt: null, lastError: error });
}

/** The message a reminder was sent in (by the message's Slack ts): whom it was for, and its notice. */
export async function sentMessageAt(db: Db, slackTs: string): Promise<{ key: string; recipient: string; message: OutgoingMessage } | null> {
  const row = await db.notification.findFirst({ where: { slackTs, batchKey: null, message: { not: null } }, select: { key: true, recipient: true, message: true } });
  return row ? { key: row.key, recipient: row.recipient, message: JSON.parse(row.message!) as OutgoingMessage } : null;
}

/** The Slack timestamp of a message sent under a key, if it was. */
export async function sentTs(db: Db, key: string): Promise<string | null> {
  const row = await db.notification.findUnique({ where: { key }, select: { status: true, slackTs: true } });
  return row?.status === 'sent' ? row.slackTs : null;
}

/** Rows deleted per statement: a short write lock on SQLite, even with 100,000 rows to go. */
const PRUNE_BATCH = 500;

/**
 * Deletes finished sends (sent or failed) claimed before `before`, with the reminders they carried
 * (their rows point at the message): a pending or in-flight send is never touched. A key can be
 * planned again only within the catch-up window (60 days at most), so one older than that can go;
 * but a digest goes by its meeting, so its rows stay while the meeting is still to come, or while a
 * part of its thread is unfinished. Returns how many rows went.
 */
export async function pruneLedger(db: Db, before: Date, now: Date): Promise<number> {
  let deleted = 0;
  let after = 0;
  for (;;) {
    const batch = await db.notification.findMany({
      where: { id: { gt: after }, batchKey: null, status: { in: ['sent', 'failed'] }, createdAt: { lt: before } },
      select: { id: true, key: true },
      orderBy: { id: 'asc' },
      take: PRUNE_BATCH,
    });
    if (batch.length === 0) {
      // What was pruned can no longer be planned; forgetting it all keeps the memory to the ledger's own span.
      if (deleted > 0) knownKeys.delete(db);
      return deleted;
    }
    after = batch[batch.length - 1].id;
    const held = await digestsHeld(db, batch.map((row) => row.key), now);
    const going = batch.filter((row) => !held.has(digestOf(row.key) ?? ''));
    if (going.length === 0) continue;
    const keys = going.map((row) => row.key);
    const [lines, messages] = await db.$transaction([
      db.notification.deleteMany({ where: { batchKey: { in: keys } } }),
      db.notification.deleteMany({ where: { id: { in: going.map((row) => row.id) } } }),
    ]);
    deleted += lines.count + messages.count;
  }
}

/** `digest:12` for a digest's rows (`digest:12`, `digest:12:part-1`, …); null for any other key. */
function digestOf(key: string): string | null {
  return /^digest:\d+(?=:|$)/.exec(key)?.[0] ?? null;
}

/** Of the digests among these keys, those whose rows must stay: meeting to come, or thread unfinished. */
async function digestsHeld(db: Db, keys: readonly string[], now: Date): Promise<Set<string>> {
  const digests = [...new Set(keys.map(digestOf).filter((digest): digest is string => digest !== null))];
  if (digests.length === 0) return new Set();
  const ids = digests.map((digest) => Number(digest.slice('digest:'.length)));
  const [coming, unfinished] = await Promise.all([
    db.meeting.findMany({ where: { id: { in: ids }, startsAt: { gt: now } }, select: { id: true } }),
    db.notification.findMany({ where: { OR: digests.map((digest) => ({ key: { startsWith: `${digest}:` } })), status: { notIn: ['sent', 'failed'] } }, select: { key: true } }),
  ]);
  return new Set([...coming.map((meeting) => `digest:${meeting.id}`), ...unfinished.map((row) => digestOf(row.key)!)]);
}
