import { sweep } from '../../src/jobs/sweep';
import type { RunningSlackApp } from '../../src/slack/app';
import { pruneLedger } from '../../src/store/ledger';
import { findItem } from '../../src/store/tracked-items';
import { blockActionPayload, sendInteraction, sendSlashCommand, startFakeSlack, type FakeSlack, type RecordedCall } from '../helpers/slack-stand-in';
import { ADMIN, CHANNEL, SECRET, startTestApp } from '../helpers/slack-app';
import { freshStore } from '../helpers/store';

const ANN = 'U0ANN';
const STRANGER = 'U0STRANGER';
const TEAM = 'U0TEAM';
const MEMBER = 'U0MEMBER';

type Button = { action_id: string; value: string };

describe('reminders and digests through the running app', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp & { url: string };
  let now: Date;
  let appUrl: string;
  let sequence = 0;

  beforeAll(async () => {
    fake = await startFakeSlack({ usergroupMembers: { S0LGA: [MEMBER] } });
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    now = new Date('2017-04-13T08:00:00Z');
    running = await startTestApp(fake, store, { now: () => now });
    appUrl = running.url;
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
    // Generous: a /report prints its PDF in Chromium before it answers, seconds on a busy machine.
    return (await fake.waitFor(() => fake.responses(id)[0], 20_000)).body as { text: string; replace_original?: boolean };
  }

  type Block = { type: string; block_id?: string; text?: { text: string }; elements?: (Button & { type: string; options?: { value: string }[] })[] };

  /** The latest reminder message to a user or channel that has a line about an item, as Slack received it. */
  function reminderTo(channel: string, ref: string): RecordedCall {
    const call = fake
      .apiCalls('chat.postMessage')
      .filter((c) => c.body.channel === channel && lineOf(c, ref) !== null)
      .at(-1);
    if (!call) throw new Error(`no reminder about ${ref} to ${channel}`);
    return call;
  }

  /** The actions block of a message's line about an item (and deadline part), or null. */
  function lineOf(call: RecordedCall, ref: string, deadlineId?: number): Block | null {
    const blocks = (call.body.blocks ?? []) as Block[];
    return (
      blocks.find((block) => {
        if (block.type !== 'actions' || !block.block_id?.startsWith('reminder-line:')) return false;
        const value = JSON.parse(block.elements![0].value) as { ref: string; deadlineId: number };
        return value.ref === ref && (deadlineId === undefined || value.deadlineId === deadlineId);
      }) ?? null
    );
  }

  /** Presses a line's button (or an entry of its ⋯ menu), as Slack sends it: with the message it is on. */
  async function click(userId: string, reminder: RecordedCall, ref: string, verb: string, options: { forgeValue?: object; triggerId?: string; deadlineId?: number } = {}) {
    const line = lineOf(reminder, ref, options.deadlineId)!;
    const button = line.elements!.find((e) => e.action_id.startsWith(`reminder:${verb}:`));
    const menu = line.elements!.find((e) => e.type === 'overflow')!;
    const value = options.forgeValue ? JSON.stringify(options.forgeValue) : (button?.value ?? menu.options!.find((o) => (JSON.parse(o.value) as { verb: string }).verb === verb)!.value);
    const ts = fake.posted().find((p) => (p.metadata as { event_payload: { key: string } }).event_payload.key === (reminder.body.metadata as { event_payload: { key: string } }).event_payload.key)!.ts;
    const id = `b${++sequence}`;
    await sendInteraction(
      appUrl,
      SECRET,
      blockActionPayload({
        userId,
        actionId: button?.action_id ?? menu.action_id,
        value,
        overflow: !button,
        triggerId: options.triggerId,
        responseUrl: fake.responseUrl(id),
        message: { ts, text: reminder.body.text, blocks: reminder.body.blocks },
      }),
    );
    return (await fake.waitFor(() => fake.responses(id)[0])).body as { text: string; replace_original?: boolean; blocks: Block[] };
  }

  const blockText = (call: RecordedCall) => JSON.stringify(call.body.blocks);

  test('issue 11 point 1: one message per person a sweep, every line named in words, most urgent first, each with its buttons', async () => {
    now = new Date('2017-05-25T08:00:00Z');
    await command(ADMIN, '/lead', `Taskforce Team <@${TEAM}>`);
    fake.reset();
    const report = await sweep(running.jobs);
    const dms = fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === TEAM);
    expect(dms).toHaveLength(1);
    const [dm] = dms;
    const lines = (dm.body.blocks as Block[]).filter((block) => block.block_id?.startsWith('reminder-line:'));
    const reminderKeys = report.sent.filter((key) => key.startsWith('reminder:') && key.endsWith(`:user:${TEAM}`));
    expect(lines.length).toBe(reminderKeys.length);
    expect(lines.length).toBeGreaterThanOrEqual(9);
    expect(String(dm.body.text)).toMatch(/^Reminder: \S+ \(\d+ days overdue\)/);
    const texts = (dm.body.blocks as Block[]).filter((block) => block.type === 'section').map((block) => block.text!.text);
    expect(texts[0]).toMatch(/^:bell: \*\d+ deadlines to look at\* — \d+ overdue/);
    // Every line names the item in words, and how late it is; the longest overdue first.
    const late = texts.slice(1).map((text) => Number(/(\d+) days? overdue/.exec(text)?.[1] ?? -1));
    expect(late.every((days) => days > 0)).toBe(true);
    expect([...late].sort((a, b) => b - a)).toEqual(late);
    expect(texts).toContainEqual(expect.stringMatching(/^\*13\* Develop and promote a sector-led benchmarking framework that libraries can…\n55 days overdue \(due 31 Mar 2017\) · part “prototype ready for consultation and testing”/));
    // A restart, or a second sweep, sends nothing again.
    expect((await sweep(running.jobs)).sent).toEqual([]);
    expect(fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === TEAM)).toHaveLength(1);
  });

  test('On track on a line records the update from the lead and updates that line in place', async () => {
    await sweep(running.jobs);
    const reminder = reminderTo(ANN, '3');
    const answer = await click(ANN, reminder, '3', 'on-track');
    expect(answer.replace_original).toBe(true);
    expect(JSON.stringify(answer.blocks)).toContain(`:white_check_mark: <@${ANN}> set 3 to On track.`);
    // That line's buttons gave way to what happened; the other lines keep theirs.
    const lines = (reminder.body.blocks as Block[]).filter((block) => block.block_id?.startsWith('reminder-line:')).length;
    expect(answer.blocks.filter((b) => b.type === 'actions')).toHaveLength(lines - 1);
    expect((await findItem(store.db, '3'))!.history.at(-1)).toMatchObject({ status: 'on-track', actor: ANN, source: 'button' });
  });

  test('Done on a line about one part marks that part done', async () => {
    now = new Date('2017-05-17T08:00:00Z'); // 14 days before 31 May: action 4's "commission"
    await sweep(running.jobs);
    const item = (await findItem(store.db, '4'))!;
    const commission = item.milestones.find((m) => m.part === 'commission')!;
    const answer = await click(ANN, reminderTo(ANN, '4'), '4', 'done', { deadlineId: commission.id });
    expect(JSON.stringify(answer.blocks)).toContain(`:white_check_mark: <@${ANN}> marked “commission” of 4 done.`);
    expect((await findItem(store.db, '4'))!.history.at(-1)!.deadlineId).toBe(commission.id);
  });

  test('someone who may not update is told so, privately, and the reminder stays as it was', async () => {
    await sweep(running.jobs);
    const answer = await click(STRANGER, reminderTo(ANN, '3'), '3', 'done');
    expect(answer.replace_original).toBe(false);
    expect(answer.text).toMatch(/^Only the owners of Taskforce members/);
    expect((await findItem(store.db, '3'))!.history).toHaveLength(1);
  });

  test('issue 12 item 1: snooze needs the same permission as an update, the recipient comes from the message, and a repeat changes nothing', async () => {
    await command(ADMIN, '/lead', 'LGA <!subteam^S0LGA|lga>');
    now = new Date('2017-03-17T09:00:00Z'); // 14 days before 31 March: action 13, LGA / Taskforce Team
    fake.reset();
    await sweep(running.jobs);
    const inChannel = reminderTo(CHANNEL, '13');
    expect(blockText(inChannel)).toContain('<!subteam^S0LGA>');
    // A stranger in the channel: refused to them alone, no row, the buttons stay for everyone.
    const refused = await click(STRANGER, inChannel, '13', 'snooze-7d');
    expect(refused.replace_original).toBe(false);
    expect(refused.text).toMatch(/^Only the owners of LGA or Taskforce Team/);
    expect(await store.db.snooze.count()).toBe(0);
    // A member of the group: the snooze is for the group (the message's recipient), whatever the click says.
    const snoozed = await click(MEMBER, inChannel, '13', 'snooze-1d', { forgeValue: { ref: '13', deadlineId: lineDeadline(inChannel, '13'), verb: 'snooze-1d', recipient: `user:${ANN}` } });
    expect(snoozed.replace_original).toBe(true);
    expect(await store.db.snooze.findMany({ select: { recipient: true } })).toEqual([{ recipient: 'usergroup:S0LGA' }]);
    // Again, and the same click delivered twice: nothing more is written.
    await click(MEMBER, inChannel, '13', 'snooze-1d', { triggerId: 'trigger-same' });
    await click(MEMBER, inChannel, '13', 'snooze-1d', { triggerId: 'trigger-same' });
    expect(await store.db.snooze.count()).toBe(1);
  });

  test('issue 12 item 8: Done on a reminder whose deadline part is gone is refused, and says how to mark the item', async () => {
    now = new Date('2017-05-17T08:00:00Z');
    await sweep(running.jobs);
    const item = (await findItem(store.db, '4'))!;
    const commission = item.milestones.find((m) => m.part === 'commission')!;
    const reminder = reminderTo(ANN, '4');
    await store.db.deadline.update({ where: { id: commission.id }, data: { retiredAt: now } }); // an import retired it
    const answer = await click(ANN, reminder, '4', 'done', { deadlineId: commission.id });
    expect(answer.replace_original).toBe(false);
    expect(answer.text).toBe('That deadline of 4 is no longer in the plan, so nothing was changed. `/action 4` shows its deadlines now; `/action 4 done` sets the whole item.');
    // A forged line the message never carried: refused too.
    const forged = await click(ANN, reminder, '4', 'done', { deadlineId: commission.id, forgeValue: { ref: '3', deadlineId: 999_999 } });
    expect(forged.text).toMatch(/^That button is not one the bot sent/);
    expect((await findItem(store.db, '4'))!.history).toHaveLength(1);
    expect((await findItem(store.db, '3'))!.history).toHaveLength(1);
  });

  test('TASKFORCE_LEDGER_DAYS: a button on a reminder whose row was pruned is answered, and changes nothing', async () => {
    await sweep(running.jobs);
    const reminder = reminderTo(ANN, '3');
    // A year and more on, the message's rows are pruned (claimed before the cut-off, sent).
    const later = new Date(now.getTime() + 401 * 86_400_000);
    expect(await pruneLedger(store.db, new Date(later.getTime() - 400 * 86_400_000), later)).toBeGreaterThan(1);
    expect(await store.db.notification.count({ where: { key: { startsWith: 'reminder:' } } })).toBe(0);
    const answer = await click(ANN, reminder, '3', 'on-track');
    expect(answer.replace_original).toBe(false);
    expect(answer.text).toBe('That reminder is older than the bot keeps its records of reminders, so nothing was changed. `/action 3` shows the item and its buttons now.');
    expect((await findItem(store.db, '3'))!.history).toHaveLength(1);
  });

  test('Snooze 1 day: nothing about the item until the next day, then one reminder', async () => {
    await sweep(running.jobs);
    const answer = await click(ANN, reminderTo(ANN, '3'), '3', 'snooze-1d');
    expect(JSON.stringify(answer.blocks)).toContain(`:zzz: Snoozed by <@${ANN}> until 14 Apr 2017 09:00: no reminders about 3 here until then, then one.`);
    fake.reset();
    now = new Date('2017-04-13T20:00:00Z');
    await sweep(running.jobs);
    expect(() => reminderTo(ANN, '3')).toThrow();
    now = new Date('2017-04-14T08:00:00Z');
    await sweep(running.jobs);
    expect(blockText(reminderTo(ANN, '3'))).toContain('due in 16 days (30 Apr 2017)');
  });

  test('Reminders off: nothing more about that item, until switched on again', async () => {
    await sweep(running.jobs);
    const answer = await click(ANN, reminderTo(ANN, '3'), '3', 'off');
    expect(JSON.stringify(answer.blocks)).toContain('switched reminders about 3 off');
    expect(JSON.stringify(answer.blocks)).toContain('An overdue item is still raised with the Taskforce.');
    fake.reset();
    now = new Date('2017-04-21T08:00:00Z');
    await sweep(running.jobs);
    expect(() => reminderTo(ANN, '3')).toThrow();
    expect(reminderTo(ANN, '1')).toBeDefined(); // others still come
    expect((await command(ANN, '/action', '3 reminders on')).text).toBe('Reminders about 3 are on again.');
    now = new Date('2017-04-28T08:00:00Z');
    await sweep(running.jobs);
    expect(blockText(reminderTo(ANN, '3'))).toContain('due in 2 days (30 Apr 2017)');
  });

  function lineDeadline(call: RecordedCall, ref: string): number {
    return (JSON.parse(lineOf(call, ref)!.elements![0].value) as { deadlineId: number }).deadlineId;
  }

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

  test('/report (admins) uploads the draft progress report to the channel: Markdown, HTML and PDF', async () => {
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
