import type { Absence, Frequency, PersonView, QuietHours } from '../domain/personal';
import { join } from '@prisma/client/runtime/client';
import type { Db } from './client';

/** What Slack says of a person: their zone, and whether their status reads as away (until when). */
export interface SlackPerson {
  timeZone: string | null;
  /** Null when the status could not be read (no users.profile:read): what is stored stays. */
  away: { text: string; until: Date | null } | false | null;
}

type AbsenceRow = { id: number; slackId: string; startsAt: Date; until: Date | null; untilDate: string | null; note: string | null; source: string; endedAt: Date | null };

function absenceOf(row: AbsenceRow): Absence {
  return { id: row.id, userId: row.slackId, startsAt: row.startsAt, until: row.until, untilDate: row.untilDate, note: row.note, source: row.source === 'slack-status' ? 'slack-status' : 'command', endedAt: row.endedAt };
}

export interface StoredPerson extends PersonView {
  checkedAt: Date | null;
}

/** Everyone the sweep or a command asks about, with their absences; unknown people get the defaults. */
export async function loadPeople(db: Db, userIds: readonly string[]): Promise<Map<string, StoredPerson>> {
  const ids = [...new Set(userIds)];
  if (ids.length === 0) return new Map();
  // Hand-written: every sweep reads these, and Prisma compiles a query anew each time it runs.
  const [rows, absences] = await Promise.all([
    db.$queryRaw<Awaited<ReturnType<Db['person']['findMany']>>>`SELECT * FROM "Person" WHERE "slackId" IN (${join(ids)})`,
    db.$queryRaw<AbsenceRow[]>`SELECT * FROM "Absence" WHERE "slackId" IN (${join(ids)}) ORDER BY "id"`,
  ]);
  const byId = new Map(rows.map((row) => [row.slackId, row]));
  return new Map(
    ids.map((id) => {
      const row = byId.get(id);
      const quiet: QuietHours | null = row?.quietFrom && row.quietTo ? { from: row.quietFrom, to: row.quietTo } : null;
      return [
        id,
        {
          userId: id,
          timeZone: row?.timeZone ?? null,
          frequency: row?.frequency === 'weekly' ? 'weekly' : 'daily',
          weeklySince: row?.weeklySince ?? null,
          quiet,
          absences: absences.filter((absence) => absence.slackId === id).map(absenceOf),
          checkedAt: row?.checkedAt ?? null,
        },
      ];
    }),
  );
}

async function upsertPerson(db: Db, userId: string, data: { timeZone?: string | null; statusText?: string | null; checkedAt?: Date; frequency?: Frequency; weeklySince?: Date | null; quietFrom?: string | null; quietTo?: string | null }, now: Date): Promise<void> {
  await db.person.upsert({ where: { slackId: userId }, create: { slackId: userId, ...data, updatedAt: now }, update: { ...data, updatedAt: now } });
}

/** Daily or weekly; a weekly summary starts with the first Monday from now (asked again, it keeps its start). */
export async function saveFrequency(db: Db, userId: string, frequency: Frequency, now: Date): Promise<void> {
  const current = await db.person.findUnique({ where: { slackId: userId }, select: { frequency: true } });
  if (current?.frequency === frequency) return;
  await upsertPerson(db, userId, { frequency, weeklySince: frequency === 'weekly' ? now : null }, now);
}

export async function saveQuietHours(db: Db, userId: string, quiet: QuietHours | null, now: Date): Promise<void> {
  await upsertPerson(db, userId, { quietFrom: quiet?.from ?? null, quietTo: quiet?.to ?? null }, now);
}

/** The absence holding someone now, of one source (at most one is open at a time per source). */
async function openAbsence(db: Db, userId: string, source: Absence['source'], now: Date): Promise<AbsenceRow | null> {
  return db.absence.findFirst({
    where: { slackId: userId, source, startsAt: { lte: now }, endedAt: null, OR: [{ until: null }, { until: { gt: now } }] },
    orderBy: { id: 'desc' },
  });
}

/**
 * /away until …: a new absence, or the one under way changed (so a person who moves their return
 * gets one "while you were away" message, not one for each).
 */
export async function saveAway(db: Db, userId: string, until: Date, untilDate: string, note: string | null, now: Date): Promise<Absence> {
  const current = await openAbsence(db, userId, 'command', now);
  const row = current
    ? await db.absence.update({ where: { id: current.id }, data: { until, untilDate, note } })
    : await db.absence.create({ data: { slackId: userId, source: 'command', startsAt: now, until, untilDate, note, createdAt: now } });
  return absenceOf(row);
}

/** /away off: every absence under way ends now (a Slack status too: they said they are back). Returns how many. */
export async function endAway(db: Db, userId: string, now: Date): Promise<number> {
  const { count } = await db.absence.updateMany({
    where: { slackId: userId, startsAt: { lte: now }, endedAt: null, OR: [{ until: null }, { until: { gt: now } }] },
    data: { endedAt: now },
  });
  return count;
}

/**
 * What Slack said of someone (users.info and users.profile.get, or the user_change event): their
 * zone, and their status as an absence of its own, opened when it reads as away, moved when its
 * expiry moves, and ended when it no longer does.
 */
export async function savePersonFromSlack(db: Db, userId: string, person: SlackPerson, now: Date): Promise<void> {
  await upsertPerson(db, userId, { ...(person.timeZone ? { timeZone: person.timeZone } : {}), checkedAt: now, ...(person.away !== null ? { statusText: person.away ? person.away.text : null } : {}) }, now);
  if (person.away === null) return;
  const current = await openAbsence(db, userId, 'slack-status', now);
  // Every open one is moved or ended together: two copies of the bot may each have opened one.
  const open = { slackId: userId, source: 'slack-status', startsAt: { lte: now }, endedAt: null, OR: [{ until: null }, { until: { gt: now } }] };
  if (person.away && !current) {
    await db.absence.create({ data: { slackId: userId, source: 'slack-status', startsAt: now, until: person.away.until, note: person.away.text || null, createdAt: now } });
  } else if (person.away && current && current.until?.getTime() !== person.away.until?.getTime()) {
    await db.absence.updateMany({ where: open, data: { until: person.away.until } });
  } else if (!person.away && current) {
    await db.absence.updateMany({ where: open, data: { endedAt: now } });
  }
}
