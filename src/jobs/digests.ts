import { buildDigest, digestThread, windowOf, type Digest, type DigestSettings } from '../domain/digest';
import { localDate, zonedTime } from '../domain/time';
import { workingDaysBefore } from '../domain/working-days';
import type { Db } from '../store/client';
import { claimAll, type NewSend } from '../store/ledger';
import { loadItems, loadMeetings } from '../store/tracked-items';
import { chartData } from '../taskforce/charts';
import { deliver, type Delivery } from './deliver';
import type { Sender } from './sender';
import type { LineLog } from '../log';

export interface DigestSchedule extends DigestSettings {
  /** Posted at `time` this many working days before the meeting. */
  workingDaysBefore: number;
  time: string;
}

export const DEFAULT_DIGEST_SCHEDULE: DigestSchedule = { workingDaysBefore: 2, time: '09:00', quietDays: 60 };

export function digestSendAt(meetingStartsAt: Date, schedule: DigestSchedule, timeZone: string): Date {
  const day = workingDaysBefore(localDate(meetingStartsAt, timeZone), schedule.workingDaysBefore);
  return zonedTime(day, schedule.time, timeZone);
}

export interface DigestDeps {
  db: Db;
  timeZone: string;
  channel: string | null;
  digest: DigestSchedule;
  sender: Sender;
  clock: { now(): Date };
  log: LineLog;
}

/** The digest for a meeting, as of a moment. */
export async function digestFor(db: Db, meetingId: number, asOf: Date, timeZone: string, settings: DigestSettings): Promise<Digest> {
  const [items, meetings] = await Promise.all([loadItems(db), loadMeetings(db)]);
  const meeting = meetings.find((m) => m.id === meetingId);
  if (!meeting) throw new Error(`meeting ${meetingId} is not planned`);
  return buildDigest(items, meeting, meetings, asOf, { timeZone, meetings }, settings);
}

export type DigestPost = { outcome: 'posted' | 'retrying'; key: string } | { outcome: 'already-posted' | 'no-channel'; key: string };

/**
 * Posts a meeting's digest to the Taskforce channel, once: the summary and its thread are claimed
 * together under the meeting's key, so a second sweep, a second copy of the bot or `/digest post`
 * after the scheduled post finds it taken.
 */
export async function postDigest(deps: DigestDeps, meetingId: number, record: (key: string, delivery: Delivery) => void = () => undefined): Promise<DigestPost> {
  const key = `digest:${meetingId}`;
  if (!deps.channel) return { outcome: 'no-channel', key };
  const now = deps.clock.now();
  const digest = await digestFor(deps.db, meetingId, now, deps.timeZone, deps.digest);
  const channel = deps.channel;
  const recipient = `channel:${channel}`;
  // The thread opens with the pictures: status over time and progress by theme, as of the digest.
  const charts = await chartData(deps, now, ['status', 'themes']);
  const sends: NewSend[] = [
    { key, kind: 'digest', recipient, message: { channel, notice: { kind: 'digest-summary', digest } } },
    ...charts.map((chart) => ({
      key: `${key}:chart-${chart.kind}`,
      kind: 'digest-chart',
      recipient,
      message: { channel, notice: { kind: 'digest-chart' as const, meetingAt: digest.meetingAt, chart }, threadKey: key },
    })),
    ...digestThread(digest).map((part, index) => ({
      key: `${key}:part-${index + 1}`,
      kind: 'digest-part',
      recipient,
      message: { channel, notice: { kind: 'digest-thread' as const, meetingAt: digest.meetingAt, window: windowOf(digest), part }, threadKey: key },
    })),
  ];
  const claimed = await claimAll(deps.db, sends, now);
  if (!claimed) return { outcome: 'already-posted', key };
  let outcome: 'posted' | 'retrying' = 'posted';
  for (const send of claimed) {
    const delivery = await deliver(deps.db, deps.sender, send, () => deps.clock.now(), deps.log);
    record(send.key, delivery);
    if (send.key === key && delivery !== 'sent') outcome = 'retrying';
  }
  return { outcome, key };
}

/** Posts the digest of every coming meeting whose time has come (and which has not started). */
export async function sweepDigests(deps: DigestDeps, record: (key: string, delivery: Delivery) => void): Promise<void> {
  if (!deps.channel) return;
  const now = deps.clock.now();
  for (const meeting of await loadMeetings(deps.db)) {
    if (meeting.startsAt <= now || digestSendAt(meeting.startsAt, deps.digest, deps.timeZone) > now) continue;
    if (await deps.db.notification.findUnique({ where: { key: `digest:${meeting.id}` }, select: { id: true } })) continue;
    await postDigest(deps, meeting.id, record);
  }
}
