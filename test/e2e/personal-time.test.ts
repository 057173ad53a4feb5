import { sweep } from '../../src/jobs/sweep';
import type { RunningSlackApp } from '../../src/slack/app';
import { sendEvent, sendSlashCommand, startFakeSlack, type FakeSlack, type RecordedCall } from '../helpers/slack-stand-in';
import { ADMIN, CHANNEL, SECRET, startTestApp } from '../helpers/slack-app';
import { freshStore } from '../helpers/store';

const ANN = 'U0ANN';
const BOB = 'U0BOB';

type Block = { type: string; block_id?: string; text?: { text: string }; elements?: { type: string; text?: unknown; value?: string }[] };

/**
 * Issue 13, items 1–3, over signed HTTP against the Slack stand-in: each person's time zone (from
 * users.info), their absences (/away, and a Slack status from users.profile.get), how often they
 * want reminding and their quiet hours. The clock is moved by hand and a sweep run at each step.
 */
describe('each person\'s own time, through the running app', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp & { url: string };
  let now: Date;
  let appUrl: string;
  let sequence = 0;

  async function start() {
    running = await startTestApp(fake, store, { now: () => now });
    appUrl = running.url;
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

  test('/reminders weekly: one Monday message with the week and everything overdue, the due-today reminder, nothing between', async () => {
    await command(ADMIN, '/lead', `Taskforce members <@${ANN}>`);
    await command(ADMIN, '/lead', `Arts Council England <@${ANN}>`);
    const reply = await command(ANN, '/reminders', 'weekly');
    expect(reply).toBe('Weekly from now on: one summary each Monday morning, and a reminder on a deadline\'s own day.');
    await sweepAt('2017-04-13T08:00:00Z'); // a Thursday: a daily person would hear of 3 today
    expect(messagesTo(ANN)).toEqual([]); // and the Monday before they chose weekly is not summarised
    await sweepAt('2017-04-17T08:00:00Z'); // Monday: nothing due that week, and it says so
    expect(texts(messagesTo(ANN)[0])[0]).toMatch(/^:spiral_calendar_pad: \*Your week\* \(from 17 Apr 2017\): \*\d+ deadlines?\* overdue or due by next Monday — \d+ overdue\./);
    await sweepAt('2017-04-21T08:00:00Z'); // a Friday: a daily person would hear of 3 again (7 days before), and be nudged about 4
    // Escalations to the channel go whatever the lead chose: 4 has had its nudges' worth of time unanswered.
    expect(messagesTo(CHANNEL).filter((call) => String(call.body.text).startsWith('Escalation') && names(call, '4'))).toHaveLength(1);
    await sweepAt('2017-04-24T07:59:00Z');
    expect(messagesTo(ANN)).toHaveLength(1);
    await sweepAt('2017-04-24T08:00:00Z'); // Monday 09:00
    await sweepAt('2017-04-24T12:00:00Z');
    const [, week, ...more] = messagesTo(ANN);
    expect(more).toEqual([]);
    expect(texts(week)[0]).toMatch(/^:spiral_calendar_pad: \*Your week\* \(from 24 Apr 2017\): \*\d+ deadlines\* overdue or due by next Monday — \d+ overdue, \d+ due this week\./);
    expect(names(week, '3')).toBe(true); // due 30 April
    expect(texts(week).join('\n')).toContain('due in 6 days (30 Apr 2017)');
    expect(texts(week).join('\n')).toMatch(/days overdue/);
    // 30 April is a Sunday: its due-today reminder comes on Friday 28th, on its own.
    await sweepAt('2017-04-27T08:00:00Z');
    expect(messagesTo(ANN)).toHaveLength(2);
    await sweepAt('2017-04-28T08:00:00Z');
    const dueToday = messagesTo(ANN)[2];
    expect(names(dueToday, '3')).toBe(true);
    expect(texts(dueToday).join('\n')).not.toMatch(/overdue/); // the day's reminders only
    // The next Monday: one more summary.
    await sweepAt('2017-05-01T08:00:00Z');
    expect(messagesTo(ANN).filter((call) => String(call.body.text).startsWith('Your week'))).toHaveLength(3);
    expect(await command(ANN, '/reminders', 'daily')).toBe('Daily from now on: a reminder at each step.');
  });

  test('quiet hours hold a reminder until they end; bad times and days are refused and change nothing', async () => {
    await command(ADMIN, '/lead', `Taskforce members <@${ANN}>`);
    expect(await command(ANN, '/reminders', 'quiet 25:00-08:00')).toBe('"25:00" isn\'t a time of day: hours go from 00 to 23 (midnight is 00:00). Nothing was changed.');
    expect(await command(ANN, '/reminders', 'quiet 18:00')).toMatch(/^Give the quiet hours as two times/);
    expect(await command(ANN, '/away', 'until yesterday')).toBe('2017-04-11 has gone by (today is 2017-04-12 where you are): give the day you will be back, e.g. `/away until 2017-04-19`. Nothing was changed.');
    expect(await command(ANN, '/away', 'until 31/02')).toBe('"31/02" isn\'t a date I can read: February has no day 31, and write it as YYYY-MM-DD, e.g. `/away until 2017-06-05`. Nothing was changed.');
    expect(await command(ANN, '/away', 'until 2017-02-31')).toBe('"2017-02-31" isn\'t a date: February has no day 31. Nothing was changed.');
    expect(await command(ANN, '/away', 'until 2017-04-12')).toMatch(/^2017-04-12 is today/);
    expect(await store.db.person.count()).toBe(0);
    expect(await store.db.absence.count()).toBe(0);

    expect(await command(ANN, '/reminders', 'quiet 07:00-11:00')).toBe('Quiet hours 07:00–11:00, your time: no DMs then.');
    await sweepAt('2017-04-13T08:00:00Z'); // 09:00 London: quiet
    await sweepAt('2017-04-13T09:59:00Z');
    expect(messagesTo(ANN)).toEqual([]);
    expect(messagesTo(CHANNEL).length).toBeGreaterThan(0); // the channel is never held
    await sweepAt('2017-04-13T10:00:00Z'); // 11:00: they end
    const [held, ...more] = messagesTo(ANN);
    expect(more).toEqual([]);
    expect(names(held, '3')).toBe(true);
    expect(await command(ANN, '/reminders', 'quiet off')).toBe('No quiet hours from now on.');
  });

  test('a Slack status that reads as away (users.profile.get) hands reminders over like /away; without the scope, /away alone counts', async () => {
    await command(ADMIN, '/lead', `Taskforce members <@${ANN}> <@${BOB}>`);
    fake.setPerson(BOB, { status: { text: 'Vacationing', emoji: ':palm_tree:', expiration: Date.parse('2017-04-18T17:00:00Z') / 1000 } });
    await sweepAt('2017-04-13T08:00:00Z');
    expect(messagesTo(BOB)).toEqual([]);
    const [toAnn] = messagesTo(ANN);
    expect(texts(toAnn).join('\n')).toContain(`:palm_tree: <@${BOB}> is away until 18 Apr 2017 18:00 (“Vacationing”)`);
    expect(await command(BOB, '/away', '')).toMatch(/^:palm_tree: You are away until 18 Apr 2017 18:00 \(“Vacationing”\) \(your Slack status says so\)/);
    // Without users.profile:read (a workspace that did not grant it): asked once, then not again,
    // and what was known stays.
    fake.setPerson(ANN, { profileScopeMissing: true });
    fake.setPerson(BOB, { profileScopeMissing: true });
    await running.stop();
    await start();
    const asked = fake.apiCalls('users.profile.get').length;
    await sweepAt('2017-04-13T15:00:00Z'); // what is known of both is seven hours old
    await sweepAt('2017-04-13T22:00:00Z');
    expect(fake.apiCalls('users.profile.get').length - asked).toBe(1);
    expect(fake.apiCalls('users.info').filter((call) => call.at > 0)).toHaveLength(6);
    expect(await command(BOB, '/away', '')).toMatch(/^:palm_tree: You are away until 18 Apr 2017 18:00/);
    // The status expired: back, and a summary of what is open at his next send time.
    await sweepAt('2017-04-19T08:00:00Z');
    expect(messagesTo(BOB).map((call) => texts(call)[0])).toEqual([expect.stringMatching(/^:wave: \*Welcome back\.\*/)]);
  });
});
