import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE, digestFor, digestSendAt, postDigest } from '../../src/jobs/digests';
import { digestThread } from '../../src/domain/digest';
import { slackSender } from '../../src/slack/sender';
import { sweep, type JobDeps } from '../../src/jobs/sweep';
import { digestPages } from '../../src/slack/blocks/digest';
import { findItem, recordStatus } from '../../src/store/tracked-items';
import { startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

const CHANNEL = 'C0TASKFORCE';

describe('the meeting digest', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let now: Date;
  let deps: JobDeps;
  let meetingId: number;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    const meeting = (startsAt: string) => ({ startsAt: new Date(startsAt), createdBy: 'U0ADMIN', createdAt: new Date('2017-01-01T00:00:00Z') });
    await store.db.meeting.createMany({ data: [meeting('2017-03-20T14:00:00Z'), meeting('2017-07-20T13:00:00Z')] });
    meetingId = (await store.db.meeting.create({ data: { ...meeting('2017-05-26T13:00:00Z'), note: 'May meeting' } })).id;
    // A known state of the plan: one change before the previous meeting, three since.
    await recordStatus(store.db, { ref: '2', status: 'on-track', actor: 'U0OLD', source: 'command', at: new Date('2017-03-01T10:00:00Z') });
    await recordStatus(store.db, { ref: '10', status: 'done', note: 'toolkit published', actor: 'U0LGA', source: 'command', at: new Date('2017-04-10T10:00:00Z') });
    await recordStatus(store.db, { ref: '3', status: 'at-risk', note: 'indicators still in draft', actor: 'U0ANN', source: 'button', at: new Date('2017-05-02T10:00:00Z') });
    const commission = (await findItem(store.db, '4'))!.milestones.find((m) => m.part === 'commission')!;
    await recordStatus(store.db, { ref: '4', status: 'done', deadlineId: commission.id, actor: 'U0ACE', source: 'command', at: new Date('2017-05-20T10:00:00Z') });
    deps = {
      db: store.db,
      clock: { now: () => now },
      timeZone: TIME_ZONE,
      channel: CHANNEL,
      reminders: { ...DEFAULT_REMINDER_SETTINGS, daysBefore: [] },
      digest: DEFAULT_DIGEST_SCHEDULE,
      sender: slackSender('xoxb-test', fake.apiUrl, TIME_ZONE),
      log: () => undefined,
    };
  });
  afterEach(() => store.close());

  test('goes out at 09:00 two working days before the meeting', () => {
    expect(digestSendAt(new Date('2017-05-26T13:00:00Z'), DEFAULT_DIGEST_SCHEDULE, TIME_ZONE).toISOString()).toBe('2017-05-24T08:00:00.000Z');
    // Tuesday 30 May 2017 follows the Spring bank holiday: two working days before is Thursday 25.
    expect(digestSendAt(new Date('2017-05-30T13:00:00Z'), DEFAULT_DIGEST_SCHEDULE, TIME_ZONE).toISOString()).toBe('2017-05-25T08:00:00.000Z');
  });

  test('its content for a known state of the plan', async () => {
    const digest = await digestFor(store.db, meetingId, new Date('2017-05-24T08:00:00Z'), TIME_ZONE, { quietDays: 60 });
    expect(digest.since).toBe('2017-03-20T14:00:00.000Z');
    expect(digest.sinceMeeting).toBe(true);
    expect(digest.changes.map((c) => [c.ref, c.status, c.part, c.note, c.actor])).toEqual([
      ['10', 'done', null, 'toolkit published', 'U0LGA'],
      ['3', 'at-risk', null, 'indicators still in draft', 'U0ANN'],
      ['4', 'done', 'commission', null, 'U0ACE'],
    ]);
    expect(digest.counts).toEqual({ 'not-started': 77, 'on-track': 1, 'at-risk': 1, 'off-track': 0, blocked: 0, done: 1 });
    expect(digest.rag).toEqual({ green: 2, amber: 1, red: 0, unrated: 77 });
    expect(digest.overdueCount).toBe(24); // 15 May's 24, less action 10 (done), plus 22 (the March meeting passed with no update)
    expect(digest.overdue.filter((line) => line.leads.includes('LGA')).map((line) => line.ref)).toEqual(['13', '15', '16', '18']);
    // The summary names the three most overdue items, longest first, each once.
    expect(digest.mostOverdue.map((line) => [line.ref, line.daysLate])).toEqual([
      ['11', 205],
      ['23', 205],
      ['6', 144],
    ]);
    expect(Math.max(...digest.overdue.map((line) => line.daysLate))).toBe(205);
    expect(digest.dueBeforeNext.map((line) => [line.ref, line.dueDate])).toEqual([
      ['22', '2017-05-26'],
      ['7', '2017-06-30'],
      ['22', '2017-07-20'],
    ]);
    expect(digest.dueUntil).toBe('2017-07-20T13:00:00.000Z');
    const quiet = digest.quiet.map((q) => q.ref);
    expect(quiet).toContain('1');
    expect(quiet).not.toContain('3'); // updated on 2 May
    expect(quiet).not.toContain('10'); // done
    expect(quiet).not.toContain('CG1'); // no deadlines to keep up with
    expect(digest.unlocked).toEqual([{ ref: 'LG3', title: expect.stringMatching(/^Plan their public library services/), waitsOn: [{ ref: '10', condition: 'Once the toolkit is published' }] }]);

    const [summary, ...details] = digestPages(digest, TIME_ZONE);
    expect(summary.text).toBe('Taskforce digest for the meeting of 26 May 2017 14:00: 24 overdue, 3 changes, 3 due soon');
    expect(details).toHaveLength(digestThread(digest).length);
    for (const message of [summary, ...details]) expect(message.blocks.length).toBeLessThanOrEqual(50);
    const detailText = details
      .flatMap((d) => d.blocks)
      .map((b) => ('text' in b && b.text && typeof b.text === 'object' ? b.text.text : ''))
      .join('\n');
    expect(detailText).toContain('• *3* Establish current baselines and agree progress indicators for all 7 Outcomes…: :large_orange_circle: At risk — <@U0ANN>, 2 May 2017 11:00\n   > indicators still in draft');
    expect(detailText).toContain('• *4* Identify and commission any further research work needed to measure the 7…: “commission” done — <@U0ACE>');
    expect(detailText).toMatch(/• \*LG3\* Plan their public library services[^\n]* — Once the toolkit is published \(10 is done\)/);
    expect(detailText).not.toContain('U0OLD');
  });

  test('a sweep posts it once, at its time: the summary in the channel, the details in its thread', async () => {
    const digestKeys = (sent: string[]) => sent.filter((key) => key.startsWith('digest:'));
    now = new Date('2017-05-24T07:59:00Z');
    expect(digestKeys((await sweep(deps)).sent)).toEqual([]);
    now = new Date('2017-05-24T08:00:00Z');
    const report = await sweep(deps);
    expect(digestKeys(report.sent)[0]).toBe(`digest:${meetingId}`);
    expect(digestKeys(report.sent).length).toBeGreaterThan(1);
    const posts = fake.apiCalls('chat.postMessage');
    const summary = posts.find((call) => String(call.body.text).startsWith('Taskforce digest'))!;
    expect(summary.body.channel).toBe(CHANNEL);
    const row = await store.db.notification.findUniqueOrThrow({ where: { key: `digest:${meetingId}` } });
    const thread = posts.filter((call) => call.body.thread_ts !== undefined);
    expect(thread.length).toBeGreaterThan(0);
    expect(thread.every((call) => call.body.thread_ts === row.slackTs)).toBe(true);

    now = new Date('2017-05-25T08:00:00Z');
    await sweep(deps);
    expect(fake.apiCalls('chat.postMessage').filter((call) => String(call.body.text).startsWith('Taskforce digest'))).toHaveLength(1);
    expect((await postDigest(deps, meetingId)).outcome).toBe('already-posted');
  });

  test('a meeting added after its digest time gets its digest at once; one that has started gets none', async () => {
    now = new Date('2017-06-01T10:00:00Z');
    const late = await store.db.meeting.create({ data: { startsAt: new Date('2017-06-02T09:00:00Z'), createdBy: 'U0ADMIN', createdAt: now } });
    const report = await sweep(deps);
    expect(report.sent).toContain(`digest:${late.id}`);
    expect(report.sent).not.toContain(`digest:${meetingId}`); // 26 May has passed
  });

  test('issue 11 point 3: a digest a meeting can read — one screen on top, details by lead in the thread, "gone quiet" only where a deadline presses', async () => {
    await store.db.meeting.deleteMany({});
    const only = await store.db.meeting.create({ data: { startsAt: new Date('2017-05-26T13:00:00Z'), createdBy: 'U0ADMIN', createdAt: new Date('2017-01-01T00:00:00Z') } });
    const digest = await digestFor(store.db, only.id, new Date('2017-05-15T08:00:00Z'), TIME_ZONE, { quietDays: 60 });
    const [summary, ...thread] = digestPages(digest, TIME_ZONE);
    const top = summary.blocks.map((b) => ('text' in b && b.text && typeof b.text === 'object' ? b.text.text : '')).join('\n');
    expect(top.split('\n').length).toBeLessThanOrEqual(14); // one screen
    // No meeting before or after: it says what window it used, not an unexplained date.
    expect(top).toContain('in the last 60 days (no earlier meeting is stored)');
    expect(top).toContain('due in the next two months (no later meeting is stored)');
    expect(top).toMatch(/:warning: \*\d+ overdue\*, the longest:\n• \*\S+\* \S/);
    // Gone quiet: open, no update for 60 days, and a deadline overdue or due in the window; not a 2021 outcome.
    const quiet = digest.quiet.map((q) => q.ref);
    expect(quiet).toContain('1');
    expect(quiet.some((ref) => ref.startsWith('W'))).toBe(false);
    expect(quiet).not.toContain('CG1');
    expect(quiet.length).toBeLessThan(30);
    // The thread, grouped by lead, each lead capped with a count and where to see the rest.
    const threadText = thread.flatMap((reply) => reply.blocks).map((b) => ('text' in b && b.text && typeof b.text === 'object' ? b.text.text : '')).join('\n');
    expect(threadText).toContain('*Overdue, by lead*');
    expect(threadText).toMatch(/_and \d+ more — `\/overdue Taskforce Team`_/);
    const lgaOverdue = digest.overdue.filter((line) => line.leads.includes('LGA')).length;
    expect(threadText).toContain(lgaOverdue > 5 ? `_and ${lgaOverdue - 5} more — \`/overdue LGA\`_` : '*LGA*');
  });

  test('issue 11 point 10: a busy digest is never cut and every message fits Slack (8 January 2018)', async () => {
    // Every item gets a long note full of markup since the previous meeting.
    const items = await store.db.planItem.findMany({ select: { id: true } });
    const note = `${'Progress & <next steps> :tada: *bold* '.repeat(12)}`.slice(0, 500);
    await store.db.statusUpdate.createMany({ data: items.map((item, index) => ({ itemId: item.id, status: 'at-risk', note: `Note ${index}. ${note}`.slice(0, 500), actor: 'U0ANN', source: 'command', createdAt: new Date(Date.UTC(2017, 7, 1 + (index % 28))) })) });
    const january = await store.db.meeting.create({ data: { startsAt: new Date('2018-01-10T14:00:00Z'), createdBy: 'U0ADMIN', createdAt: new Date('2017-01-01T00:00:00Z') } });
    const digest = await digestFor(store.db, january.id, new Date('2018-01-08T09:00:00Z'), TIME_ZONE, { quietDays: 60 });
    const pages = digestPages(digest, TIME_ZONE);
    const textOf = (blocks: object[]) => blocks.map((b) => ('text' in b && b.text && typeof b.text === 'object' ? (b.text as { text: string }).text : '')).join('\n');
    for (const page of pages) {
      expect(page.blocks.length).toBeLessThanOrEqual(50);
      expect(textOf(page.blocks).length).toBeLessThanOrEqual(12_000);
      for (const block of page.blocks) if ('text' in block && block.text) expect((block.text as { text: string }).text.length).toBeLessThanOrEqual(3000);
    }
    // Every change is there, with its note, once.
    expect(digest.changes).toHaveLength(items.length);
    const all = textOf(pages.flatMap((page) => page.blocks));
    for (const index of items.keys()) expect(all.split(`Note ${index}. Progress &amp; &lt;next steps&gt;`).length - 1).toBe(1);
  });
});
