import { openStore } from '../../src/store/client';
import { httpBotEnv, listeningPort, startBot, stop } from '../helpers/bot-process';
import { sendSlashCommand, settle, startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { fixedClock } from '../../src/domain/clock';
import { loadPlanFiles } from '../../src/plans/plan-files';
import { importPlans } from '../../src/store/import-plans';
import { IMPORTED_AT, scratchDatabase } from '../helpers/store';

const CHANNEL = 'C0TASKFORCE';

describe('two copies of the bot on one database', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());

  test('each reminder and the digest go out exactly once; a restart sends nothing again', async () => {
    const database = await scratchDatabase('processes');
    const url = database.url;
    const store = await openStore(url);
    await importPlans(store.db, loadPlanFiles(), fixedClock(IMPORTED_AT));
    const lead = await store.db.lead.findUniqueOrThrow({ where: { name: 'Taskforce members' } });
    await store.db.leadOwner.create({ data: { leadId: lead.id, kind: 'user', slackId: 'U0ANN', createdAt: new Date() } });
    await store.db.meeting.create({ data: { startsAt: new Date('2017-05-26T13:00:00Z'), createdBy: 'U0ADMIN', createdAt: new Date('2017-05-01T00:00:00Z') } });
    await store.close();
    const env = httpBotEnv(url, fake.apiUrl, { TASKFORCE_NOW: '2017-05-24T09:00', TASKFORCE_CHANNEL: CHANNEL });
    const bots = await Promise.all([startBot(env), startBot(env)]);

    // Status updates sent to both copies at once are all kept, each once.
    const ports = bots.map((bot) => listeningPort(bot.output()));
    await Promise.all(
      Array.from({ length: 30 }, (_, n) =>
        sendSlashCommand(`http://127.0.0.1:${ports[n % 2]}/slack/events`, env.SLACK_SIGNING_SECRET, {
          command: '/action',
          text: `12 on-track update ${n}`,
          user_id: 'U0ADMIN',
          response_url: fake.responseUrl(`update-${n}`),
        }),
      ),
    );
    await fake.waitFor(() => Array.from({ length: 30 }, (_, n) => fake.responses(`update-${n}`)[0]).every(Boolean) || null, 30_000);
    await settle(fake, 2000);
    expect(await Promise.all(bots.map((bot) => stop(bot.child)))).toEqual([0, 0]);

    // Tracked sends carry their ledger key (a digest's thread replies, their parent's ts); announcements of updates neither.
    const posts = fake.apiCalls('chat.postMessage').filter((call) => !call.faulted && (call.body.metadata !== undefined || call.body.thread_ts !== undefined));
    const keys = posts.map((call) => (call.body.metadata as { event_payload: { key: string } } | undefined)?.event_payload.key ?? `thread of ${call.body.thread_ts}`);
    const summaryKeys = keys.filter((key) => /^digest:\d+$/.test(key));
    expect(summaryKeys).toHaveLength(1);
    const messageKeys = keys.filter((key) => key.startsWith('reminders:'));
    expect(messageKeys.length).toBeGreaterThan(1); // Ann's DM, the unmapped leads, the escalations
    expect(new Set(messageKeys).size).toBe(messageKeys.length);
    const reopened = await openStore(url);
    const sent = await reopened.db.notification.count({ where: { status: 'sent', batchKey: null } });
    // The digest's charts are uploads into its thread, each once, whichever copy sent it.
    const charts = fake.uploads().filter((upload) => upload.completed);
    expect(charts.map((upload) => upload.filename.replace(/\d+/, 'N')).sort()).toEqual(['digest-N-chart-status.png', 'digest-N-chart-themes.png']);
    expect(sent).toBe(posts.length + charts.length);
    // Each reminder is in one message that went out, whichever copy sent it.
    const reminders = await reopened.db.notification.findMany({ where: { key: { startsWith: 'reminder:' } } });
    expect(reminders.length).toBeGreaterThan(10);
    expect(reminders.every((row) => row.status === 'sent' && messageKeys.includes(row.batchKey!))).toBe(true);
    const notes = (await reopened.db.statusUpdate.findMany({ where: { item: { ref: '12' }, source: 'command' } })).map((entry) => entry.note);
    expect(notes.sort()).toEqual(Array.from({ length: 30 }, (_, n) => `update ${n}`).sort());
    expect(fake.calls.filter((call) => call.kind === 'response' && String(call.body.text).startsWith('Saved: 12'))).toHaveLength(30);
    await reopened.close();

    const before = fake.apiCalls('chat.postMessage').length;
    const again = await startBot(env);
    await settle(fake, 2000);
    expect(await stop(again.child)).toBe(0);
    expect(fake.apiCalls('chat.postMessage')).toHaveLength(before);
    await database.drop();
  }, 120_000);
});

describe('graceful shutdown', () => {
  test('SIGTERM: a command in flight is still answered and saved, then the bot exits 0 and takes no more requests', async () => {
    const fake = await startFakeSlack();
    const database = await scratchDatabase('shutdown');
    const env = httpBotEnv(database.url, fake.apiUrl, { TASKFORCE_NOW: '2017-05-15T09:00' });
    const bot = await startBot(env);
    try {
      const port = listeningPort(bot.output());
      const url = `http://127.0.0.1:${port}/slack/events`;
      // Acked at once; the answer (to response_url) and the save are still under way when SIGTERM comes.
      const ack = await sendSlashCommand(url, env.SLACK_SIGNING_SECRET, { command: '/action', text: '12 done last word', user_id: 'U0ADMIN', response_url: fake.responseUrl('last') });
      expect(ack.status).toBe(200);
      const exitCode = await stop(bot.child);
      if (exitCode !== 0) throw new Error(`exit ${exitCode}: ${bot.output()}`);
      expect(bot.output()).toContain('SIGTERM: stopping');
      expect(fake.responses('last').map((call) => call.body.text)).toEqual(['Saved: 12 is now Done']);
      await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
      const store = await openStore(database.url);
      expect(await store.db.statusUpdate.count({ where: { note: 'last word' } })).toBe(1);
      await store.close();
    } finally {
      bot.child.kill('SIGKILL');
      await database.drop();
      await fake.close();
    }
  }, 60_000);
});
