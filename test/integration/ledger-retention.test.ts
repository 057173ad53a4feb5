import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE, postDigest } from '../../src/jobs/digests';
import { dailyPrune } from '../../src/jobs/retention';
import { startScheduler } from '../../src/jobs/scheduler';
import type { Sendable, Sender } from '../../src/jobs/sender';
import { sweep, type JobDeps } from '../../src/jobs/sweep';
import { pruneLedger } from '../../src/store/ledger';
import { freshStore, TIME_ZONE } from '../helpers/store';

const CHANNEL = 'C0TASKFORCE';
const ANN = 'U0ANN';
const DAY = 86_400_000;

describe('the ledger kept for TASKFORCE_LEDGER_DAYS, then pruned', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let now: Date;
  let deps: JobDeps;
  let received: string[];

  beforeEach(async () => {
    store = await freshStore();
    const lead = await store.db.lead.findUniqueOrThrow({ where: { name: 'Taskforce members' } });
    await store.db.leadOwner.create({ data: { leadId: lead.id, kind: 'user', slackId: ANN, createdAt: new Date() } });
    received = [];
    const sender: Sender = {
      send: async (message: Sendable) => {
        received.push(message.key);
        return { ok: true, ts: `${received.length}.000100` };
      },
      findSent: async () => null,
    };
    // The longest catch-up window there is: a pruned key must still never be planned again.
    deps = { db: store.db, clock: { now: () => now }, timeZone: TIME_ZONE, channel: CHANNEL, reminders: { ...DEFAULT_REMINDER_SETTINGS, catchUpDays: 60 }, digest: DEFAULT_DIGEST_SCHEDULE, sender, log: () => undefined };
  });
  afterEach(() => store.close());

  test('finished rows older than the rule go with their lines; younger, pending and in-flight rows and a coming meeting’s digest stay; a sweep after sends nothing again', async () => {
    const past = await store.db.meeting.create({ data: { startsAt: new Date('2017-04-20T13:00:00Z'), createdBy: ANN, createdAt: new Date('2017-01-01T00:00:00Z') } });
    const coming = await store.db.meeting.create({ data: { startsAt: new Date('2017-09-14T13:00:00Z'), createdBy: ANN, createdAt: new Date('2017-01-01T00:00:00Z') } });
    const sent = new Set<string>();
    for (const iso of ['2017-04-13T08:00:00Z', '2017-04-18T08:00:00Z', '2017-04-21T08:00:00Z', '2017-04-28T08:00:00Z', '2017-05-05T08:00:00Z', '2017-05-12T08:00:00Z', '2017-05-19T08:00:00Z']) {
      now = new Date(iso);
      for (const key of (await sweep(deps)).sent) sent.add(key);
    }
    now = new Date('2017-04-14T08:00:00Z');
    expect((await postDigest(deps, coming.id)).outcome).toBe('posted'); // `/digest post`, months early
    expect(sent.has(`digest:${past.id}`)).toBe(true);
    // Old, but not finished: one waiting for a retry, one in flight (neither due in this test).
    const old = new Date('2017-04-01T00:00:00Z');
    const later = new Date('2030-01-01T00:00:00Z');
    await store.db.notification.createMany({
      data: [
        { key: 'test:pending', kind: 'reminders', recipient: `user:${ANN}`, status: 'pending', attempts: 2, nextAttemptAt: later, message: '{}', createdAt: old },
        { key: 'test:sending', kind: 'reminders', recipient: `user:${ANN}`, status: 'sending', attempts: 1, leaseUntil: later, message: '{}', createdAt: old },
      ],
    });
    const before = await store.db.notification.findMany({ select: { key: true, createdAt: true, status: true, batchKey: true } });

    // Ninety days after 4 May: everything claimed before then is past the rule.
    now = new Date('2017-08-02T08:00:00Z');
    const cutOff = new Date(now.getTime() - 90 * DAY);
    const pruned = await pruneLedger(store.db, cutOff, now);
    const after = await store.db.notification.findMany({ select: { key: true } });
    const kept = new Set(after.map((row) => row.key));
    const messageOf = new Map(before.map((row) => [row.key, row.batchKey ?? row.key]));
    const claimedAt = new Map(before.map((row) => [row.key, row.createdAt]));
    const shouldGo = before.filter((row) => {
      const message = messageOf.get(row.key)!;
      return claimedAt.get(message)! < cutOff && ['sent', 'failed'].includes(row.status) && !message.startsWith(`digest:${coming.id}`);
    });
    expect(shouldGo.length).toBeGreaterThan(5);
    expect(pruned).toBe(shouldGo.length);
    expect(shouldGo.filter((row) => kept.has(row.key))).toEqual([]);
    expect(before.filter((row) => !shouldGo.includes(row)).map((row) => row.key).sort()).toEqual([...kept].sort());
    expect(kept).toContain('test:pending');
    expect(kept).toContain('test:sending');
    expect(kept).toContain(`digest:${coming.id}`);
    expect([...kept].some((key) => key.startsWith(`digest:${coming.id}:part-`))).toBe(true);
    expect(kept.has(`digest:${past.id}`)).toBe(false);
    expect([...kept].some((key) => key.startsWith('reminder:') && claimedAt.get(messageOf.get(key)!)! >= cutOff)).toBe(true);

    // Sweeps after the prune, up to the coming meeting's digest time: nothing sent before goes again.
    received = [];
    for (let at = now.getTime(); at <= new Date('2017-09-13T08:00:00Z').getTime(); at += DAY) {
      now = new Date(at);
      const report = await sweep(deps);
      expect(report.sent.filter((key) => sent.has(key))).toEqual([]);
    }
    expect(received.filter((key) => sent.has(key) || key.startsWith(`digest:${coming.id}`))).toEqual([]);
  });

  test('thousands of rows go in batches; the daily prune runs once a plan-local day', async () => {
    const old = new Date('2017-01-02T09:00:00Z');
    const rows = Array.from({ length: 700 }, (_, n) => [
      { key: `test:message-${n}`, kind: 'reminders', recipient: `user:${ANN}`, status: n % 7 === 0 ? 'failed' : 'sent', attempts: 1, message: '{}', slackTs: `${n}.1`, createdAt: old },
      { key: `test:line-${n}`, kind: 'before-7', recipient: `user:${ANN}`, status: 'sent', attempts: 1, batchKey: `test:message-${n}`, createdAt: old },
    ]).flat();
    await store.db.notification.createMany({ data: rows });
    const prune = dailyPrune(store.db, 90, TIME_ZONE, () => undefined);
    expect(await prune(new Date('2017-06-01T08:00:00Z'))).toBe(1400);
    expect(await store.db.notification.count()).toBe(0);
    await store.db.notification.create({ data: { key: 'test:later', kind: 'reminders', recipient: `user:${ANN}`, status: 'sent', attempts: 1, message: '{}', createdAt: old } });
    expect(await prune(new Date('2017-06-01T22:00:00Z'))).toBe(0); // the same day in London
    expect(await store.db.notification.count()).toBe(1);
    expect(await prune(new Date('2017-06-01T23:30:00Z'))).toBe(1); // 2 June in London
  });

  test('the scheduler prunes after its sweep at start, and logs how many rows went', async () => {
    now = new Date('2017-06-01T08:00:00Z');
    const old = new Date('2017-01-02T09:00:00Z');
    await store.db.notification.create({ data: { key: 'test:old', kind: 'reminders', recipient: `user:${ANN}`, status: 'sent', attempts: 1, message: '{}', createdAt: old } });
    const lines: string[] = [];
    const scheduler = startScheduler({ ...deps, log: (line) => lines.push(line) }, { expression: '0 0 1 1 *', ledgerDays: 90 });
    await scheduler.idle();
    await scheduler.stop();
    expect(await store.db.notification.findUnique({ where: { key: 'test:old' } })).toBeNull();
    expect(lines).toContain('ledger rows pruned: 1 (finished sends older than 90 days, TASKFORCE_LEDGER_DAYS)');
  });
});
