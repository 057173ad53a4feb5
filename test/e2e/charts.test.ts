import { loadImage } from '@napi-rs/canvas';
import { sweep } from '../../src/jobs/sweep';
import type { RunningSlackApp } from '../../src/slack/app';
import { ADMIN, CHANNEL, commandText, startTestApp } from '../helpers/slack-app';
import { appHomeOpenedEvent, sendEvent, settle, startFakeSlack, type FakeSlack, type Upload } from '../helpers/slack-stand-in';
import { freshStore } from '../helpers/store';

/** 09:00 in London two working days before the meeting of 26 May 2017: the digest's time. */
const DIGEST_TIME = new Date('2017-05-24T08:00:00Z');
const minutesLater = (minutes: number) => new Date(DIGEST_TIME.getTime() + minutes * 60_000);
const SECRET = 'test-signing-secret-0123456789';

async function expectPng(upload: Upload): Promise<void> {
  expect(upload.bytes).not.toBeNull();
  expect(upload.bytes!.length).toBe(upload.length);
  const image = await loadImage(upload.bytes!);
  expect([image.width, image.height]).toEqual([1200, 675]);
}

describe('issue 14: charts in Slack, over signed HTTP', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let meetingId: number;
  const running: (RunningSlackApp & { url: string })[] = [];
  const start = async (at: Date) => {
    const app = await startTestApp(fake, store, at);
    running.push(app);
    return app;
  };
  const stopAll = async () => {
    for (const app of running.splice(0)) await app.stop();
  };

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    meetingId = (await store.db.meeting.create({ data: { startsAt: new Date('2017-05-26T13:00:00Z'), createdBy: ADMIN, createdAt: new Date('2017-01-01T00:00:00Z') } })).id;
  });
  afterEach(async () => {
    await stopAll();
    await store.close();
  });

  test('the digest thread carries the status and by-theme charts, each uploaded once across a lost answer and two restarts', async () => {
    // Slack shares the first chart, then its answer is lost: the bot cannot know it went.
    fake.failNext('files.completeUploadExternal', { status: 500, afterPosting: true });
    const first = await start(DIGEST_TIME);
    expect(await commandText(fake, first.url, ADMIN, '/digest', 'post')).toBe('Posted the digest for the meeting of 26 May 2017 14:00 in the Taskforce channel.');
    await stopAll();
    // Restarted: the sweep retries the chart, finds it in the thread, and does not upload it again.
    await sweep((await start(minutesLater(5))).jobs);
    await stopAll();
    await sweep((await start(minutesLater(10))).jobs);

    const summary = fake.posted().find((message) => message.channel === CHANNEL && message.thread_ts === undefined)!;
    const thread = fake.posted().filter((message) => message.thread_ts === summary.ts);
    const shared = fake.uploads().filter((upload) => upload.completed);
    expect(shared.map((upload) => upload.filename)).toEqual([`digest-${meetingId}-chart-status.png`, `digest-${meetingId}-chart-themes.png`]);
    expect(fake.apiCalls('files.getUploadURLExternal')).toHaveLength(2);
    for (const upload of shared) {
      expect([upload.channel, upload.threadTs]).toEqual([CHANNEL, summary.ts]);
      await expectPng(upload);
      expect(upload.altText!.startsWith(upload.title!)).toBe(true);
    }
    expect(shared.map((upload) => upload.title)).toEqual(['Items by status, month by month, to 24 May 2017', 'Progress by theme, as of 24 May 2017']);
    expect(shared[0].altText).toContain('Now 80 items: 80 not started.');
    // The pictures open the thread, once each; the details follow.
    expect(thread.slice(0, 2).map((message) => message.files?.map((file) => file.name))).toEqual([[shared[0].filename], [shared[1].filename]]);
    expect(thread.filter((message) => message.files)).toHaveLength(2);
    expect(thread.length).toBeGreaterThan(2);
    const rows = await store.db.notification.findMany({ where: { kind: 'digest-chart' }, orderBy: { key: 'asc' } });
    expect(rows.map((row) => [row.status, row.slackTs])).toEqual(shared.map((upload) => ['sent', upload.fileId]));
  });

  test('two copies of the bot sweeping at the digest time upload each chart once', async () => {
    const [one, two] = [await start(DIGEST_TIME), await start(DIGEST_TIME)];
    await Promise.all([sweep(one.jobs), sweep(two.jobs)]);
    expect(fake.uploads().filter((upload) => upload.completed).map((upload) => upload.filename).sort()).toEqual([`digest-${meetingId}-chart-status.png`, `digest-${meetingId}-chart-themes.png`]);
  });

  test('/chart sends one chart to the person in a DM; bad input is answered and sends nothing', async () => {
    const app = await start(DIGEST_TIME);
    expect(await commandText(fake, app.url, ADMIN, '/chart', 'pie')).toBe(
      '"pie" isn\'t a chart. Choose one of `status`, `themes`, `overdue`, then if you like `as of` a date, e.g. `/chart themes as of 1 May 2018`.',
    );
    expect(await commandText(fake, app.url, ADMIN, '/chart', 'status as of 31/02')).toMatch(/^"31\/02" isn't a date: February has 29 days\. Write it as/);
    expect(await commandText(fake, app.url, ADMIN, '/chart', 'themes as of 1 May 2018')).toMatch(/^1 May 2018 is still to come/);
    expect(await commandText(fake, app.url, ADMIN, '/chart', 'overdue as of 1/11/2016')).toMatch(/^1 Nov 2016 is before the plans began \(Dec 2016\)/);
    expect(fake.uploads()).toHaveLength(0);

    expect(await commandText(fake, app.url, 'U0ANN', '/chart', 'themes as of 15/05')).toBe('📊 Progress by theme, as of 15 May 2017: sent to you in a direct message from the bot');
    const [upload] = fake.uploads();
    expect(fake.apiCalls('conversations.open').at(-1)!.body.users).toBe('U0ANN');
    expect([upload.completed, upload.channel, upload.threadTs, upload.filename]).toEqual([true, 'DU0ANN', null, 'themes-as-of-2017-05-15.png']);
    await expectPng(upload);
  });

  test('App Home shows the by-theme chart above the lists, uploaded once however often Home is opened', async () => {
    const app = await start(DIGEST_TIME);
    for (let open = 0; open < 3; open++) {
      await sendEvent(app.url, SECRET, appHomeOpenedEvent('U0ANN'));
      await fake.waitFor(() => fake.apiCalls('views.publish').length === open + 1);
    }
    await settle(fake, 300);
    expect(fake.uploads()).toHaveLength(1);
    const [upload] = fake.uploads();
    // Not shared anywhere: the bot's own file, shown by Home.
    expect([upload.completed, upload.channel, upload.filename]).toEqual([true, null, 'themes-as-of-2017-05-24.png']);
    await expectPng(upload);
    for (const call of fake.apiCalls('views.publish')) {
      const blocks = (call.body.view as { blocks: { type: string; slack_file?: { id: string }; alt_text?: string }[] }).blocks;
      const image = blocks.findIndex((block) => block.type === 'image');
      expect(blocks[image].slack_file).toEqual({ id: upload.fileId });
      expect(blocks[image].alt_text).toMatch(/^Progress by theme, as of 24 May 2017\. Making the case for libraries: 6 items, 6 not started\./);
      // Above the lists: before "Your items".
      expect(image).toBeLessThan(blocks.findIndex((block) => JSON.stringify(block).includes('Your items')));
    }
  });

  test('App Home still opens when Slack will not take its chart, and shows it once Slack does', async () => {
    const app = await start(DIGEST_TIME);
    fake.failNext('files.getUploadURLExternal', { body: { ok: false, error: 'internal_error' } });
    const images = () => fake.apiCalls('views.publish').map((call) => (call.body.view as { blocks: { type: string }[] }).blocks.filter((block) => block.type === 'image').length);
    await sendEvent(app.url, SECRET, appHomeOpenedEvent('U0ANN'));
    await fake.waitFor(() => fake.apiCalls('views.publish').length === 1);
    await sendEvent(app.url, SECRET, appHomeOpenedEvent('U0ANN'));
    await fake.waitFor(() => fake.apiCalls('views.publish').length === 2);
    expect(images()).toEqual([0, 1]);
    expect(fake.uploads().filter((upload) => upload.completed)).toHaveLength(1);
  });
});
