/**
 * npm run bench: figures, measured side by side in one run on this machine. Prints a table and
 * writes bench/results.json. Compare the ratios; absolute numbers move with the machine's load.
 *
 * 1. Slash commands over real HTTP, signed, through the full app on a real SQLite file, beside a
 *    bare Bolt app answering a fixed text to the same signed request: p50/p95/p99 of the ack and
 *    throughput at 1, 10 and 50 concurrent requests.
 * 2. The reminder sweep and the digest build for synthetic plans of 25 to 100,000 items.
 * 3. Resident memory: idle, and at the end of the load.
 */
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
import { loadPlanFiles } from '../src/plans/plan-files';
import { startSlackApp } from '../src/slack/app';
import { openStore, type Store } from '../src/store/client';
import { importPlans } from '../src/store/import-plans';
import { loadItems, loadMeetings } from '../src/store/tracked-items';
import { sendSlashCommand, startFakeSlack } from '../test/helpers/slack-stand-in';

const SECRET = 'bench-signing-secret-0123456789';
const ZONE = 'Europe/London';
const NOW = new Date('2017-05-15T08:00:00Z');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'taskforce-bench-'));
const results: Record<string, unknown> = { machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version }, at: new Date().toISOString() };

const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function fresh(name: string): Promise<Store> {
  const store = await openStore(`file:${path.join(scratch, `${name}.db`)}`);
  await importPlans(store.db, loadPlanFiles(), fixedClock(new Date('2016-09-01T00:00:00Z')));
  return store;
}

/** Fires `total` requests, `concurrency` at a time; returns ack latencies (ms) and throughput. */
async function load(url: string, command: string, concurrency: number, total: number, text: (n: number) => string) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const n = next++;
        const t0 = performance.now();
        const ack = await sendSlashCommand(url, SECRET, { command, text: text(n), user_id: 'U0ADMIN', response_url: 'http://127.0.0.1:9/unused' });
        if (ack.status !== 200) throw new Error(`status ${ack.status}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10) / 10;
  return { p50: round(percentile(latencies, 50)), p95: round(percentile(latencies, 95)), p99: round(percentile(latencies, 99)), perSecond: Math.round(total / seconds) };
}

async function bareBolt(): Promise<{ url: string; close(): void }> {
  const receiver = new HTTPReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
  const app = new App({ receiver, token: 'xoxb-bench', tokenVerificationEnabled: false, logLevel: LogLevel.ERROR });
  app.command('/action', async ({ ack }) => ack('ok'));
  const server = http.createServer(receiver.requestListener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/slack/events`, close: () => server.close() };
}

async function commands() {
  const fake = await startFakeSlack();
  const store = await fresh('commands');
  const running = await startSlackApp(
    {
      databaseUrl: '',
      timeZone: ZONE,
      fixedNow: NOW,
      channel: 'C0BENCH',
      admins: ['U0ADMIN'],
      slack: { mode: 'http', botToken: 'xoxb-bench', signingSecret: SECRET, port: 0, apiUrl: fake.apiUrl },
      reminders: DEFAULT_REMINDER_SETTINGS,
      digest: DEFAULT_DIGEST_SCHEDULE,
    },
    store,
    fixedClock(NOW),
    { logLevel: LogLevel.ERROR },
  );
  const bare = await bareBolt();
  const app = `http://127.0.0.1:${running.port}/slack/events`;
  results.memoryIdleMiB = rssMiB();
  const rows: Record<string, unknown>[] = [];
  for (const concurrency of [1, 10, 50]) {
    const total = concurrency * 20;
    rows.push({ what: 'bare Bolt, fixed text', concurrency, ...(await load(bare.url, '/action', concurrency, total, () => '12')) });
    rows.push({ what: '/action 12', concurrency, ...(await load(app, '/action', concurrency, total, () => '12')) });
    rows.push({ what: '/action 12 on-track …', concurrency, ...(await load(app, '/action', concurrency, total, (n) => `12 on-track bench ${concurrency}-${n}`)) });
    rows.push({ what: '/overdue', concurrency, ...(await load(app, '/overdue', concurrency, total, () => '')) });
  }
  results.memoryAfterLoadMiB = rssMiB();
  results.commands = rows;
  await running.stop();
  bare.close();
  await store.close();
  await fake.close();
}

/** A plan of `size` items: the real plans' items, copied with new refs, one owner mapped. */
async function syntheticPlan(size: number): Promise<Store> {
  const store = await fresh(`plan-${size}`);
  const db = store.db;
  const template = await db.planItem.findMany({ include: { deadlines: true, leads: true }, orderBy: { id: 'asc' } });
  const lead = await db.lead.findUniqueOrThrow({ where: { name: 'Taskforce members' } });
  await db.leadOwner.create({ data: { leadId: lead.id, kind: 'user', slackId: 'U0ANN', createdAt: NOW } });
  for (let start = template.length; start < size; start += 500) {
    const batch = Array.from({ length: Math.min(500, size - start) }, (_, i) => template[(start + i) % template.length]);
    await db.$transaction(async (tx) => {
      for (const [i, item] of batch.entries()) {
        const ref = `S${start + i}`;
        const created = await tx.planItem.create({
          data: { ref, refKey: ref.toLowerCase(), planId: item.planId, themeId: item.themeId, kind: item.kind, position: 1000 + start + i, text: item.text, section: item.section, leadText: item.leadText, deadlineText: item.deadlineText, comments: item.comments },
        });
        await tx.itemLead.createMany({ data: item.leads.map((link) => ({ itemId: created.id, leadId: link.leadId, position: link.position })) });
        await tx.deadline.createMany({ data: item.deadlines.map(({ id: _id, itemId: _itemId, ...deadline }) => ({ ...deadline, itemId: created.id })) });
        await tx.statusUpdate.create({ data: { itemId: created.id, status: 'not-started', actor: 'import', source: 'import', createdAt: NOW } });
      }
    }, { timeout: 600_000 });
  }
  return store;
}

const noSlack: Sender = { send: async () => ({ ok: true, ts: '1.0' }) };

async function scaling() {
  const rows: Record<string, unknown>[] = [];
  const sizes = (process.env.BENCH_SIZES ?? '25,1000,10000,100000').split(',').map(Number);
  for (const size of sizes) {
    const store = await syntheticPlan(size);
    const deps = { db: store.db, clock: fixedClock(new Date('2017-06-15T08:00:00Z')), timeZone: ZONE, channel: null, reminders: DEFAULT_REMINDER_SETTINGS, digest: DEFAULT_DIGEST_SCHEDULE, sender: noSlack, log: () => undefined };
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
    rows.push({ items: size, firstSweepMs: Math.round(firstSweep), steadySweepMs: Math.round(steadySweep), loadItemsMs: Math.round(loaded), digestBuildMs: Math.round(digest), rssMiB: rssMiB() });
    console.error(`  plan of ${size} items measured`);
    await store.close();
  }
  results.scaling = rows;
}

async function main() {
  console.error('measuring slash commands…');
  await commands();
  console.error('measuring sweeps and digests…');
  await scaling();
  fs.mkdirSync(path.join(__dirname), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`machine: ${JSON.stringify(results.machine)}`);
  console.table(results.commands);
  console.table(results.scaling);
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
