import { LogLevel } from '@slack/bolt';
import { fixedClock } from '../../src/domain/clock';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { startSlackApp, type RunningSlackApp } from '../../src/slack/app';
import { findItem, recordStatus } from '../../src/store/tracked-items';
import {
  startFakeSlack,
  type FakeSlack,
  type Fault,
  appHomeOpenedEvent,
  blockActionPayload,
  postSigned,
  sendEvent,
  sendInteraction,
  sendSlashCommand,
  viewSubmissionPayload,
} from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';
import { missingFrom, slackLimitProblems } from '../helpers/slack-limits';

const SECRET = 'test-signing-secret-0123456789';
const ADMIN = 'U0ADMIN';
const DCMS_OWNER = 'U0DEE';
const STRANGER = 'U0STRANGER';
const CHANNEL = 'C0TASKFORCE';
const NOW = new Date('2017-05-15T08:00:00Z');

type Message = { text: string; blocks: { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: { text: string } }[] }[]; replace_original?: boolean; response_type?: string };

/** All the text a person would read in a message. */
function readable(message: Message): string {
  return message.blocks
    .flatMap((block) => [block.text?.text ?? '', ...(block.elements ?? []).map((element) => element.text?.text ?? (element as { text?: string }).text ?? '')])
    .join('\n');
}

describe('the Slack app over HTTP', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp;
  let appUrl: string;
  let responses = 0;

  beforeAll(async () => {
    fake = await startFakeSlack({ usergroupMembers: { S0LGA: ['U0GROUPIE'] } });
  });
  afterAll(() => fake.close());

  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    running = await startSlackApp(
      {
        databaseUrl: store.url,
        timeZone: TIME_ZONE,
        fixedNow: NOW,
        channel: CHANNEL,
        admins: [ADMIN],
        slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
        reminders: DEFAULT_REMINDER_SETTINGS,
        digest: DEFAULT_DIGEST_SCHEDULE,
      },
      store,
      fixedClock(NOW),
      { logLevel: LogLevel.ERROR },
    );
    appUrl = `http://127.0.0.1:${running.port}/slack/events`;
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
  });

  /** Sends a slash command as a user; returns the ack and the ephemeral answer. */
  async function command(userId: string, name: string, text: string) {
    const id = `r${++responses}`;
    const ack = await sendSlashCommand(appUrl, SECRET, { command: name, text, user_id: userId, response_url: fake.responseUrl(id), trigger_id: `t${responses}` });
    const answer = await fake.waitFor(() => fake.responses(id)[0]);
    return { ack, id, message: answer.body as unknown as Message };
  }

  test('/action 12: the item, its leads and owners, deadlines, status, and buttons, ephemeral', async () => {
    const { ack, message } = await command(STRANGER, '/action', '12');
    expect(ack.status).toBe(200);
    expect(message.response_type).toBe('ephemeral');
    const text = readable(message);
    expect(text).toContain('Action 12');
    expect(text).toContain('£4 million');
    expect(text).toContain('DCMS (no Slack owner yet)');
    expect(text).toContain('*Deadline:* March 2018');
    const buttons = message.blocks.find((block) => block.type === 'actions')!.elements!.map((e) => e.action_id);
    expect(buttons).toEqual(['set-status:on-track', 'set-status:at-risk', 'set-status:off-track', 'set-status:blocked', 'set-status:done']);
    // The plain-text fallback, for notifications.
    expect(message.text).toMatch(/^12: Not started — Ensure that the projects delivered through the £4 million/);
  });

  test('an admin sets a status; it is saved, answered, and announced in the Taskforce channel', async () => {
    const { message } = await command(ADMIN, '/action', '12 on-track');
    expect(message.text).toBe('Saved: 12 is now On track');
    const post = await fake.waitFor(() => fake.apiCalls('chat.postMessage')[0]);
    expect(post.body).toMatchObject({ channel: CHANNEL, text: `<@${ADMIN}> marked *12* Ensure that the projects delivered through the £4 million 'Libraries… as On track` });
    expect((await findItem(store.db, '12'))!.history.at(-1)).toMatchObject({ status: 'on-track', actor: ADMIN, source: 'command', note: null });
  });

  test('a lead\'s owner, mapped by an admin with /lead, updates with a note; others are refused and nothing changes', async () => {
    const mapped = await command(ADMIN, '/lead', `DCMS <@${DCMS_OWNER}|dee>`);
    expect(mapped.message.text).toBe(`DCMS is now owned by <@${DCMS_OWNER}>`);

    const refused = await command(STRANGER, '/action', '12 at-risk waiting on the funding decision');
    expect(refused.message.text).toMatch(/^Only the owners of DCMS, Arts Council England, Taskforce Team or Relevant Taskforce members \(<@U0DEE>\) or a Taskforce admin can update 12\. Nothing was changed\./);
    expect((await findItem(store.db, '12'))!.history).toHaveLength(1);

    const { message } = await command(DCMS_OWNER, '/action', '12 at-risk waiting on the funding decision');
    expect(message.text).toBe('Saved: 12 is now At risk');
    expect((await findItem(store.db, '12'))!.history.at(-1)).toMatchObject({ status: 'at-risk', actor: DCMS_OWNER, note: 'waiting on the funding decision' });

    const notAdmin = await command(DCMS_OWNER, '/lead', `LGA <@${DCMS_OWNER}>`);
    expect(notAdmin.message.text).toMatch(/^Only Taskforce admins can map leads/);
  });

  test('a member of a user group mapped to a lead may update its items', async () => {
    await command(ADMIN, '/lead', 'LGA <!subteam^S0LGA|@lga>');
    const { message } = await command('U0GROUPIE', '/action', '15 green');
    expect(message.text).toBe('Saved: 15 is now On track');
  });

  test('/action 4 done commission marks one part done', async () => {
    const { message } = await command(ADMIN, '/action', '4 done commission');
    expect(message.text).toBe('Marked 4 “commission” done');
    const item = (await findItem(store.db, '4'))!;
    expect(item.history.at(-1)!.deadlineId).toBe(item.milestones.find((m) => m.part === 'commission')!.id);
    const overdue = await command(ADMIN, '/overdue', 'Arts Council England');
    expect(readable(overdue.message)).toContain('*4* Identify and commission any further research work needed to measure the 7… (identify research) — 45 days late');
    expect(readable(overdue.message)).not.toContain('(commission)');
  });

  test('every part done reads as Done; some parts done say how many, in the item and in lists', async () => {
    await command(ADMIN, '/action', '4 done commission');
    const partly = readable((await command(STRANGER, '/action', '4')).message);
    expect(partly).toContain('*Status:* :white_circle: Not started · 1 of 2 parts done');
    const list = await command(STRANGER, '/action', 'list Arts Council England');
    expect(readable(list.message)).toContain('*4* Identify and commission any further research work needed to measure the 7…\n:white_circle: Not started · 1 of 2 parts done');

    expect((await command(ADMIN, '/action', '4 done March 2017')).message.text).toBe('Marked 4 “identify research” done');
    const done = await command(STRANGER, '/action', '4');
    expect(done.message.text).toBe('4: Done (2 of 2 parts done) — Identify and commission any further research work needed to measure the 7…');
    expect(readable(done.message)).toContain('*Status:* :white_check_mark: Done · 2 of 2 parts done');
    expect(readable((await command(STRANGER, '/overdue', 'Arts Council England')).message)).toContain('Nothing is overdue');
    expect(readable((await command(STRANGER, '/action', 'list Arts Council England')).message)).toContain(':white_check_mark: Done · 2 of 2 parts done');
  });

  test('/action 12 history: 20 long notes full of & and emoji, all of them, page by page, each page within Slack\'s limits', async () => {
    const note = (n: number) => `note ${String(n).padStart(2, '0')} ${'Funding & sign-off 🎉 <@U1> *bold* '.repeat(20)}`.slice(0, 500);
    for (let n = 1; n <= 20; n++) {
      await recordStatus(store.db, { ref: '12', status: n % 2 ? 'at-risk' : 'on-track', note: note(n), actor: DCMS_OWNER, source: 'command', at: new Date(NOW.getTime() - (21 - n) * 3_600_000) });
    }
    const pages: Message[] = [(await command(STRANGER, '/action', '12 history')).message];
    for (;;) {
      const next = pages.at(-1)!.blocks.flatMap((block) => block.elements ?? []).find((element) => element.action_id === 'page:next');
      if (!next) break;
      const id = `history${pages.length + 1}`;
      await sendInteraction(appUrl, SECRET, blockActionPayload({ userId: STRANGER, actionId: 'page:next', value: next.value!, responseUrl: fake.responseUrl(id) }));
      pages.push((await fake.waitFor(() => fake.responses(id)[0])).body as unknown as Message);
      expect(pages.length).toBeLessThan(20);
    }
    expect(pages.length).toBeGreaterThan(1); // 20 × up to 2,000 characters escaped cannot fit one message
    for (const page of pages) expect(slackLimitProblems(page)).toEqual([]);
    expect(readable(pages[0])).toContain(`Page 1 of ${pages.length} · 20 updates in all`);
    // Each note whole, escaped once: & as &amp;, the mention shown as typed text, not a ping.
    const escaped = (n: number) => note(n).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(missingFrom(pages, Array.from({ length: 20 }, (_, i) => [escaped(i + 1)]))).toEqual([]);
    expect(pages.flatMap((page) => page.blocks).filter((block) => block.type === 'section' && block.text!.text.endsWith('…'))).toEqual([]);
  });

  test('App Home and /action list name each item in words; two deadlines of one item are told apart', async () => {
    await command(ADMIN, '/lead', `Comms sub-group <@${DCMS_OWNER}>`);
    await sendEvent(appUrl, SECRET, appHomeOpenedEvent(DCMS_OWNER));
    const home = (await fake.waitFor(() => fake.apiCalls('views.publish')[0])).body.view as Message;
    expect(slackLimitProblems(home, 'home')).toEqual([]);
    const lines = readable(home).split('\n').filter((line) => line.startsWith('*6* '));
    expect(lines).toEqual([
      '*6* Work with others (including the devolved administrations where relevant)…', // under "Your items"
      '*6* Work with others (including the devolved administrations where relevant)… (produce first iteration of comms plan) — 135 days late (due 31 Dec 2016) · _Comms sub-group_',
      '*6* Work with others (including the devolved administrations where relevant)… (6 monthly review) — 15 days late (due 30 Apr 2017) · _Comms sub-group_',
    ]);
    const list = [(await command(STRANGER, '/action', 'list')).message];
    const entries = readable(list[0]).split('\n').filter((line) => /^\*[\w-]+\* /.test(line));
    expect(entries.length).toBeGreaterThan(20);
    expect(entries.filter((line) => line.endsWith(':'))).toEqual([]);
    expect(entries).toContain('*12* Ensure that the projects delivered through the £4 million \'Libraries…');
  });

  test('/overdue groups by lead, oldest first, with how late; /overdue <lead> narrows it', async () => {
    const all = await command(STRANGER, '/overdue', '');
    expect(all.message.text).toBe('24 deadlines overdue');
    const text = readable(all.message);
    expect(text.indexOf('*DCMS*')).toBeLessThan(text.indexOf('*Comms sub-group*'));
    expect(text).toContain('*11* Undertake an assessment of the long term financial sustainability and service… (commission) — 196 days late (due 31 Oct 2016)');
    // Every line names its item in words: a ref, then a title, then the deadline.
    expect(text).toContain('*5* Continue to seek opportunities for national funding… — 15 days late (due 30 Apr 2017)');
    expect(text.split('\n').filter((line) => line.includes('days late')).every((line) => /^\*[\w-]+\* \S+ \S+ \S+/.test(line))).toBe(true);
    const lga = await command(STRANGER, '/overdue', 'local government association');
    expect(readable(lga.message).match(/days late/g)).toHaveLength(5);
  });

  test('/upcoming [days]', async () => {
    expect(readable((await command(STRANGER, '/upcoming', '')).message)).toContain(
      '*4* Identify and commission any further research work needed to measure the 7… (commission) — due 31 May 2017 · _Arts Council England_',
    );
    expect((await command(STRANGER, '/upcoming', '10')).message.text).toBe('Nothing falls due in the next 10 days.');
  });

  test('/action mine, /action list <lead>, /action help', async () => {
    await command(ADMIN, '/lead', `CILIP <@${DCMS_OWNER}>`);
    expect(readable((await command(DCMS_OWNER, '/action', 'mine')).message)).toContain('*19*');
    const list = await command(STRANGER, '/action', 'list SCL');
    expect(list.message.text).toBe('Led by SCL: 2 items');
    expect(readable((await command(STRANGER, '/action', 'help')).message)).toContain('/action 4 done commission');
  });

  test('/meeting add, list and cancel, for admins only', async () => {
    expect((await command(STRANGER, '/meeting', 'add 2017-05-26 14:00')).message.text).toMatch(/^Only Taskforce admins can add meetings/);
    expect((await command(ADMIN, '/meeting', 'add 2017-05-26 14:00 Quarterly review')).message.text).toBe('Added the meeting of 26 May 2017 14:00');
    expect(readable((await command(STRANGER, '/meeting', '')).message)).toContain('26 May 2017 14:00 — Quarterly review');
    expect((await command(ADMIN, '/meeting', 'cancel 2017-05-26')).message.text).toBe('Cancelled the meeting of 26 May 2017 14:00');
    expect((await command(STRANGER, '/meeting', '')).message.text).toBe('No Taskforce meetings are planned.');
  });

  test.each([
    ['/action', 'LG13', /^There is no item LG13\. Did you mean LG1–LG12\?/],
    ['/action', '12 purple', /^"purple" isn't a status\. Use one of: on-track, at-risk, off-track, blocked, done/],
    ['/action', '', /^How to use \/action$/],
    ['/action', 'what is this', /^I didn't understand "what is this"\./],
    ['/action', `12 on-track ${'x'.repeat(501)}`, /the limit is 500\. Nothing was saved/],
    ['/overdue', 'Nobody', /^There is no lead called "Nobody"\./],
    ['/meeting', 'add tomorrow 14:00', /^"tomorrow" isn't a date/],
  ])('bad input %s %s: a specific, friendly, ephemeral answer, and nothing changes', async (name, text, expected) => {
    const before = await store.db.statusUpdate.count();
    const { message } = await command(ADMIN, name, text);
    expect(message.response_type).toBe('ephemeral');
    expect(message.text).toMatch(expected);
    expect(await store.db.statusUpdate.count()).toBe(before);
  });

  test('a long list is paged; Next shows the next page in place', async () => {
    const { message } = await command(STRANGER, '/action', 'list');
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(readable(message)).toContain('Page 1 of 2 · 80 in all');
    const next = message.blocks.find((block) => block.type === 'actions')!.elements!.find((e) => e.action_id === 'page:next')!;
    await sendInteraction(appUrl, SECRET, blockActionPayload({ userId: STRANGER, actionId: 'page:next', value: next.value!, responseUrl: fake.responseUrl('page2') }));
    const page2 = (await fake.waitFor(() => fake.responses('page2')[0])).body as unknown as Message;
    expect(page2.replace_original).toBe(true);
    expect(readable(page2)).toContain('Page 2 of 2 · 80 in all');
    expect(readable(page2)).toContain('*W6-21a*');
  });

  test('a status button opens a note modal; submitting it saves the update and replaces the message', async () => {
    await command(ADMIN, '/lead', `DCMS <@${DCMS_OWNER}>`);
    await sendInteraction(appUrl, SECRET, blockActionPayload({ userId: DCMS_OWNER, actionId: 'set-status:at-risk', value: '12', responseUrl: fake.responseUrl('item12'), triggerId: 'trigger-1' }));
    const opened = await fake.waitFor(() => fake.apiCalls('views.open')[0]);
    expect(opened.body.trigger_id).toBe('trigger-1');
    const view = opened.body.view as { callback_id: string; private_metadata: string };
    expect(view.callback_id).toBe('status-note');

    const submitted = await sendInteraction(
      appUrl,
      SECRET,
      viewSubmissionPayload({ userId: DCMS_OWNER, callbackId: view.callback_id, privateMetadata: view.private_metadata, values: { note: { 'note-input': { type: 'plain_text_input', value: 'funding decision slipped' } } } }),
    );
    expect(submitted.status).toBe(200);
    const replaced = (await fake.waitFor(() => fake.responses('item12')[0])).body as unknown as Message;
    expect(replaced.replace_original).toBe(true);
    expect(replaced.text).toBe('Saved: 12 is now At risk');
    expect((await findItem(store.db, '12'))!.history.at(-1)).toMatchObject({ status: 'at-risk', actor: DCMS_OWNER, source: 'button', note: 'funding decision slipped' });
  });

  test('a status button pressed by someone who may not update says so, and opens nothing', async () => {
    await sendInteraction(appUrl, SECRET, blockActionPayload({ userId: STRANGER, actionId: 'set-status:done', value: '12', responseUrl: fake.responseUrl('nope') }));
    const answer = (await fake.waitFor(() => fake.responses('nope')[0])).body as unknown as Message;
    expect(answer.text).toMatch(/^Only the owners of DCMS/);
    expect(fake.apiCalls('views.open')).toEqual([]);
  });

  test('a note over the limit in the modal is refused in the modal, keeping what was typed', async () => {
    const metadata = JSON.stringify({ ref: '12', status: 'on-track', responseUrl: null });
    const response = await sendInteraction(
      appUrl,
      SECRET,
      viewSubmissionPayload({ userId: ADMIN, callbackId: 'status-note', privateMetadata: metadata, values: { note: { 'note-input': { type: 'plain_text_input', value: 'y'.repeat(501) } } } }),
    );
    expect(JSON.parse(response.body)).toEqual({ response_action: 'errors', errors: { note: 'That note is 501 characters; the limit is 500. Nothing was saved: shorten it and send it again.' } });
    expect((await findItem(store.db, '12'))!.history).toHaveLength(1);
  });

  test('opening the App Home publishes a dashboard', async () => {
    await command(ADMIN, '/lead', `LGA <@${DCMS_OWNER}>`);
    const response = await sendEvent(appUrl, SECRET, appHomeOpenedEvent(DCMS_OWNER));
    expect(response.status).toBe(200);
    const published = await fake.waitFor(() => fake.apiCalls('views.publish')[0]);
    expect(published.body.user_id).toBe(DCMS_OWNER);
    const home = published.body.view as Message & { type: string };
    expect(home.type).toBe('home');
    const text = readable(home);
    expect(text).toContain('*Your items* (LGA)');
    expect(text).toContain('*Overdue* (24)');
    expect(text).toContain('Not started: *80*');
  });

  test('a database failure: "not saved, try again", never a stack trace, nothing changed', async () => {
    await store.db.$executeRawUnsafe('ALTER TABLE "StatusUpdate" RENAME TO "StatusUpdateAway"');
    try {
      const { message } = await command(ADMIN, '/action', '12 done');
      expect(message.text).toMatch(/nothing was saved and nothing changed\. Please try again/);
      expect(JSON.stringify(message)).not.toMatch(/at .*\.ts:\d+|Prisma|SQLITE|relation/);
    } finally {
      await store.db.$executeRawUnsafe('ALTER TABLE "StatusUpdateAway" RENAME TO "StatusUpdate"');
    }
    expect((await findItem(store.db, '12'))!.history.map((entry) => entry.status)).toEqual(['not-started']);
  });

  test('a request with a bad signature, or a timestamp over 5 minutes old, is refused with 401', async () => {
    const body = 'command=%2Faction&text=12+done&user_id=U0ADMIN&response_url=' + encodeURIComponent(fake.responseUrl('forged'));
    const forged = await postSigned(appUrl, SECRET, body, 'application/x-www-form-urlencoded', { signature: 'v0=' + '0'.repeat(64) });
    expect(forged.status).toBe(401);
    const stale = await postSigned(appUrl, SECRET, body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    const wrongSecret = await postSigned(appUrl, 'not-the-secret', body, 'application/x-www-form-urlencoded');
    expect(wrongSecret.status).toBe(401);
    expect(fake.responses('forged')).toEqual([]);
    expect((await findItem(store.db, '12'))!.history).toHaveLength(1);
  });

  test('a request signed more than 5 minutes in the future is refused with 401 (Bolt only checks the past)', async () => {
    const body = 'command=%2Faction&text=12+done&user_id=U0ADMIN&response_url=' + encodeURIComponent(fake.responseUrl('future'));
    const future = await postSigned(appUrl, SECRET, body, 'application/x-www-form-urlencoded', { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
    expect(future.status).toBe(401);
    const slightlyAhead = await sendSlashCommand(appUrl, SECRET, { command: '/action', text: '12', user_id: STRANGER, response_url: fake.responseUrl('ahead') }, { timestamp: Math.floor(Date.now() / 1000) + 60 });
    expect(slightlyAhead.status).toBe(200); // clocks drift a little
    expect(fake.responses('future')).toEqual([]);
  });

  test('the same slash command delivered twice is applied once', async () => {
    const fields = { command: '/action', text: '12 on-track sent twice', user_id: ADMIN, response_url: fake.responseUrl('twice'), trigger_id: 'trigger-twice' };
    await Promise.all([sendSlashCommand(appUrl, SECRET, fields), sendSlashCommand(appUrl, SECRET, fields)]);
    await fake.waitFor(() => fake.responses('twice').length === 2 || null);
    expect(fake.responses('twice').map((call) => call.body.text)).toEqual(['Saved: 12 is now On track', 'Saved: 12 is now On track']);
    expect((await findItem(store.db, '12'))!.history.filter((entry) => entry.note === 'sent twice')).toHaveLength(1);
    expect(fake.apiCalls('chat.postMessage').filter((call) => String(call.body.text).includes('sent twice'))).toHaveLength(1);
  });

  test.each<[string, Fault]>([
    ['429 with Retry-After', { status: 429, headers: { 'retry-after': '1' } }],
    ['500', { status: 500 }],
    ['a dropped connection', { dropConnection: true }],
  ])('the response_url answering %s: the answer is sent again and arrives; the update is saved once', async (_, fault) => {
    fake.failNext('flaky', fault);
    const ack = await sendSlashCommand(appUrl, SECRET, { command: '/action', text: '12 at-risk flaky answer', user_id: ADMIN, response_url: fake.responseUrl('flaky') });
    expect(ack.status).toBe(200);
    const answered = await fake.waitFor(() => fake.responses('flaky').find((call) => !call.faulted), 10_000);
    expect(answered.body.text).toBe('Saved: 12 is now At risk');
    expect(fake.responses('flaky').map((call) => call.faulted)).toEqual([true, false]);
    if (fault.status === 429) expect(answered.at - fake.responses('flaky')[0].at).toBeGreaterThanOrEqual(950); // waited as told
    expect((await findItem(store.db, '12'))!.history.filter((entry) => entry.note === 'flaky answer')).toHaveLength(1);
  });

  test('a response_url that answers 404 (expired) is not retried, and the update stays saved', async () => {
    fake.failNext('expired', { status: 404, body: { ok: false, error: 'expired_url' } });
    await sendSlashCommand(appUrl, SECRET, { command: '/action', text: '12 off-track too late', user_id: ADMIN, response_url: fake.responseUrl('expired') });
    await fake.waitFor(() => fake.responses('expired')[0]);
    await new Promise((resolve) => setTimeout(resolve, 600)); // longer than the first back-off
    expect(fake.responses('expired')).toHaveLength(1);
    expect((await findItem(store.db, '12'))!.history.filter((entry) => entry.note === 'too late')).toHaveLength(1);
  });

  test('a slow response_url holds up nobody: a second command is answered while the first answer hangs', async () => {
    fake.failNext('slow', { delayMs: 2000 });
    await sendSlashCommand(appUrl, SECRET, { command: '/action', text: '12 on-track slow answer', user_id: ADMIN, response_url: fake.responseUrl('slow') });
    await fake.waitFor(() => fake.responses('slow')[0]); // arrived; Slack sits on it
    const sent = Date.now();
    const { message } = await command(ADMIN, '/action', '13 on-track meanwhile');
    expect(message.text).toBe('Saved: 13 is now On track');
    expect(Date.now() - sent).toBeLessThan(1500);
    expect(fake.responses('slow')).toHaveLength(1); // not sent again: it was slow, not failed
  });

  test('malformed, huge or wrongly encoded bodies are refused or answered kindly, and change nothing', async () => {
    const malformed = await postSigned(appUrl, SECRET, '{"type": "event_callback", "event": ', 'application/json');
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    const huge = await postSigned(appUrl, SECRET, `command=%2Faction&text=${'x'.repeat(600_000)}`, 'application/x-www-form-urlencoded');
    expect(huge.status).toBe(413);
    const latin1 = Buffer.from(`command=/action&text=12 on-track caf\xe9&user_id=${ADMIN}&trigger_id=t-latin1&response_url=${encodeURIComponent(fake.responseUrl('latin1'))}`, 'latin1').toString('latin1');
    const odd = await postSigned(appUrl, SECRET, latin1, 'application/x-www-form-urlencoded; charset=ISO-8859-1');
    expect(odd.status).toBe(400); // Slack only ever sends UTF-8
    expect(fake.responses('latin1')).toEqual([]);
    expect((await findItem(store.db, '12'))!.history).toHaveLength(1);
  });

  test('GET /healthz answers 200 with the database reachable', async () => {
    const response = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, database: 'reachable' });
  });
});
