import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import type { Sender } from '../../src/jobs/sender';
import { sweep, type JobDeps } from '../../src/jobs/sweep';
import { slackSender } from '../../src/slack/sender';
import { openStore, type Db } from '../../src/store/client';
import { claimAll, keysInLedger, LEASE_MS, mayStart, SEND_START_MARGIN_MS } from '../../src/store/ledger';
import { loadTrackingRecords, recordStatus } from '../../src/store/tracked-items';
import { startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

const CHANNEL = 'C0TASKFORCE';
/** Late in the first plan: most of its deadlines have passed, so a sweep sends to every lead. */
const CATCH_UP = new Date('2017-06-15T08:00:00Z');

type TestStore = Awaited<ReturnType<typeof freshStore>>;

/**
 * Each lead answered for by a person of their own, and thirty items given a further lead each,
 * with a person of its own: a sweep sends one DM per person, more than a batch of twenty.
 */
async function storeWithManyRecipients(): Promise<TestStore> {
  const store = await freshStore();
  const items = await store.db.planItem.findMany({ where: { deadlines: { some: { retiredAt: null } } }, orderBy: { id: 'asc' }, take: 30 });
  for (const [n, item] of items.entries()) {
    const lead = await store.db.lead.create({ data: { name: `Extra lead ${n}`, kind: 'group' } });
    await store.db.itemLead.create({ data: { itemId: item.id, leadId: lead.id, position: 99 } });
  }
  const leads = await store.db.lead.findMany({ orderBy: { id: 'asc' } });
  await store.db.leadOwner.createMany({ data: leads.map((lead, n) => ({ leadId: lead.id, kind: 'user', slackId: `U0LEAD${n}`, createdAt: CATCH_UP })) });
  return store;
}

const messagesIn = (keys: readonly string[]) => keys.filter((key) => !key.startsWith('reminder:'));
const remindersIn = (keys: readonly string[]) => keys.filter((key) => key.startsWith('reminder:'));

describe('sweeps claim messages in batches', () => {
  let fake: FakeSlack;
  let store: TestStore;
  /** What a first sweep sends, from a database of its own with the same plans: the expected result. */
  let expected: { messages: string[]; reminders: string[] };
  const depsFor = (db: Db, now: () => Date, sender: Sender = slackSender('xoxb-test', fake.apiUrl, TIME_ZONE)): JobDeps => ({
    db,
    clock: { now },
    timeZone: TIME_ZONE,
    channel: CHANNEL,
    reminders: DEFAULT_REMINDER_SETTINGS,
    digest: DEFAULT_DIGEST_SCHEDULE,
    sender,
    log: () => undefined,
  });
  const postedKeys = () => fake.posted().map((message) => (message.metadata as { event_payload: { key: string } } | undefined)?.event_payload.key);

  beforeAll(async () => {
    fake = await startFakeSlack();
    const reference = await storeWithManyRecipients();
    const report = await sweep(depsFor(reference.db, () => CATCH_UP));
    await reference.close();
    expected = { messages: messagesIn(report.sent), reminders: remindersIn(report.sent) };
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    store = await storeWithManyRecipients();
  });
  afterEach(() => store.close());

  test('the reference sweep spans more than one batch of twenty messages', () => {
    expect(expected.messages.length).toBeGreaterThan(20);
    expect(new Set(expected.reminders).size).toBe(expected.reminders.length);
  });

  test('a batch in which another copy has just claimed one reminder: the rest goes, that reminder is not sent again, nothing twice', async () => {
    const taken = expected.reminders[Math.floor(expected.reminders.length / 2)];
    const other = await openStore(store.url);
    expect(await claimAll(other.db, [{ key: 'reminders:other-copy', kind: 'reminders', recipient: 'user:U0OTHER', message: { channel: 'U0OTHER', notice: { kind: 'reminders', audience: { kind: 'user', id: 'U0OTHER' }, asOf: CATCH_UP.toISOString(), lines: [] } }, lines: [{ key: taken, kind: 'before-0' }] }], CATCH_UP)).not.toBeNull();
    await other.close();

    const report = await sweep(depsFor(store.db, () => CATCH_UP));
    expect(remindersIn(report.sent).sort()).toEqual(expected.reminders.filter((key) => key !== taken).sort());
    expect(report.retrying).toEqual([]);
    const posted = postedKeys();
    expect(new Set(posted).size).toBe(posted.length);
    expect(posted.sort()).toEqual(messagesIn(report.sent).sort());
    // The message that lost a line was made again under a new key; every other is as expected.
    expect(messagesIn(report.sent).filter((key) => !expected.messages.includes(key))).toHaveLength(1);
    expect(await store.db.notification.findUniqueOrThrow({ where: { key: taken } })).toMatchObject({ batchKey: 'reminders:other-copy', status: 'sending' });
  });

  test('a bot that dies after claiming a batch and before sending it: nothing goes during the lease, then each message once', async () => {
    let now = CATCH_UP;
    const dying: Sender = {
      send: async () => {
        throw new Error('killed');
      },
      findSent: async () => null,
    };
    await expect(sweep(depsFor(store.db, () => now, dying))).rejects.toThrow('killed');
    const claimed = await store.db.notification.findMany({ where: { batchKey: null, status: 'sending' } });
    expect(claimed).toHaveLength(20); // the first batch, claimed as one
    expect(fake.posted()).toHaveLength(0);

    // Another copy (or the restarted bot) while the lease runs: the first batch is not its to send.
    now = new Date(CATCH_UP.getTime() + 60_000);
    const during = await sweep(depsFor(store.db, () => now));
    expect(messagesIn(during.sent).filter((key) => claimed.some((row) => row.key === key))).toEqual([]);

    now = new Date(CATCH_UP.getTime() + LEASE_MS + 1_000);
    const after = await sweep(depsFor(store.db, () => now));
    expect(messagesIn(after.sent).sort()).toEqual(claimed.map((row) => row.key).sort());
    const all = [...during.sent, ...after.sent];
    expect(remindersIn(all).sort()).toEqual([...expected.reminders].sort());
    const posted = postedKeys();
    expect(new Set(posted).size).toBe(posted.length);
    expect(posted.sort()).toEqual(messagesIn(all).sort());
    for (const row of claimed) expect(await store.db.notification.findUniqueOrThrow({ where: { key: row.key } })).toMatchObject({ status: 'sent', attempts: 2 });
  });

  test('a claimed message starts only with room left in its lease for one call to Slack', () => {
    const claimedAt = new Date('2017-06-15T08:00:00Z');
    const claimed = { key: 'k', kind: 'reminders', recipient: 'user:U1', message: { channel: 'U1', notice: { kind: 'reminders' as const, audience: { kind: 'user' as const, id: 'U1' }, asOf: claimedAt.toISOString(), lines: [] } }, attempts: 1, claimedAt, leaseUntil: new Date(claimedAt.getTime() + LEASE_MS) };
    expect(mayStart(claimed, claimedAt)).toBe(true);
    expect(mayStart(claimed, new Date(claimedAt.getTime() + LEASE_MS - SEND_START_MARGIN_MS))).toBe(true);
    expect(mayStart(claimed, new Date(claimedAt.getTime() + LEASE_MS - SEND_START_MARGIN_MS + 1))).toBe(false);
  });

  test('keys the process remembers as in the ledger hide nothing another copy adds later', async () => {
    expect(await keysInLedger(store.db, ['a', 'b'])).toEqual(new Set());
    const other = await openStore(store.url);
    await claimAll(other.db, [{ key: 'a', kind: 'reminders', recipient: 'user:U1', message: { channel: 'U1', notice: { kind: 'reminders', audience: { kind: 'user', id: 'U1' }, asOf: CATCH_UP.toISOString(), lines: [] } }, lines: [{ key: 'b', kind: 'before-0' }] }], CATCH_UP);
    await other.close();
    expect(await keysInLedger(store.db, ['a', 'b', 'c'])).toEqual(new Set(['a', 'b']));
    expect(await keysInLedger(store.db, ['a', 'b', 'c'])).toEqual(new Set(['a', 'b']));
  });

  test('a batch with a key already in the ledger is refused whole: none of it is written', async () => {
    const notice = { kind: 'reminders' as const, audience: { kind: 'user' as const, id: 'U1' }, asOf: CATCH_UP.toISOString(), lines: [] };
    expect(await claimAll(store.db, [{ key: 'm1', kind: 'reminders', recipient: 'user:U1', message: { channel: 'U1', notice }, lines: [{ key: 'r1', kind: 'before-0' }] }], CATCH_UP)).not.toBeNull();
    const lines = Array.from({ length: 2_500 }, (_, n) => ({ key: `r${n + 2}`, kind: 'before-0' }));
    const refused = await claimAll(store.db, [{ key: 'm2', kind: 'reminders', recipient: 'user:U1', message: { channel: 'U1', notice }, lines }, { key: 'm3', kind: 'reminders', recipient: 'user:U1', message: { channel: 'U1', notice }, lines: [{ key: 'r1', kind: 'before-0' }] }], CATCH_UP);
    expect(refused).toBeNull();
    expect(await store.db.notification.count()).toBe(2);
  });

  test('the sweep reads the same items through its JSON queries as through Prisma', async () => {
    const item = await store.db.planItem.findFirstOrThrow({ where: { ref: '12' }, include: { deadlines: true } });
    await recordStatus(store.db, { itemId: item.id, status: 'on-track', actor: 'U1', source: 'console', deadlineId: item.deadlines[0]?.id ?? null, at: new Date('2017-01-02T03:04:05.678Z') });
    await store.db.planItem.update({ where: { id: item.id }, data: { remindersOffBy: 'U1' } });
    const viaJson = await loadTrackingRecords(store.db);
    // A client openStore did not make is read through Prisma's own queries.
    const viaPrisma = await loadTrackingRecords(store.db.$extends({}) as unknown as Db);
    expect(viaJson.find((record) => record.id === item.id)?.history.at(-1)?.at).toEqual(new Date('2017-01-02T03:04:05.678Z'));
    expect(viaJson).toEqual(viaPrisma);
  });
});
