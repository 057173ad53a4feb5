/**
 * npm run bench: figures, measured side by side in one run on this machine. Prints a table and
 * writes bench/results.json. Compare the ratios; absolute numbers move with the machine's load.
 *
 * 1. Slash commands over real HTTP, signed, through the full app on a real SQLite file, beside a
 *    bare Bolt app answering a fixed text to the same signed request: p50/p95/p99 of the ack and
 *    throughput at 1, 10 and 50 concurrent requests.
 * 2. The reminder sweep and the digest build for synthetic plans of 25 to 100,000 items.
 * 3. Resident memory: idle, and at the end of the load.
 * 4. Start-up to ready (listening) of the compiled build (`node dist/main.js`, as in the image) and
 *    of `node --import tsx src/main.ts`, on a new database and a migrated one; the compiled bot's
 *    idle resident memory, read from its /metrics.
 * 5. Each chart for a 10,000-item plan (BENCH_CHART_SIZE), as of 1 March 2020 (40 months):
 *    counting its numbers from the items, then drawing the PNG.
 */
import { execFileSync, fork, spawn } from 'node:child_process';
import { calendarFeed } from '../src/export/calendar';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { fixedClock } from '../src/domain/clock';
import { buildDigest } from '../src/domain/digest';
import { DEFAULT_REMINDER_SETTINGS } from '../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../src/jobs/digests';
import { sweep } from '../src/jobs/sweep';
import type { Sender } from '../src/jobs/sender';
import { noticeReply } from '../src/slack/blocks/notices';
import { loadPlanFiles } from '../src/plans/plan-files';
import { startSlackApp } from '../src/slack/app';
import { openStore, type Store } from '../src/store/client';
import { importPlans } from '../src/store/import-plans';
import { loadItems, loadMeetings } from '../src/store/tracked-items';
import { CHART_KINDS } from '../src/domain/charts';
import { renderChart } from '../src/charts/render';
import { chartData } from '../src/taskforce/charts';
import type { LoadJob, LoadResult } from './load-client';
import { soak } from './soak';

const SECRET = 'bench-signing-secret-0123456789';
/** Fifty people, all admins (so that each may update any item): one per concurrent sender. */
const USERS = Array.from({ length: 50 }, (_, n) => `U0B${String(n).padStart(3, '0')}`);
const ZONE = 'Europe/London';
const NOW = new Date('2017-05-15T08:00:00Z');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'taskforce-bench-'));
const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, at: new Date().toISOString() };

const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);

async function fresh(name: string): Promise<Store> {
  const store = await openStore(`file:${path.join(scratch, `${name}.db`)}`);
  await importPlans(store.db, loadPlanFiles(), fixedClock(new Date('2016-09-01T00:00:00Z')));
  return store;
}

/** The load generator and Slack stand-in, in a child process of their own (bench/load-client.ts). */
async function startLoadClient() {
  const child = fork(path.join(__dirname, 'load-client.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const nextMessage = () =>
    new Promise<{ ready?: { apiUrl: string }; result?: LoadResult; error?: string }>((resolve, reject) => {
      const exited = (code: number | null) => reject(new Error(`the load client exited (${code})`));
      child.once('exit', exited);
      child.once('message', (message) => {
        child.off('exit', exited);
        resolve(message as { ready?: { apiUrl: string }; result?: LoadResult; error?: string });
      });
    });
  const { ready } = await nextMessage();
  return {
    apiUrl: ready!.apiUrl,
    async load(job: Omit<LoadJob, 'secret'>): Promise<LoadResult> {
      child.send({ ...job, secret: SECRET });
      const { result, error } = await nextMessage();
      if (error) throw new Error(error);
      return result!;
    },
    stop: () => child.kill(),
  };
}

async function bareBolt(apiUrl: string): Promise<{ url: string; close(): void }> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
  const app = new App({ receiver, token: 'xoxb-bench', clientOptions: { slackApiUrl: apiUrl }, logLevel: LogLevel.ERROR });
  app.command('/action', async ({ ack }) => ack('ok'));
  const server = http.createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/slack/events`, close: () => server.close() };
}

async function commands() {
  const client = await startLoadClient();
  const store = await fresh('commands');
  const running = await startSlackApp(
    {
      databaseUrl: '',
      timeZone: ZONE,
      fixedNow: NOW,
      channel: 'C0BENCH',
      admins: USERS,
      slack: { mode: 'http', botToken: 'xoxb-bench', signingSecret: SECRET, port: 0, apiUrl: client.apiUrl },
      reminders: DEFAULT_REMINDER_SETTINGS,
      digest: DEFAULT_DIGEST_SCHEDULE,
    },
    store,
    fixedClock(NOW),
    { logLevel: LogLevel.ERROR },
  );
  const bare = await bareBolt(client.apiUrl);
  const app = `http://127.0.0.1:${running.port}/slack/events`;
  results.memoryIdleMiB = rssMiB();
  const cases = [
    { what: 'bare Bolt, fixed text', url: bare.url, command: '/action', text: '12', answers: false },
    { what: '/action 12', url: app, command: '/action', text: '12', answers: true },
    { what: '/action 12 on-track …', url: app, command: '/action', text: '12 on-track bench {n}', answers: true },
    { what: '/overdue', url: app, command: '/overdue', text: '', answers: true },
  ];
  const rows: Record<string, unknown>[] = [];
  for (const concurrency of [1, 10, 50]) {
    for (const { what, ...job } of cases) {
      // Warm up at the same concurrency: the JIT, and one kept-alive connection per client, so
      // the figures are the app's and not the load client opening connections one by one.
      await client.load({ ...job, concurrency, total: concurrency * 4, users: USERS });
      // Each case starts from the imported plan: otherwise /action 12 at 50 would read the
      // thousands of updates the bench itself piled onto item 12 (decades of a real lead's).
      await store.db.statusUpdate.deleteMany({ where: { source: { not: 'import' } } });
      const { ack, answer, perSecond } = await client.load({ ...job, concurrency, total: Math.max(200, concurrency * 20), users: USERS });
      rows.push({ what, concurrency, 'ack p50': ack.p50, 'ack p95': ack.p95, 'ack p99': ack.p99, 'answer p50': answer?.p50 ?? '', 'answer p99': answer?.p99 ?? '', perSecond });
    }
  }
  results.memoryAfterLoadMiB = rssMiB();
  results.commands = rows;
  await running.stop();
  bare.close();
  await store.close();
  client.stop();
}

/** A plan of `size` items: the real plans' items, copied with new refs, one owner mapped. */
async function syntheticPlan(size: number): Promise<Store> {
  const store = await fresh(`plan-${size}`);
  const db = store.db;
  const template = await db.planItem.findMany({ include: { deadlines: true, leads: true }, orderBy: { id: 'asc' } });
  const lead = await db.lead.findUniqueOrThrow({ where: { name: 'Taskforce members' } });
  await db.leadOwner.create({ data: { leadId: lead.id, kind: 'user', slackId: 'U0ANN', createdAt: NOW } });
  // Batched inserts: rows go in 2,000 at a time, ids read back by ref, so 100,000 items take seconds.
  for (let start = template.length; start < size; start += 2000) {
    const batch = Array.from({ length: Math.min(2000, size - start) }, (_, i) => ({ ref: `S${start + i}`, position: 1000 + start + i, item: template[(start + i) % template.length] }));
    await db.$transaction(async (tx) => {
      await tx.planItem.createMany({
        data: batch.map(({ ref, position, item }) => ({ ref, refKey: ref.toLowerCase(), planId: item.planId, themeId: item.themeId, kind: item.kind, position, text: item.text, section: item.section, leadText: item.leadText, deadlineText: item.deadlineText, comments: item.comments })),
      });
      const created = await tx.planItem.findMany({ where: { ref: { in: batch.map(({ ref }) => ref) } }, select: { id: true, ref: true } });
      const idOf = new Map(created.map(({ id, ref }) => [ref, id]));
      await tx.itemLead.createMany({ data: batch.flatMap(({ ref, item }) => item.leads.map((link) => ({ itemId: idOf.get(ref)!, leadId: link.leadId, position: link.position }))) });
      await tx.deadline.createMany({ data: batch.flatMap(({ ref, item }) => item.deadlines.map(({ id: _id, itemId: _itemId, ...deadline }) => ({ ...deadline, itemId: idOf.get(ref)! }))) });
      await tx.statusUpdate.createMany({ data: batch.map(({ ref }) => ({ itemId: idOf.get(ref)!, status: 'not-started', actor: 'import', source: 'import', createdAt: NOW })) });
    }, { timeout: 600_000 });
  }
  return store;
}

// Accepts at once, but words each message as the Slack sender does, so the sweep's cost includes it.
const noSlack: Sender = {
  send: async (message) => {
    noticeReply(message.notice, ZONE);
    return { ok: true, ts: '1.0' };
  },
  findSent: async () => null,
};

async function scaling() {
  const rows: Record<string, unknown>[] = [];
  const sizes = (process.env.BENCH_SIZES ?? '25,1000,10000,100000').split(',').map(Number);
  for (const size of sizes) {
    const store = await syntheticPlan(size);
    const deps = { db: store.db, clock: fixedClock(new Date('2017-06-15T08:00:00Z')), timeZone: ZONE, channel: 'C0BENCH', reminders: DEFAULT_REMINDER_SETTINGS, digest: DEFAULT_DIGEST_SCHEDULE, sender: noSlack, log: () => undefined };
    const t0 = performance.now();
    await sweep(deps); // sends what is due (to nowhere): claims and marks every key
    const firstSweep = performance.now() - t0;
    const t1 = performance.now();
    await sweep(deps); // the steady state: everything already in the ledger
    const steadySweep = performance.now() - t1;
    const t2 = performance.now();
    const [items, meetings] = await Promise.all([loadItems(store.db), loadMeetings(store.db)]);
    const loaded = performance.now() - t2;
    const t3 = performance.now();
    buildDigest(items, { startsAt: new Date('2017-06-20T13:00:00Z') }, [{ startsAt: new Date('2017-06-20T13:00:00Z') }, ...meetings], new Date('2017-06-15T08:00:00Z'), { timeZone: ZONE, meetings }, { quietDays: 60 });
    const digest = performance.now() - t3;
    const t4 = performance.now();
    calendarFeed(items, meetings, { name: 'bench', asOf: new Date('2017-06-15T08:00:00Z'), context: { timeZone: ZONE, meetings } }); // `export ics`, GET /calendar/…
    const feed = performance.now() - t4;
    rows.push({ items: size, firstSweepMs: Math.round(firstSweep), steadySweepMs: Math.round(steadySweep), loadItemsMs: Math.round(loaded), digestBuildMs: Math.round(digest), calendarFeedMs: Math.round(feed), rssMiB: rssMiB() });
    console.error(`  plan of ${size} items measured`);
    await store.close();
  }
  results.scaling = rows;
}

/** Starts the bot as its own process in HTTP mode; ms to "listening", and its RSS from /metrics. */
function timedStart(args: string[], databaseUrl: string): Promise<{ readyMs: number; rssMiB: number }> {
  const root = path.join(__dirname, '..');
  const env = { ...process.env, NODE_ENV: 'production', DATABASE_URL: databaseUrl, SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_SIGNING_SECRET: SECRET, SLACK_APP_TOKEN: '', SLACK_API_URL: 'http://127.0.0.1:9/api/', PORT: '0', LOG_LEVEL: 'info' };
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  let ready = false;
  return new Promise((resolve, reject) => {
    child.stderr.on('data', async (chunk) => {
      output += chunk;
      const port = /listening on port (\d+)/.exec(output)?.[1];
      if (!port || ready) return;
      ready = true;
      const readyMs = performance.now() - started;
      await new Promise((done) => setTimeout(done, 1000)); // idle: the start-up sweep is over
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      const rss = Number(/^process_resident_memory_bytes (\d+)/m.exec(metrics)?.[1] ?? 0);
      child.kill('SIGTERM');
      child.once('exit', () => resolve({ readyMs: Math.round(readyMs), rssMiB: Math.round(rss / 2 ** 20) }));
    });
    child.once('exit', (code) => !ready && reject(new Error(`the bot exited (${code}): ${output}`)));
  });
}

async function startup() {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: path.join(__dirname, '..'), stdio: 'inherit' });
  const rows: { start: string; newDatabaseMs: number; migratedDatabaseMs: number; idleRssMiB: number }[] = [];
  for (const [what, args] of [
    ['compiled (node dist/main.js)', ['dist/main.js']],
    ['tsx (node --import tsx src/main.ts)', ['--import', 'tsx', 'src/main.ts']],
  ] as const) {
    const databaseUrl: string = `file:${path.join(scratch, `startup-${rows.length}.db`)}`;
    const first = await timedStart([...args], databaseUrl); // migrates and imports the plans
    const again = [];
    for (let run = 0; run < 3; run++) again.push(await timedStart([...args], databaseUrl));
    again.sort((a, b) => a.readyMs - b.readyMs);
    rows.push({ start: what, newDatabaseMs: first.readyMs, migratedDatabaseMs: again[1].readyMs, idleRssMiB: again[1].rssMiB });
  }
  results.startup = rows;
}

async function charts() {
  const size = Number(process.env.BENCH_CHART_SIZE ?? 10_000);
  const store = await syntheticPlan(size);
  const asOf = new Date('2020-03-01T09:00:00Z');
  const deps = { db: store.db, timeZone: ZONE };
  // Loads the libraries and the font, and warms up, on another day (a chart already drawn is not drawn again).
  await chartData(deps, new Date('2020-02-01T09:00:00Z'), ['themes']).then(([data]) => renderChart(data, ZONE));
  const rows: Record<string, unknown>[] = [];
  for (const kind of CHART_KINDS) {
    const t0 = performance.now();
    const [data] = await chartData(deps, asOf, [kind]); // loading the items included
    const counted = performance.now() - t0;
    const t1 = performance.now();
    const chart = renderChart(data, ZONE);
    const drawn = performance.now() - t1;
    rows.push({ chart: kind, items: size, countMs: Math.round(counted), drawMs: Math.round(drawn), totalMs: Math.round(counted + drawn), pngKiB: Math.round(chart.png.length / 1024), rssMiB: rssMiB() });
  }
  results.charts = rows;
  await store.close();
}

async function main() {
  const parts = (process.env.BENCH_PARTS ?? 'commands,scaling,startup,charts').split(',');
  if (parts.includes('commands')) {
    console.error('measuring slash commands…');
    await commands();
  }
  if (parts.includes('scaling')) {
    console.error('measuring sweeps and digests…');
    await scaling();
  }
  if (parts.includes('startup')) {
    console.error('measuring start-up…');
    await startup();
  }
  if (parts.includes('charts')) {
    console.error('measuring charts…');
    await charts();
  }
  if (parts.includes('soak')) {
    console.error('soaking: simulated days of sweeps and commands…');
    await soak(results);
  }
  fs.mkdirSync(path.join(__dirname), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`machine: ${JSON.stringify(results.machine)}`);
  console.table(results.commands);
  console.table(results.scaling);
  if (results.startup) console.table(results.startup);
  if (results.charts) console.table(results.charts);
  console.log(`memory: idle ${results.memoryIdleMiB} MiB, after the command load ${results.memoryAfterLoadMiB} MiB`);
  fs.rmSync(scratch, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
