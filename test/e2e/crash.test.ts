import { openStore } from '../../src/store/client';
import { fixedClock } from '../../src/domain/clock';
import { loadPlanFiles } from '../../src/plans/plan-files';
import { importPlans } from '../../src/store/import-plans';
import { httpBotEnv, startBot, stop } from '../helpers/bot-process';
import { settle, startFakeSlack, type RecordedCall } from '../helpers/slack-stand-in';
import { IMPORTED_AT, scratchDatabase } from '../helpers/store';

/** The ledger key each tracked send carries in its metadata. */
function trackedKeys(calls: RecordedCall[]): string[] {
  return calls
    .filter((call) => call.kind === 'api' && call.method === 'chat.postMessage' && !call.faulted)
    .map((call) => (call.body.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key)
    .filter((key): key is string => key !== undefined);
}

describe('the bot killed (SIGKILL) in the middle of a sweep, then started again', () => {
  test('every reminder goes out, none twice: the one in flight is found in Slack, not sent again, and the rest of its batch is sent once', async () => {
    const fake = await startFakeSlack();
    const database = await scratchDatabase('crash');
    const store = await openStore(database.url);
    await importPlans(store.db, loadPlanFiles(), fixedClock(IMPORTED_AT));
    const lead = await store.db.lead.findUniqueOrThrow({ where: { name: 'Taskforce members' } });
    await store.db.leadOwner.create({ data: { leadId: lead.id, kind: 'user', slackId: 'U0ANN', createdAt: IMPORTED_AT } });
    await store.close();
    const env = httpBotEnv(database.url, fake.apiUrl, { TASKFORCE_NOW: '2017-05-24T09:00', TASKFORCE_CHANNEL: 'C0TASKFORCE' });
    try {
      // Slack answers every post slowly, so the bot is killed waiting for the answer to its second
      // (the sweep's messages: Ann's DM, the escalations, the unmapped leads' reminders).
      fake.failNext('chat.postMessage', { delayMs: 1000 }, 10_000);
      const first = await startBot(env);
      await fake.waitFor(() => trackedKeys(fake.calls).length >= 2 || null, 30_000);
      first.child.removeAllListeners('exit');
      const killed = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await killed;

      const atKill = await openStore(database.url);
      const inFlight = (await atKill.db.notification.findMany({ where: { status: 'sending', batchKey: null }, select: { key: true } })).map((row) => row.key);
      await atKill.close();
      // Messages are claimed a batch at a time and sent one at a time: claimed, then sent, then marked.
      // So the bot leaves behind the one in flight and those of its batch still waiting their turn.
      expect(inFlight.length).toBeGreaterThanOrEqual(1);
      // Slack takes a message as the request arrives: the one in flight, and only it, is already in the DM or channel.
      const takenAtKill = fake.posted().filter((message) => inFlight.includes((message.metadata as { event_payload: { key: string } } | undefined)?.event_payload.key ?? ''));
      expect(takenAtKill).toHaveLength(1);
      fake.clearFaults();

      // Ten minutes on, the dead copy's lease on its send has run out: the new one takes it over.
      const second = await startBot({ ...env, TASKFORCE_NOW: '2017-05-24T09:10' });
      await settle(fake);
      expect(await stop(second.child)).toBe(0);

      const posted = fake.posted().flatMap((message) => (message.metadata as { event_payload: { key: string } } | undefined)?.event_payload.key ?? []);
      const reopened = await openStore(database.url);
      const rows = await reopened.db.notification.findMany({ select: { key: true, status: true, slackTs: true, batchKey: true } });
      await reopened.close();
      const ledger = rows.filter((row) => row.batchKey === null); // the messages; the rest are the reminders in them
      expect(rows.length - ledger.length).toBeGreaterThan(10);
      expect(rows.filter((row) => row.status !== 'sent')).toEqual([]); // nothing left behind
      expect(new Set(posted)).toEqual(new Set(ledger.map((row) => row.key))); // every one went out
      expect(rows.every((row) => row.batchKey === null || posted.includes(row.batchKey))).toBe(true); // each reminder in a message that went out
      expect(posted).toHaveLength(new Set(posted).size); // none twice
      // The send in flight at the kill was looked for in Slack before it was retried, and found if it was there.
      expect(fake.calls.some((call) => call.method === 'conversations.history')).toBe(true);
      const [inSlack] = takenAtKill;
      expect(ledger.find((row) => row.key === (inSlack.metadata as { event_payload: { key: string } }).event_payload.key)?.slackTs).toBe(inSlack.ts);
    } finally {
      await fake.close();
      await database.drop();
    }
  }, 120_000);
});
