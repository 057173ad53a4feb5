import crypto from 'node:crypto';
import type { Db } from './client';

/**
 * People's private calendar feeds. A feed's address holds a random token (32 bytes, base64url);
 * only its SHA-256 is stored, so the database (or a backup of it) cannot be used to read anyone's
 * feed, and the feed is still found by hashing the token a request brings.
 */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function hashOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

/** Makes a person's feed token, replacing (and so revoking) any they had. Returns the token. */
export async function issueFeedToken(db: Db, userId: string, now: Date): Promise<string> {
  const token = crypto.randomBytes(32).toString('base64url');
  const tokenHash = hashOf(token);
  await db.calendarFeed.upsert({ where: { userId }, create: { userId, tokenHash, createdAt: now }, update: { tokenHash, createdAt: now } });
  return token;
}

/** When the person's current feed was made, or null if they have none. */
export async function feedMadeAt(db: Db, userId: string): Promise<Date | null> {
  return (await db.calendarFeed.findUnique({ where: { userId }, select: { createdAt: true } }))?.createdAt ?? null;
}

/** Whose feed a token opens, or null (unknown, revoked, or not a token at all). */
export async function feedOwner(db: Db, token: string): Promise<string | null> {
  if (!TOKEN_PATTERN.test(token)) return null;
  return (await db.calendarFeed.findUnique({ where: { tokenHash: hashOf(token) }, select: { userId: true } }))?.userId ?? null;
}
