import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixedClock } from '../../src/domain/clock';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { startSlackApp, type RunningSlackApp } from '../../src/slack/app';
import { findItem } from '../../src/store/tracked-items';
import { createLog } from '../../src/log';
import { blockActionPayload, sendInteraction, sendSlashCommand, startFakeSlack, viewSubmissionPayload, type FakeSlack } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

const SECRET = 'test-signing-secret-0123456789';
const ADMIN = 'U0ADMIN';
const NOW = new Date('2017-05-15T08:00:00Z');
const NOT_SETTABLE = 'That is not a status you can set. Use one of: on-track, at-risk, off-track, blocked, done. Nothing was changed.';

describe('forged and hostile requests over HTTP', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp;
  let appUrl: string;
  let errors: string[];

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    errors = [];
    // What the bot logs (Bolt's lines included), read back.
    const log = createLog({ level: 'error', json: true, secrets: [], write: (line) => void errors.push(line) });
    store = await freshStore();
    running = await startSlackApp(
      {
        databaseUrl: store.url,
        timeZone: TIME_ZONE,
        fixedNow: NOW,
        channel: 'C0TASKFORCE',
        admins: [ADMIN],
        slack: { mode: 'http', botToken: 'xoxb-test-token', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
        reminders: DEFAULT_REMINDER_SETTINGS,
        digest: DEFAULT_DIGEST_SCHEDULE,
      },
      store,
      fixedClock(NOW),
      { log },
    );
    appUrl = `http://127.0.0.1:${running.port}/slack/events`;
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
  });

  const history = async () => (await findItem(store.db, '12'))!.history;
  const submit = (metadata: string) =>
    sendInteraction(appUrl, SECRET, viewSubmissionPayload({ userId: ADMIN, callbackId: 'status-note', privateMetadata: metadata, values: { note: { 'note-input': { type: 'plain_text_input', value: 'forged' } } } }));

  describe('issue 12 item 2: a status that is not a status cannot be written', () => {
    test.each(['pwned', 'not-started', ''])('a forged view_submission with status "%s" is refused in the modal, and nothing is written', async (status) => {
      const response = await submit(JSON.stringify({ ref: '12', status, responseUrl: fake.responseUrl('forged') }));
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body)).toEqual({ response_action: 'errors', errors: { note: NOT_SETTABLE } });
      expect(await history()).toHaveLength(1);
      expect(await store.db.statusUpdate.count()).toBe(await store.db.planItem.count());
    });

    test.each(['not json', 'null', '[]', '{"ref":12}'])('a view_submission whose metadata is damaged (%s) is refused in the modal, and nothing is written', async (metadata) => {
      const response = await submit(metadata);
      expect(JSON.parse(response.body)).toEqual({
        response_action: 'errors',
        errors: { note: 'That button or form is out of date or damaged, so nothing was changed: run `/action <item>` again for fresh buttons.' },
      });
      expect(await history()).toHaveLength(1);
    });

    test('a forged set-status:not-started button opens no modal and says why', async () => {
      await sendInteraction(appUrl, SECRET, blockActionPayload({ userId: ADMIN, actionId: 'set-status:not-started', value: '12', responseUrl: fake.responseUrl('button') }));
      const answer = (await fake.waitFor(() => fake.responses('button')[0])).body;
      expect(answer).toMatchObject({ response_type: 'ephemeral', replace_original: false, text: NOT_SETTABLE });
      expect(fake.apiCalls('views.open')).toEqual([]);
      expect(await history()).toHaveLength(1);
    });
  });

  test('a forged Previous / Next button that would change something is refused: paging only re-runs lists', async () => {
    const value = JSON.stringify({ command: '/action', text: '12 done', page: 2 });
    await sendInteraction(appUrl, SECRET, blockActionPayload({ userId: ADMIN, actionId: 'page:next', value, responseUrl: fake.responseUrl('page') }));
    const answer = (await fake.waitFor(() => fake.responses('page')[0])).body as { text: string; replace_original: boolean };
    expect(answer.replace_original).toBe(false);
    expect(await history()).toHaveLength(1);
  });

  describe('issue 12 item 9: answers go only to Slack\'s response URLs', () => {
    let elsewhere: http.Server;
    let elsewhereUrl: string;
    let reached: string[];
    beforeEach(async () => {
      reached = [];
      elsewhere = http.createServer((request, response) => {
        reached.push(request.url ?? '');
        response.end('ok');
      });
      await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.2', resolve));
      elsewhereUrl = `http://127.0.0.2:${(elsewhere.address() as AddressInfo).port}`;
    });
    afterEach(() => new Promise<void>((resolve) => elsewhere.close(() => resolve())));

    const refusedLine = () => errors.find((line) => line.includes(`refused to answer at 127.0.0.2:`));

    test('a slash command whose response_url names another host: carried out, not posted there, logged by host only', async () => {
      const ack = await sendSlashCommand(appUrl, SECRET, { command: '/action', text: '12', user_id: ADMIN, response_url: `${elsewhereUrl}/hooks/secret-token` });
      expect(ack.status).toBe(200);
      const line = await fake.waitFor(refusedLine);
      expect(line).toContain("a response_url must be Slack's (https://hooks.slack.com/)");
      expect(line).not.toContain('secret-token');
      expect(reached).toEqual([]);
    });

    test('a modal whose metadata names another host: the update is saved, the message is not posted there', async () => {
      const response = await submit(JSON.stringify({ ref: '12', status: 'on-track', responseUrl: `${elsewhereUrl}/steal` }));
      expect(response.status).toBe(200);
      await fake.waitFor(refusedLine);
      expect(reached).toEqual([]);
      expect((await history()).at(-1)).toMatchObject({ status: 'on-track', actor: ADMIN, note: 'forged' });
    });

    test('a button whose response_url names another host is not answered there', async () => {
      await sendInteraction(appUrl, SECRET, blockActionPayload({ userId: 'U0STRANGER', actionId: 'set-status:done', value: '12', responseUrl: `${elsewhereUrl}/steal` }));
      await fake.waitFor(refusedLine);
      expect(reached).toEqual([]);
    });
  });
});
