import { LogLevel } from '@slack/bolt';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { sweep } from '../../src/jobs/sweep';
import { startSlackApp, type RunningSlackApp } from '../../src/slack/app';
import { sendEvent, sendSlashCommand, startFakeSlack, type FakeSlack, type RecordedCall } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

const SECRET = 'test-signing-secret-0123456789';
const ADMIN = 'U0ADMIN';
const ANN = 'U0ANN';
const BOB = 'U0BOB';
const CHANNEL = 'C0TASKFORCE';

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { type: string; text?: unknown; value?: string }[] };

/**
 * Issue 13, items 1–3, over signed HTTP against the Slack stand-in: each person's time zone (from
 * users.info), their absences (/away, and a Slack status from users.profile.get), how often they
 * want reminding and their quiet hours. The clock is moved by hand and a sweep run at each step.
 */
describe('each person\'s own time, through the running app', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp;
  let now: Date;
  let appUrl: string;
  let sequence = 0;

  async function start() {
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
  }

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    fake.setPerson(ANN, {});
    fake.setPerson(BOB, {});
    store = await freshStore();
    now = new Date('2017-04-12T09:00:00Z');
    await start();
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
  });

  async function command(userId: string, name: string, text: string): Promise<string> {
    const id = `c${++sequence}`;
    await sendSlashCommand(appUrl, SECRET, { command: name, text, user_id: userId, response_url: fake.responseUrl(id) });
    return String((await fake.waitFor(() => fake.responses(id)[0])).body.text);
  }

  /** Reminder messages (tracked sends) to a user or channel, as Slack received them. */
  const messagesTo = (channel: string): RecordedCall[] => fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === channel && call.body.metadata !== undefined);
  const texts = (call: RecordedCall) => (call.body.blocks as Block[]).flatMap((block) => [block.text?.text ?? '', ...(block.elements ?? []).map((element) => (typeof element.text === 'string' ? element.text : ''))]);
  const names = (call: RecordedCall, ref: string) => texts(call).some((text) => text.startsWith(`*${ref}* `));
  const keyOf = (call: RecordedCall) => (call.body.metadata as { event_payload: { key: string } }).event_payload.key;

  /** Bolt acknowledges an event before its listener is done: wait (a little) for what it writes. */
  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    for (let tries = 0; tries < 50; tries++) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return false;
  }

  async function sweepAt(iso: string) {
    now = new Date(iso);
    return sweep(running.jobs);
  }

  test('a lead in America/New_York gets the 09:00 reminder at 14:00 London time; the channel still hears at 09:00 London', async () => {
    fake.setPerson(ANN, { tz: 'America/New_York' });
    await command(ADMIN, '/lead', `Taskforce members <@${ANN}>`);
    // 13 April 2017: 14 days before action 3's 30 April, moved off the weekend and Good Friday.
    await sweepAt('2017-04-13T08:00:00Z'); // 09:00 in London, 04:00 in New York
    expect(messagesTo(ANN)).toEqual([]);
    expect(messagesTo(CHANNEL).length).toBeGreaterThan(0); // the unmapped leads' reminders, at plan time
    expect(fake.apiCalls('users.info').map((call) => call.body.user)).toContain(ANN);
    await sweepAt('2017-04-13T12:59:00Z'); // 08:59 in New York
    expect(messagesTo(ANN)).toEqual([]);
    await sweepAt('2017-04-13T13:00:00Z'); // 14:00 in London: 09:00 in New York
    const [dm, ...more] = messagesTo(ANN);
    expect(more).toEqual([]);
    expect(names(dm, '3')).toBe(true);
    expect(texts(dm).join('\n')).toContain('due in 17 days (30 Apr 2017)'); // due dates stay the plan's
    await sweepAt('2017-04-13T14:00:00Z');
    expect(messagesTo(ANN)).toHaveLength(1);

    // /reminders says whose time it is; a user_change from Slack moves it (no users.info needed).
    expect(await command(ANN, '/reminders', '')).toBe('Your reminder settings');
    expect(JSON.stringify(fake.responses(`c${sequence}`)[0].body.blocks)).toContain('09:00 your time (America/New_York, from your Slack profile)');
    const event = await sendEvent(appUrl, SECRET, { type: 'user_change', user: { id: ANN, tz: 'Asia/Tokyo', profile: { status_text: '', status_emoji: '' } }, event_ts: '1700000000.000100' });
    expect(event.status).toBe(200);
    expect(await eventually(async () => (await store.db.person.findUniqueOrThrow({ where: { slackId: ANN } })).timeZone === 'Asia/Tokyo')).toBe(true);
  });

  test('a lead away for a week: their reminders go to the other owner (or the channel, saying so), and on return one summary, across a restart', async () => {
    await command(ADMIN, '/lead', `Taskforce members <@${ANN}> <@${BOB}>`);
    await command(ADMIN, '/lead', `Arts Council England <@${ANN}>`);
    expect(await command(ANN, '/away', 'until 2017-04-20 at a conference')).toMatch(/^:palm_tree: Noted: you are away until 20 Apr 2017 \(“at a conference”\)\. Meanwhile your reminders go to your leads' other owners/);
    await sweepAt('2017-04-13T08:00:00Z');
    expect(messagesTo(ANN)).toEqual([]);
    const [toBob] = messagesTo(BOB);
    expect(names(toBob, '3')).toBe(true);
    expect(texts(toBob).join('\n')).toContain(`:palm_tree: <@${ANN}> is away until 20 Apr 2017 (“at a conference”): their reminders come to their leads' other owners meanwhile, you among them.`);
    const handedOver = messagesTo(CHANNEL).filter((call) => String(call.body.text).startsWith(`Away (<@${ANN}>)`));
    expect(handedOver).toHaveLength(1);
    expect(texts(handedOver[0])[0]).toBe(
      `:palm_tree: <@${ANN}> is away until 20 Apr 2017 (“at a conference”), and no one else answers for their lead, so their reminders come here meanwhile: *1 deadline* — 1 overdue. An admin can add an owner: \`/lead <lead> @someone\`.`,
    );
    expect(names(handedOver[0], '4')).toBe(true); // Arts Council England's, Ann's alone
    expect(await command(ANN, '/away', '')).toMatch(/^:palm_tree: You are away until 20 Apr 2017/);

    // A restart while she is away; still nothing to her, and nothing again to the others.
    await running.stop();
    await start();
    const before = fake.apiCalls('chat.postMessage').length;
    await sweepAt('2017-04-19T08:00:00Z');
    await sweepAt('2017-04-20T06:00:00Z'); // back (since midnight), but her summary waits for her morning
    expect(messagesTo(ANN)).toEqual([]);
    await sweepAt('2017-04-20T08:00:00Z');
    const [welcome, ...more] = messagesTo(ANN);
    expect(more).toEqual([]);
    expect(texts(welcome)[0]).toMatch(/^:wave: \*Welcome back\.\* While you were away \(since 12 Apr 2017 10:00\) your reminders went to your leads' other owners\. Still open: \*\d+ deadlines\* — /);
    expect(names(welcome, '3') && names(welcome, '4')).toBe(true);
    expect(texts(welcome).filter((text) => text.startsWith('*3* '))).toHaveLength(1);
    expect(fake.apiCalls('chat.postMessage').slice(before).filter((call) => call.body.channel !== ANN && String(call.body.text).startsWith('Away'))).toEqual([]);
    // Once: a sweep again, and a restart, send nothing more to her that day.
    await sweepAt('2017-04-20T08:30:00Z');
    await running.stop();
    await start();
    await sweepAt('2017-04-20T09:00:00Z');
    expect(messagesTo(ANN)).toHaveLength(1);
    // The next day's steps come as usual, and no line she had in the summary comes again.
    await sweepAt('2017-04-21T08:00:00Z');
    const next = messagesTo(ANN).slice(1);
    expect(next).toHaveLength(1);
    const lineKeys = async (call: RecordedCall) => (await store.db.notification.findMany({ where: { batchKey: keyOf(call) }, select: { key: true } })).map((row) => row.key);
    const inWelcome = new Set(await lineKeys(welcome));
    expect((await lineKeys(next[0])).filter((key) => inWelcome.has(key))).toEqual([]);
    expect(inWelcome.size).toBeGreaterThan(1);
  });
});
