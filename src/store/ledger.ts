import type { Db } from './client';

/**
 * The ledger of what the bot sends: one row per notification key, claimed before the send and
 * marked after Slack accepts it. The unique key is what makes a send happen once, across restarts
 * and across copies of the bot sharing the database (see README, "Exactly once").
 */
export interface OutgoingMessage {
  channel: string;
  text: string;
  blocks?: unknown[];
  /** Reply in the thread of the message sent under this key (a digest's details). */
  threadKey?: string;
  /** Slack message metadata: the key travels with the message. */
  metadata?: { event_type: string; event_payload: Record<string, string> };
}

export interface Claimed {
  key: string;
  kind: string;
  recipient: string;
  message: OutgoingMessage;
  attempts: number;
  /** When the key was first claimed: an earlier attempt, if any, was made after it. */
  claimedAt: Date;
}

/** How long a claimed send is ours: long enough for one call to Slack and its time-out. */
export const LEASE_MS = 2 * 60_000;

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

/** Claims a new send under its key. False when the key is already in the ledger (sent, sending or waiting). */
export async function claimNew(db: Db, send: { key: string; kind: string; recipient: string; message: OutgoingMessage }, now: Date): Promise<Claimed | null> {
  return (await claimAll(db, [send], now))?.[0] ?? null;
}

/**
 * Claims several sends as one (a digest and its thread): all of them, or none when any key is
 * already in the ledger.
 */
export async function claimAll(db: Db, sends: { key: string; kind: string; recipient: string; message: OutgoingMessage }[], now: Date): Promise<Claimed[] | null> {
  try {
    await db.$transaction(
      sends.map((send) =>
        db.notification.create({
          data: {
            key: send.key,
            kind: send.kind,
            recipient: send.recipient,
            status: 'sending',
            attempts: 1,
            leaseUntil: new Date(now.getTime() + LEASE_MS),
            message: JSON.stringify(send.message),
            createdAt: now,
          },
        }),
      ),
    );
    return sends.map((send) => ({ ...send, attempts: 1, claimedAt: now }));
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Which of these keys the ledger already holds (sent, sending or waiting): a sweep claims only the rest. */
export async function keysInLedger(db: Db, keys: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  for (let start = 0; start < keys.length; start += 1000) {
    const rows = await db.notification.findMany({ where: { key: { in: keys.slice(start, start + 1000) } }, select: { key: true } });
    for (const row of rows) known.add(row.key);
  }
  return known;
}

/** Keys waiting for a retry that is due, or whose sender's lease ran out (it died mid-send). */
export async function retriesDue(db: Db, now: Date): Promise<string[]> {
  const rows = await db.notification.findMany({
    where: {
      OR: [
        { status: 'pending', nextAttemptAt: { lte: now } },
        { status: 'sending', leaseUntil: { lt: now } },
      ],
    },
    select: { key: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => row.key);
}

/** Claims a send for another attempt; null when someone else got it first. */
export async function claimRetry(db: Db, key: string, now: Date): Promise<Claimed | null> {
  const { count } = await db.notification.updateMany({
    where: {
      key,
      OR: [
        { status: 'pending', nextAttemptAt: { lte: now } },
        { status: 'sending', leaseUntil: { lt: now } },
      ],
    },
    data: { status: 'sending', leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
  });
  if (count !== 1) return null;
  const row = await db.notification.findUniqueOrThrow({ where: { key } });
  return { key, kind: row.kind, recipient: row.recipient, message: JSON.parse(row.message ?? '{}') as OutgoingMessage, attempts: row.attempts, claimedAt: row.createdAt };
}

export async function markSent(db: Db, key: string, ts: string, now: Date): Promise<void> {
  await db.notification.update({ where: { key }, data: { status: 'sent', slackTs: ts, sentAt: now, leaseUntil: null, nextAttemptAt: null, lastError: null } });
}

export async function markRetry(db: Db, key: string, nextAttemptAt: Date, error: string): Promise<void> {
  await db.notification.update({ where: { key }, data: { status: 'pending', nextAttemptAt, leaseUntil: null, lastError: error } });
}

export async function markFailed(db: Db, key: string, error: string): Promise<void> {
  await db.notification.update({ where: { key }, data: { status: 'failed', leaseUntil: null, nextAttemptAt: null, lastError: error } });
}

/** The Slack timestamp of a message sent under a key, if it was. */
export async function sentTs(db: Db, key: string): Promise<string | null> {
  const row = await db.notification.findUnique({ where: { key }, select: { status: true, slackTs: true } });
  return row?.status === 'sent' ? row.slackTs : null;
}
