import { LogLevel } from '@slack/bolt';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { sweep } from '../../src/jobs/sweep';
import { startSlackApp, type RunningSlackApp } from '../../src/slack/app';
import { findItem } from '../../src/store/tracked-items';
import { blockActionPayload, sendInteraction, sendSlashCommand, startFakeSlack, type FakeSlack, type RecordedCall } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

const SECRET = 'test-signing-secret-0123456789';
const ADMIN = 'U0ADMIN';
const ANN = 'U0ANN';
const STRANGER = 'U0STRANGER';
const CHANNEL = 'C0TASKFORCE';

type Button = { action_id: string; value: string };

describe('reminders and digests through the running app', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp;
  let now: Date;
  let appUrl: string;
  let sequence = 0;

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    now = new Date('2017-04-13T08:00:00Z');
    running = await startSlackApp(
      {
        databaseUrl: store.url,
        timeZone: TIME_ZONE,
        fixedNow: null,
        channel: CHANNEL,
        admins: [ADMIN],
        slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
        reminders: DEFAULT_REMINDER_SETTINGS,
        digest: DEFAULT_DIGEST_SCHEDULE,
      },
      store,
      { now: () => now },
      { logLevel: LogLevel.ERROR },
    );
    appUrl = `http://127.0.0.1:${running.port}/slack/events`;
    await command(ADMIN, '/lead', `Taskforce members <@${ANN}>`);
    await command(ADMIN, '/lead', `Arts Council England <@${ANN}>`);
    fake.reset();
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
  });

  async function command(userId: string, name: string, text: string) {
    const id = `c${++sequence}`;
    await sendSlashCommand(appUrl, SECRET, { command: name, text, user_id: userId, response_url: fake.responseUrl(id) });
    return (await fake.waitFor(() => fake.responses(id)[0])).body as { text: string; replace_original?: boolean };
  }

  /** The reminder DM'd to Ann about an item, as Slack received it. */
  function reminderTo(userId: string, ref: string): RecordedCall {
    const call = fake.apiCalls('chat.postMessage').find((c) => c.body.channel === userId && String(c.body.text).includes(`: ${ref} `));
    if (!call) throw new Error(`no reminder about ${ref} to ${userId}`);
    return call;
  }

  async function click(userId: string, reminder: RecordedCall, actionId: string) {
    const blocks = reminder.body.blocks as { type: string; elements?: Button[] }[];
    const button = blocks.find((b) => b.type === 'actions')!.elements!.find((e) => e.action_id === actionId)!;
    const id = `b${++sequence}`;
    await sendInteraction(appUrl, SECRET, blockActionPayload({ userId, actionId, value: button.value, responseUrl: fake.responseUrl(id), message: { text: reminder.body.text, blocks } }));
    return (await fake.waitFor(() => fake.responses(id)[0])).body as { text: string; replace_original?: boolean; blocks: { type: string }[] };
  }

  test('On track on a reminder records the update from the lead and updates the reminder in place', async () => {
    await sweep(running.jobs);
    const answer = await click(ANN, reminderTo(ANN, '3'), 'reminder:status:on-track');
    expect(answer.replace_original).toBe(true);
    expect(answer.text).toBe(`:white_check_mark: <@${ANN}> set 3 to On track.`);
    expect(answer.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect((await findItem(store.db, '3'))!.history.at(-1)).toMatchObject({ status: 'on-track', actor: ANN, source: 'button' });
  });

  test('Done on a reminder about one part marks that part done', async () => {
    now = new Date('2017-05-17T08:00:00Z'); // 14 days before 31 May: action 4's "commission"
    await sweep(running.jobs);
    const answer = await click(ANN, reminderTo(ANN, '4 (commission)'), 'reminder:status:done');
    expect(answer.text).toBe(`:white_check_mark: <@${ANN}> marked “commission” done.`);
    const item = (await findItem(store.db, '4'))!;
    expect(item.history.at(-1)!.deadlineId).toBe(item.milestones.find((m) => m.part === 'commission')!.id);
  });

  test('someone who may not update is told so, and the reminder stays as it was', async () => {
    await sweep(running.jobs);
    const answer = await click(STRANGER, reminderTo(ANN, '3'), 'reminder:status:done');
    expect(answer.replace_original).toBe(false);
    expect(answer.text).toMatch(/^Only the owners of Taskforce members/);
    expect((await findItem(store.db, '3'))!.history).toHaveLength(1);
  });

  test('Snooze 1 day: nothing about the item until the next day, then one reminder', async () => {
    await sweep(running.jobs);
    const answer = await click(ANN, reminderTo(ANN, '3'), 'reminder:snooze:1d');
    expect(answer.text).toBe(`:zzz: Snoozed by <@${ANN}> until 14 Apr 2017 09:00.`);
    fake.reset();
    now = new Date('2017-04-13T20:00:00Z');
    await sweep(running.jobs);
    expect(() => reminderTo(ANN, '3')).toThrow();
    now = new Date('2017-04-14T08:00:00Z');
    await sweep(running.jobs);
    expect(String(reminderTo(ANN, '3').body.text)).toContain('3 is due in 16 days');
  });

  test('Reminders off: nothing more about that item, until switched on again', async () => {
    await sweep(running.jobs);
    const answer = await click(ANN, reminderTo(ANN, '3'), 'reminder:off');
    expect(answer.text).toContain('switched reminders about 3 off');
    fake.reset();
    now = new Date('2017-04-21T08:00:00Z');
    await sweep(running.jobs);
    expect(() => reminderTo(ANN, '3')).toThrow();
    expect(reminderTo(ANN, '1')).toBeDefined(); // others still come
    expect((await command(ANN, '/action', '3 reminders on')).text).toBe('Reminders about 3 are on again.');
    now = new Date('2017-04-28T08:00:00Z');
    await sweep(running.jobs);
    expect(String(reminderTo(ANN, '3').body.text)).toContain('3 is due in 2 days');
  });

  test('/digest previews the next meeting\'s digest; /digest post (admins) posts it once', async () => {
    expect((await command(ANN, '/digest', '')).text).toMatch(/^No Taskforce meeting is planned/);
    await command(ADMIN, '/meeting', 'add 2017-05-26 14:00');
    const preview = await command(ANN, '/digest', '');
    expect(preview.text).toMatch(/^Preview: Taskforce digest for the meeting of 26 May 2017 14:00/);
    expect(fake.apiCalls('chat.postMessage').filter((c) => String(c.body.text).startsWith('Taskforce digest'))).toHaveLength(0);

    expect((await command(ANN, '/digest', 'post')).text).toMatch(/^Only Taskforce admins can post the digest/);
    expect((await command(ADMIN, '/digest', 'post')).text).toBe('Posted the digest for the meeting of 26 May 2017 14:00 in the Taskforce channel.');
    expect((await command(ADMIN, '/digest', 'post')).text).toBe('The digest for the meeting of 26 May 2017 14:00 was already posted.');
    now = new Date('2017-05-24T08:00:00Z');
    await sweep(running.jobs);
    expect(fake.apiCalls('chat.postMessage').filter((c) => String(c.body.text).startsWith('Taskforce digest'))).toHaveLength(1);
  });

  test('/report (admins) uploads the draft progress report as a Markdown file to the channel', async () => {
    now = new Date('2017-04-20T09:00:00Z');
    await command(ANN, '/action', '3 at-risk indicators still in draft');
    expect((await command(ANN, '/report', '')).text).toMatch(/^Only Taskforce admins can produce the progress report/);
    const answer = await command(ADMIN, '/report', '');
    expect(answer.text).toBe(`The draft progress report for 2016-11 to 2017-04 is in <#${CHANNEL}>.`);
    const upload = fake.apiCalls('upload')[0];
    expect(String(upload.body.raw)).toContain('# Progress report: November 2016 to April 2017 (draft)');
    expect(String(upload.body.raw)).toContain('20 Apr 2017: At risk — indicators still in draft');
    const complete = fake.apiCalls('files.completeUploadExternal')[0];
    expect(complete.body.channel_id).toBe(CHANNEL);
  });
});
