import { isUniqueViolation, type Db } from './client';

/**
 * One-off posts a person asked for (a report upload) go in the send ledger under the request's
 * key, so that Slack delivering the same request twice posts once. Their status, "uploading" then
 * "sent", is one the sweep never retries: a failed upload is released for the person to ask again.
 */
export async function claimRequest(db: Db, key: string, kind: string, recipient: string, now: Date): Promise<boolean> {
  try {
    await db.notification.create({ data: { key, kind, recipient, status: 'uploading', attempts: 1, createdAt: now } });
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) return false;
    throw error;
  }
}

/** `ref`: what Slack gave back for it (a file's id), kept as the row's Slack ts. */
export async function requestDone(db: Db, key: string, now: Date, ref?: string): Promise<void> {
  await db.notification.update({ where: { key }, data: { status: 'sent', sentAt: now, slackTs: ref ?? null } });
}

export async function releaseRequest(db: Db, key: string): Promise<void> {
  await db.notification.delete({ where: { key } });
}
