import path from 'node:path';
import { spawn } from 'node:child_process';
import { openStore } from '../../src/store/client';
import { httpBotEnv, listeningPort, SIGNING_SECRET, startBot, stop } from '../helpers/bot-process';
import { postSigned, sendSlashCommand, startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { scratchDatabase } from '../helpers/store';

// The bot as its own process, on SQLite only: what is under test is whether the process stays up
// (or stops as it should), which does not depend on the database.

const ROOT = path.resolve(__dirname, '../..');
const FAULTS = path.join(ROOT, 'test/fixtures/inject-fault.js');

describe('the bot process under hostile requests and stray errors', () => {
  let fake: FakeSlack;
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    database = await scratchDatabase('hostile');
  });
  afterEach(() => database.drop());

  async function bot(extra: Record<string, string> = {}) {
    const started = await startBot(httpBotEnv(database.url, fake.apiUrl, { TASKFORCE_NOW: '2017-05-15T09:00', ...extra }));
    return { ...started, url: `http://127.0.0.1:${listeningPort(started.output())}/slack/events` };
  }

  async function answered(url: string, id: string, text = '12') {
    const ack = await sendSlashCommand(url, SIGNING_SECRET, { command: '/action', text, user_id: 'U0ADMIN', response_url: fake.responseUrl(id) });
    expect(ack.status).toBe(200);
    return (await fake.waitFor(() => fake.responses(id)[0], 15_000)).body.text as string;
  }

  test('issue 12 item 3: a signed JSON body of null (or any body that is not an object) is refused with 400, and the bot keeps serving', async () => {
    const { child, url, output } = await bot();
    try {
      const bodies: [string, string][] = [
        ['null', 'application/json'],
        ['[]', 'application/json'],
        ['"ssl_check"', 'application/json'],
        ['42', 'application/json'],
        ['payload=null', 'application/x-www-form-urlencoded'],
        ['payload=%5B1%5D', 'application/x-www-form-urlencoded'],
        ['payload=%7Bnot%20json', 'application/x-www-form-urlencoded'],
      ];
      for (const [body, type] of bodies) {
        const response = await postSigned(url, SIGNING_SECRET, body, type);
        expect([body, response.status]).toEqual([body, 400]);
      }
      // Unsigned, the same body is refused for its signature; the signature check still runs.
      expect((await postSigned(url, 'not-the-secret', 'null', 'application/json')).status).toBe(401);
      expect(await answered(url, 'after-null')).toMatch(/^12: Not started/);
      expect(child.exitCode).toBeNull();
      expect(output()).not.toMatch(/TypeError/);
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 60_000);

  test('issue 12 item 3: an unhandled rejection is logged and the bot keeps serving', async () => {
    const { child, url, output } = await bot({ NODE_OPTIONS: `--require ${FAULTS}`, INJECT_FAULT: 'rejection' });
    try {
      child.kill('SIGUSR2');
      await fake.waitFor(() => output().includes('unhandled rejection (still serving): Error: injected rejection'), 10_000);
      expect(await answered(url, 'after-rejection', '12 on-track still here')).toBe('Saved: 12 is now On track');
      expect(child.exitCode).toBeNull();
    } finally {
      expect(await stop(child)).toBe(0);
    }
  }, 60_000);

  test('issue 12 item 3: an uncaught exception is logged, what was acknowledged is finished, and the bot exits 1', async () => {
    const { child, url, output } = await bot({ NODE_OPTIONS: `--require ${FAULTS}`, INJECT_FAULT: 'exception' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const ack = await sendSlashCommand(url, SIGNING_SECRET, { command: '/action', text: '12 done before the fault', user_id: 'U0ADMIN', response_url: fake.responseUrl('in-flight') });
    expect(ack.status).toBe(200);
    child.kill('SIGUSR2');
    expect(await exited).toBe(1);
    expect(output()).toContain('uncaught exception: Error: injected exception');
    expect(output()).toContain('stopping after an uncaught exception');
    expect(fake.responses('in-flight').map((call) => call.body.text)).toEqual(['Saved: 12 is now Done']);
    const store = await openStore(database.url);
    expect(await store.db.statusUpdate.count({ where: { note: 'before the fault' } })).toBe(1);
    await store.close();
  }, 60_000);

  test('issue 12 item 14: 300 unsigned requests make one log line and a count, not 300 lines', async () => {
    const { child, url, output } = await bot();
    const body = 'command=%2Faction&text=12+done&user_id=U0ADMIN';
    for (let batch = 0; batch < 10; batch++) {
      const statuses = await Promise.all(
        Array.from({ length: 30 }, () => postSigned(url, SIGNING_SECRET, body, 'application/x-www-form-urlencoded', { signature: `v0=${'0'.repeat(64)}` }).then((r) => r.status)),
      );
      expect(new Set(statuses)).toEqual(new Set([401]));
    }
    expect(await answered(url, 'signed')).toMatch(/^12: Not started/); // signed requests still go through
    expect(await stop(child)).toBe(0);
    const lines = output().split('\n').filter((line) => /signature|verify/i.test(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('refused a request without a valid Slack signature (401)');
    expect(lines[1]).toContain('refused 299 more requests without a valid Slack signature in the last minute');
  }, 60_000);
});

describe('issue 12 item 15: a SQLite file in a folder that cannot be made', () => {
  test('DATABASE_URL=file:/proc/x/x.db stops the start at once with one clear line and exit 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: 'file:/proc/x/x.db', SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '' } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(output.trim().split('\n')).toEqual(['taskforce-bot: DATABASE_URL names /proc/x/x.db, but its folder /proc/x cannot be created or written (ENOENT)']);
  }, 30_000);
});
