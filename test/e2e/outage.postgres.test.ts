import net from 'node:net';
import { LogLevel } from '@slack/bolt';
import { fixedClock } from '../../src/domain/clock';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { startScheduler } from '../../src/jobs/scheduler';
import { startSlackApp } from '../../src/slack/app';
import { openStore } from '../../src/store/client';
import { findItem } from '../../src/store/tracked-items';
import { sendSlashCommand, startFakeSlack } from '../helpers/slack-stand-in';
import { freshStore, TIME_ZONE } from '../helpers/store';

const SECRET = 'test-signing-secret-0123456789';

/**
 * A TCP proxy in front of PostgreSQL that the test can cut and restore: to the bot, the same as the
 * server restarting (every connection dropped, nothing answering for a while).
 */
async function startProxy(target: { host: string; port: number }) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(target.port, target.host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => socket.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    port: () => port,
    async cut() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server!.close(() => resolve()));
    },
    restore: listen,
  };
}

describe('PostgreSQL restarted while the bot runs', () => {
  test('a command during the outage gets "try again" and changes nothing; once it is back the bot serves again', async () => {
    const fake = await startFakeSlack();
    const store = await freshStore();
    const direct = new URL(store.url);
    const proxy = await startProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(store.url);
    viaProxy.host = `127.0.0.1:${proxy.port()}`;
    const bot = await openStore(viaProxy.toString());
    const config = {
      databaseUrl: viaProxy.toString(),
      timeZone: TIME_ZONE,
      fixedNow: null,
      channel: null,
      admins: ['U0ADMIN'],
      slack: { mode: 'http' as const, botToken: 'xoxb-test', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
      reminders: DEFAULT_REMINDER_SETTINGS,
      digest: DEFAULT_DIGEST_SCHEDULE,
    };
    const running = await startSlackApp(config, bot, fixedClock(new Date('2017-05-15T08:00:00Z')), { logLevel: LogLevel.ERROR });
    const logged: string[] = [];
    const scheduler = startScheduler({ ...running.jobs, log: (line) => logged.push(line) }, { expression: '* * * * * *' });
    const appUrl = `http://127.0.0.1:${running.port}/slack/events`;
    let sequence = 0;
    const command = async (text: string) => {
      const id = `r${++sequence}`;
      const ack = await sendSlashCommand(appUrl, SECRET, { command: '/action', text, user_id: 'U0ADMIN', response_url: fake.responseUrl(id) });
      expect(ack.status).toBe(200);
      return String((await fake.waitFor(() => fake.responses(id)[0], 20_000)).body.text);
    };

    try {
      expect(await command('12 on-track')).toBe('Saved: 12 is now On track');

      await proxy.cut();
      expect(await command('12 at-risk during the outage')).toMatch(/nothing was saved and nothing changed\. Please try again/);
      const health = await fetch(`http://127.0.0.1:${running.port}/healthz`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ ok: false, database: 'unreachable' });
      await new Promise((resolve) => setTimeout(resolve, 1500)); // a sweep or two fail, and are logged
      expect(logged.some((line) => line.startsWith('sweep failed (it will run again)'))).toBe(true);

      await proxy.restore();
      expect(await command('12 blocked after the outage')).toBe('Saved: 12 is now Blocked');
      expect((await fetch(`http://127.0.0.1:${running.port}/healthz`)).status).toBe(200);
      const history = (await findItem(store.db, '12'))!.history.map((entry) => [entry.status, entry.note]);
      expect(history).toEqual([
        ['not-started', null],
        ['on-track', null],
        ['blocked', 'after the outage'],
      ]);
    } finally {
      await scheduler.stop();
      await running.stop();
      await bot.close();
      await proxy.cut().catch(() => undefined);
      await store.close();
      await fake.close();
    }
  }, 60_000);
});
