import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { imageCommand } from '../../bench/image-command';
import { fixedClock } from '../../src/domain/clock';
import { loadPlanFiles } from '../../src/plans/plan-files';
import { openStore } from '../../src/store/client';
import { importPlans } from '../../src/store/import-plans';
import { httpBotEnv, listeningPort, SIGNING_SECRET, stop } from '../helpers/bot-process';
import { sendSlashCommand, settle, startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { IMPORTED_AT, scratchDatabase, scratchDir, TEST_DATABASE } from '../helpers/store';

const ROOT = path.resolve(__dirname, '../..');
const BOT_TOKEN = 'xoxb-compiled-bot-token-7f3a9c';
const APP_TOKEN = 'xapp-compiled-app-token-51be07';
const DB_PASSWORD = 'pg-Pa55word-e2e-93c1';
const SECRETS = [BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, DB_PASSWORD];

/** The compiled bot, started exactly as the image starts it (its CMD and NODE_OPTIONS), in production. */
function spawnCompiled(env: Record<string, string>): ChildProcess {
  const image = imageCommand(ROOT);
  return spawn(process.execPath, image.args, { cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', NODE_OPTIONS: image.nodeOptions, ...env } });
}

function startCompiled(env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawnCompiled(env);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready.test(output)) {
        clearInterval(timer);
        resolve({ child, output: () => output });
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`bot exited with ${code}: ${output}`));
    });
  });
}

/** Runs the compiled bot until it exits by itself (a start that fails) or `until` is done; its whole output. */
async function runCompiled(env: Record<string, string>, until?: () => Promise<void>): Promise<{ code: number | null; output: string }> {
  const child = spawnCompiled(env);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  if (until) await until().finally(() => child.kill('SIGTERM'));
  return { code: await exited, output };
}

/** The value of one sample in Prometheus text, by metric name and labels as written. */
function sample(metrics: string, series: string): number | null {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

function expectNoSecret(output: string) {
  for (const secret of SECRETS) expect(output).not.toContain(secret);
}

test("the image's NODE_OPTIONS cap V8's heap at 1 GiB, and node accepts them (README, \"Performance\")", () => {
  const image = imageCommand(ROOT);
  expect(image.args).toEqual(['dist/main.js']);
  const limit = execFileSync(process.execPath, ['-p', "require('v8').getHeapStatistics().heap_size_limit"], { env: { ...process.env, NODE_OPTIONS: image.nodeOptions } });
  // The limit is the old generation's 1,024 MiB plus the young generation's few tens.
  expect(Number(limit) / 2 ** 20).toBeGreaterThanOrEqual(1024);
  expect(Number(limit) / 2 ** 20).toBeLessThan(1200);
});

describe('the compiled build (node dist/main.js, as in the image)', () => {
  let fake: FakeSlack;
  beforeAll(async () => {
    // Seconds of CPU: tsc, as `npm run build` runs it for the image.
    execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: 'pipe' });
    fake = await startFakeSlack();
  }, 240_000);
  afterAll(() => fake?.close());

  test('HTTP mode: /healthz, /metrics counting a command, a refusal, sends and a retry; JSON logs with keys and no secret', async () => {
    const database = await scratchDatabase('compiled');
    // PostgreSQL here trusts local connections: a password in the URL is accepted and ignored.
    const url = TEST_DATABASE === 'postgresql' ? Object.assign(new URL(database.url), { password: DB_PASSWORD }).toString() : database.url;
    const store = await openStore(url);
    await importPlans(store.db, loadPlanFiles(), fixedClock(IMPORTED_AT));
    const lead = await store.db.lead.findUniqueOrThrow({ where: { name: 'Taskforce members' } });
    await store.db.leadOwner.create({ data: { leadId: lead.id, kind: 'user', slackId: 'U0ANN', createdAt: new Date() } });
    await store.close();
    // The start-up sweep's first post fails once: it is left to retry, and logged with its key.
    fake.failNext('chat.postMessage', { status: 500 });
    const env = httpBotEnv(url, fake.apiUrl, { SLACK_BOT_TOKEN: BOT_TOKEN, TASKFORCE_NOW: '2017-05-24T09:00', TASKFORCE_CHANNEL: 'C0TASKFORCE', LOG_LEVEL: 'debug' });
    const bot = await startCompiled(env, /mode: HTTP/);
    const base = `http://127.0.0.1:${listeningPort(bot.output())}`;
    await settle(fake, 1000);

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, database: 'reachable' });
    await sendSlashCommand(`${base}/slack/events`, SIGNING_SECRET, { command: '/action', text: '12 on-track', user_id: 'U0ADMIN', response_url: fake.responseUrl('update') });
    await sendSlashCommand(`${base}/slack/events`, SIGNING_SECRET, { command: '/action', text: '12 ontrak', user_id: 'U0ADMIN', response_url: fake.responseUrl('typo') });
    await fake.waitFor(() => fake.responses('update')[0] && fake.responses('typo')[0]);
    expect(String(fake.responses('update')[0].body.text)).toContain('Saved: 12');
    // /metrics is not behind the signature check, and the check still holds for Slack's endpoint.
    expect((await fetch(`${base}/slack/events`, { method: 'POST', body: 'command=/action' })).status).toBe(401);

    // The start-up sweep may still be sending on a busy machine: scrape once it is over.
    const scrape = async () => {
      const response = await fetch(`${base}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      return response.text();
    };
    let metrics = await scrape();
    for (let tries = 0; tries < 100 && sample(metrics, 'taskforce_sweep_seconds_count{outcome="ok"}') === null; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      metrics = await scrape();
    }
    expect(sample(metrics, 'taskforce_commands_total{command="/action",outcome="answered"}')).toBe(1);
    expect(sample(metrics, 'taskforce_commands_total{command="/action",outcome="refused"}')).toBe(1);
    expect(sample(metrics, 'taskforce_answer_seconds_count{command="/action"}')).toBe(2);
    expect(sample(metrics, 'taskforce_ack_seconds_count')).toBe(2);
    expect(sample(metrics, 'taskforce_sends_total{kind="reminders",outcome="retried"}')).toBe(1);
    expect(sample(metrics, 'taskforce_sends_total{kind="reminders",outcome="sent"}')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'taskforce_ledger_pending')).toBe(1);
    expect(sample(metrics, 'taskforce_ledger_oldest_pending_seconds')).toBe(0); // the clock is fixed at the claim's instant
    expect(sample(metrics, 'taskforce_sweep_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'taskforce_database_errors_total')).toBe(0);
    expect(sample(metrics, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    expect(await stop(bot.child)).toBe(0);
    const lines = bot
      .output()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: string; msg: string; request?: string; send?: string; command?: string });
    expect(lines.some((line) => /will be retried/.test(line.msg) && line.level === 'warn' && /^reminders:/.test(line.send ?? ''))).toBe(true);
    // Bolt's own lines about each command (at debug) carry its request key and name.
    const aboutCommands = lines.filter((line) => line.command === '/action');
    expect(new Set(aboutCommands.map((line) => line.request)).size).toBe(2);
    expect(aboutCommands.every((line) => /^trigger-/.test(line.request ?? ''))).toBe(true);
    expectNoSecret(bot.output());
    await database.drop();
  }, 120_000);

  test('starts that fail (Socket Mode refused by Slack, PostgreSQL unreachable) log no token, secret or password', async () => {
    const socket = await runCompiled({
      DATABASE_URL: `file:${path.join(scratchDir('compiled-socket'), 'test.db')}`,
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_APP_TOKEN: APP_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      LOG_LEVEL: 'debug',
    }, async () => {
      // The stand-in answers apps.connections.open without a socket URL: the client keeps trying.
      await fake.waitFor(() => fake.apiCalls('apps.connections.open').length > 0, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
    });
    // At debug the Web API client logs each call it makes, with the app token in its headers.
    expect(socket.output).toContain("apiCall('apps.connections.open') start");
    expect(fake.apiCalls('apps.connections.open')[0].headers.authorization).toBe(`Bearer ${APP_TOKEN}`);
    expectNoSecret(socket.output);

    const postgres = await runCompiled({ DATABASE_URL: `postgresql://bot:${DB_PASSWORD}@127.0.0.1:9/taskforce`, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET, LOG_LEVEL: 'debug' });
    expect(postgres.code).toBe(1);
    expect(postgres.output).toContain('failed to start');
    expect(postgres.output).toContain('ECONNREFUSED');
    expectNoSecret(postgres.output);
  }, 60_000);

  test('the console with METRICS_PORT serves /metrics on that port', async () => {
    const database = await scratchDatabase('compiled-console');
    const bot = await startCompiled({ DATABASE_URL: database.url, SLACK_BOT_TOKEN: '', SLACK_SIGNING_SECRET: '', SLACK_APP_TOKEN: '', METRICS_PORT: '0', TASKFORCE_NOW: '2017-05-15T09:00' }, /taskforce \(console\)>/);
    const port = Number(/metrics: GET \/metrics on port (\d+)/.exec(bot.output())![1]);
    const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    // The start-up sweep has run; a minute's sweep may have joined it if the clock crossed a minute.
    expect(sample(metrics, 'taskforce_sweep_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(sample(metrics, 'taskforce_ledger_pending')).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/slack/events`)).status).toBe(404);
    bot.child.stdin!.end('/quit\n');
    await new Promise((resolve) => bot.child.on('exit', resolve));
    await database.drop();
  }, 60_000);
});

// An image build takes minutes: defined only with TEST_DOCKER=1, where a Docker daemon answers.
if (process.env.TEST_DOCKER === '1') describe('the Docker image (TEST_DOCKER=1)', () => {
  test('builds, runs as node in HTTP mode on a scratch SQLite volume, answers /healthz and /metrics', async () => {
    const tag = `taskforce-bot-test:${process.pid}`;
    execFileSync('docker', ['build', '-t', tag, '.'], { cwd: ROOT, stdio: 'inherit' });
    const name = `taskforce-test-${process.pid}`;
    const volume = `taskforce-test-data-${process.pid}`;
    try {
      execFileSync('docker', ['run', '-d', '--name', name, '-p', '127.0.0.1::3000', '-v', `${volume}:/app/data`, '-e', `SLACK_BOT_TOKEN=${BOT_TOKEN}`, '-e', `SLACK_SIGNING_SECRET=${SIGNING_SECRET}`, tag]);
      expect(execFileSync('docker', ['exec', name, 'id', '-un']).toString().trim()).toBe('node');
      const port = execFileSync('docker', ['port', name, '3000']).toString().trim().split(':').pop();
      let health: Response | null = null;
      for (let tries = 0; tries < 100 && !health?.ok; tries++) {
        health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        if (!health?.ok) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(health?.status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('taskforce_ledger_pending');
      expectNoSecret(execFileSync('docker', ['logs', name], { stdio: 'pipe' }).toString());
    } finally {
      execFileSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
      execFileSync('docker', ['volume', 'rm', '-f', volume], { stdio: 'ignore' });
    }
  }, 900_000);
});
