import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { slackSender } from '../../src/slack/sender';
import { startScheduler } from '../../src/jobs/scheduler';
import { sweep, type JobDeps } from '../../src/jobs/sweep';
import { openStore } from '../../src/store/client';
import { startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

const CHANNEL = 'C0TASKFORCE';
const ANN = 'U0ANN';

describe('reminder sweeps against a stand-in for Slack', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let now: Date;
  let deps: JobDeps;
  const at = (iso: string) => (now = new Date(iso));

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    // Ann answers for "Taskforce members", who lead action 3 (due April 2017).
    const lead = await store.db.lead.findUniqueOrThrow({ where: { name: 'Taskforce members' } });
    await store.db.leadOwner.create({ data: { leadId: lead.id, kind: 'user', slackId: ANN, createdAt: new Date() } });
    deps = {
      db: store.db,
      clock: { now: () => now },
      timeZone: TIME_ZONE,
      channel: CHANNEL,
      reminders: DEFAULT_REMINDER_SETTINGS,
      digest: DEFAULT_DIGEST_SCHEDULE,
      sender: slackSender('xoxb-test', fake.apiUrl, TIME_ZONE),
      log: () => undefined,
    };
  });
  afterEach(() => store.close());

  const keysFor = (report: { sent: string[] }, itemId: number) => report.sent.filter((key) => key.startsWith(`reminder:${itemId}:`));
  /** The messages among a report's keys (the rest are the reminders they carry). */
  const messages = (keys: string[]) => keys.filter((key) => !key.startsWith('reminder:'));
  const blockText = (call: { body: Record<string, unknown> }) => JSON.stringify(call.body.blocks ?? []);

  test('each step on its day: 14, 7, then 1 and 0 days before (moved off the weekend), weekly nudges, and an escalation', async () => {
    const action3 = await store.db.planItem.findUniqueOrThrow({ where: { ref: '3' } });
    const steps: [string, string[]][] = [];
    for (const iso of ['2017-04-12T08:00:00Z', '2017-04-13T08:00:00Z', '2017-04-21T08:00:00Z', '2017-04-28T08:00:00Z', '2017-05-05T08:00:00Z', '2017-05-12T08:00:00Z', '2017-05-19T08:00:00Z']) {
      at(iso);
      steps.push([iso.slice(0, 10), keysFor(await sweep(deps), action3.id).map((key) => key.split(':').slice(4).join(':'))]);
    }
    expect(steps).toEqual([
      ['2017-04-12', []],
      ['2017-04-13', ['before-14:user:U0ANN']], // Sunday 16 April, over Good Friday
      ['2017-04-21', ['before-7:user:U0ANN']],
      ['2017-04-28', ['before-0:user:U0ANN']], // Saturday 29 and Sunday 30 both land on Friday 28: one reminder
      ['2017-05-05', ['nudge-1:user:U0ANN']],
      ['2017-05-12', ['nudge-2:user:U0ANN']],
      ['2017-05-19', ['escalation:taskforce', 'nudge-3:user:U0ANN']],
    ]);
    // One DM a sweep to Ann, with action 3 among its lines, in words: its title, when, its status.
    const dms = fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === ANN && blockText(call).includes('*3* Establish current baselines'));
    expect(dms.map((call) => /\*3\* Establish[^"]*?\\n([^"·]*) ·/.exec(blockText(call))![1])).toEqual([
      'due in 17 days (30 Apr 2017)',
      'due in 9 days (30 Apr 2017)',
      'due in 2 days (30 Apr 2017)',
      '5 days overdue (due 30 Apr 2017)',
      '12 days overdue (due 30 Apr 2017)',
      '19 days overdue (due 30 Apr 2017)',
    ]);
    const perSweep = steps.filter(([, keys]) => keys.some((key) => key.endsWith(ANN))).length;
    expect(fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === ANN)).toHaveLength(perSweep);
    const escalation = fake.apiCalls('chat.postMessage').find((call) => call.body.channel === CHANNEL && String(call.body.text).startsWith('Escalation:') && blockText(call).includes('*3* Establish'));
    expect(escalation).toBeDefined();
    // Each message carries its ledger key in Slack's message metadata; each reminder in it is a
    // ledger row of its own, pointing at the message.
    const messageKey = (dms[0].body.metadata as { event_payload: { key: string } }).event_payload.key;
    expect(messageKey).toMatch(/^reminders:user:U0ANN:/);
    const reminderKey = `reminder:${action3.id}:${(await store.db.deadline.findFirstOrThrow({ where: { itemId: action3.id } })).id}:2017-04:before-14:user:U0ANN`;
    expect(await store.db.notification.findUniqueOrThrow({ where: { key: reminderKey } })).toMatchObject({ batchKey: messageKey, status: 'sent' });
  });

  test('a restart (or any second sweep) sends nothing twice', async () => {
    at('2017-04-13T08:00:00Z');
    const first = await sweep(deps);
    expect(first.sent.length).toBeGreaterThan(5);
    expect(fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === ANN)).toHaveLength(1); // one DM for all of Ann's
    const posts = fake.apiCalls('chat.postMessage').length;
    const restarted = await openStore(store.url);
    const again = await sweep({ ...deps, db: restarted.db });
    await restarted.close();
    expect(again.sent).toEqual([]);
    expect(fake.apiCalls('chat.postMessage')).toHaveLength(posts);
  });

  test('a lead with no Slack owner: the reminder goes to the Taskforce channel, saying how to map it', async () => {
    at('2017-03-17T09:00:00Z'); // 09:00 GMT, 14 days before 31 March: action 19, CILIP / SCL, nobody mapped
    await sweep(deps);
    const inChannel = fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === CHANNEL);
    expect(inChannel).toHaveLength(1); // every unmapped lead's reminders in one message
    const text = blockText(inChannel[0]);
    expect(text).toContain('of leads with no Slack owner');
    expect(text).toContain('`/lead <lead> @someone`');
    // Its two leads, CILIP and SCL, have no owner: one line names both.
    expect(text).toMatch(/\*19\* Work through the Chartered Institute[^"]*due in 14 days \(31 Mar 2017\)[^"]*· CILIP, SCL/);
  });

  test('catch-up: after a week down, one reminder per occurrence (the latest step), not a burst', async () => {
    at('2017-04-21T10:00:00Z'); // down since before 13 April: the 14-day and 7-day reminders both fell due
    const report = await sweep(deps);
    const action3 = await store.db.planItem.findUniqueOrThrow({ where: { ref: '3' } });
    expect(keysFor(report, action3.id).map((key) => key.split(':').slice(4, 5)[0])).toEqual(['before-7']);
    const perOccurrence = new Map<string, number>();
    for (const key of report.sent) {
      const occurrence = key.split(':').slice(0, 4).join(':') + key.split(':').slice(6).join(':');
      perOccurrence.set(occurrence, (perOccurrence.get(occurrence) ?? 0) + 1);
    }
    expect(Math.max(...perOccurrence.values())).toBe(1);
  });

  test.each([
    ['429 with Retry-After', { status: 429, headers: { 'Retry-After': '30' }, body: { ok: false, error: 'ratelimited' } }, 30_000],
    ['500', { status: 500, body: 'oops' }, 60_000],
    ['a dropped connection', { status: 0, dropConnection: true }, 60_000],
  ])('Slack answering %s, then 200: exactly one message, sent on a later sweep', async (_label, fault, wait) => {
    // One reminder only: everything else is done.
    at('2017-04-13T08:00:00Z');
    await store.db.statusUpdate.createMany({
      data: (await store.db.planItem.findMany({ where: { ref: { not: '3' } } })).map((item) => ({ itemId: item.id, status: 'done', actor: 'U0ADMIN', source: 'command', createdAt: new Date('2017-01-01T00:00:00Z') })),
    });
    fake.failNext('chat.postMessage', fault as never);
    const first = await sweep(deps);
    expect(first.sent).toEqual([]);
    expect(messages(first.retrying)).toHaveLength(1);
    const [key] = messages(first.retrying);

    expect((await sweep(deps)).sent).toEqual([]); // not yet: the retry waits
    at(new Date(now.getTime() + wait + 30_000).toISOString());
    const second = await sweep(deps);
    expect(messages(second.sent)).toEqual([key]);
    expect(second.sent).toEqual(first.retrying); // the message and the reminder it carries
    expect(fake.apiCalls('chat.postMessage').filter((call) => !call.faulted)).toHaveLength(1);
    const row = await store.db.notification.findUniqueOrThrow({ where: { key } });
    expect(row).toMatchObject({ status: 'sent', attempts: 2 });
    expect(row.slackTs).toMatch(/^1700000000\./);
  });

  test('Slack took the message but the answer was lost: the retry finds it in the conversation and sends nothing', async () => {
    at('2017-04-13T08:00:00Z');
    await store.db.statusUpdate.createMany({
      data: (await store.db.planItem.findMany({ where: { ref: { not: '3' } } })).map((item) => ({ itemId: item.id, status: 'done', actor: 'U0ADMIN', source: 'command', createdAt: new Date('2017-01-01T00:00:00Z') })),
    });
    fake.failNext('chat.postMessage', { dropConnection: true, afterPosting: true });
    const first = await sweep(deps);
    expect(messages(first.retrying)).toHaveLength(1);
    at(new Date(now.getTime() + 90_000).toISOString());
    const second = await sweep(deps);
    expect(second.sent).toEqual(first.retrying);
    expect(fake.apiCalls('chat.postMessage')).toHaveLength(1); // not posted again
    const [message] = fake.posted();
    expect(fake.posted()).toHaveLength(1);
    expect(await store.db.notification.findUniqueOrThrow({ where: { key: first.retrying[0] } })).toMatchObject({ status: 'sent', attempts: 2, slackTs: message.ts });
  });

  test('Slack answering slowly: the sweep waits for it, a sweep meanwhile sends nothing, and one message goes out', async () => {
    at('2017-04-13T08:00:00Z');
    await store.db.statusUpdate.createMany({
      data: (await store.db.planItem.findMany({ where: { ref: { not: '3' } } })).map((item) => ({ itemId: item.id, status: 'done', actor: 'U0ADMIN', source: 'command', createdAt: new Date('2017-01-01T00:00:00Z') })),
    });
    fake.failNext('chat.postMessage', { delayMs: 800 });
    const [slow, meanwhile] = await Promise.all([
      sweep(deps),
      fake.waitFor(() => fake.apiCalls('chat.postMessage')[0]).then(() => sweep(deps)), // while Slack sits on the first
    ]);
    expect(messages(slow.sent)).toHaveLength(1);
    expect(meanwhile).toEqual({ sent: [], retrying: [], failed: [] });
    expect(fake.apiCalls('chat.postMessage')).toHaveLength(1);
    expect(await store.db.notification.findUniqueOrThrow({ where: { key: slow.sent[0] } })).toMatchObject({ status: 'sent', attempts: 1 });
  });

  test('a permanent error (channel_not_found) ends as failed, and is not retried', async () => {
    at('2017-04-13T08:00:00Z');
    await store.db.statusUpdate.createMany({
      data: (await store.db.planItem.findMany({ where: { ref: { not: '3' } } })).map((item) => ({ itemId: item.id, status: 'done', actor: 'U0ADMIN', source: 'command', createdAt: new Date('2017-01-01T00:00:00Z') })),
    });
    fake.failNext('chat.postMessage', { status: 200, body: { ok: false, error: 'channel_not_found' } });
    const report = await sweep(deps);
    expect(messages(report.failed)).toHaveLength(1);
    at('2017-04-14T08:00:00Z');
    expect((await sweep(deps)).sent).toEqual([]);
    expect(fake.apiCalls('chat.postMessage')).toHaveLength(1);
  });

  test('the scheduler sweeps at start (catch-up) and then on its heartbeat, and stops cleanly', async () => {
    at('2017-04-13T08:00:00Z');
    const scheduler = startScheduler(deps, { expression: '* * * * * *' }); // every second, for the test
    await scheduler.idle();
    const afterStart = fake.apiCalls('chat.postMessage').length;
    expect(afterStart).toBeGreaterThan(0);
    at('2017-04-21T08:00:00Z');
    await fake.waitFor(() => fake.apiCalls('chat.postMessage').length > afterStart, 5000);
    await scheduler.stop();
    const stopped = fake.apiCalls('chat.postMessage').length;
    at('2017-04-28T08:00:00Z');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(fake.apiCalls('chat.postMessage')).toHaveLength(stopped);
  });

  test('two copies of the bot sweeping the same database at the same moment send each reminder once', async () => {
    at('2017-04-13T08:00:00Z');
    const other = await openStore(store.url);
    const [a, b] = await Promise.all([sweep(deps), sweep({ ...deps, db: other.db })]);
    await other.close();
    const all = [...a.sent, ...b.sent];
    expect(all.length).toBeGreaterThan(5);
    expect(new Set(all).size).toBe(all.length);
    const posted = fake.apiCalls('chat.postMessage').map((call) => (call.body.metadata as { event_payload: { key: string } }).event_payload.key);
    expect(posted.sort()).toEqual(messages(all).sort());
    // Every reminder is in exactly one message that went out.
    const rows = await store.db.notification.findMany({ where: { key: { startsWith: 'reminder:' } } });
    expect(rows.length).toBe(all.length - messages(all).length);
    expect(rows.every((row) => row.status === 'sent' && posted.includes(row.batchKey!))).toBe(true);
  });
});
