/**
 * `BENCH_PARTS=soak npm run bench`: weeks of the plan's life at speed. The real plans, their leads
 * mapped to a few people and a channel, a clock that moves a minute a sweep, and commands arriving
 * all along (status updates, snoozes, reminders off, a weekly person, an absence, meetings). The
 * sender stands in for Slack: it words every message, drops some sends before they reach "Slack"
 * and loses the answer to others after they did, and counts what arrived under each key. At the
 * end: memory, table sizes, sweep times, and every send that went twice or not at all (none may).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixedClock, type Clock } from '../src/domain/clock';
import { DomainError } from '../src/domain/errors';
import { snoozeRecipient, type Notice, type ReminderNotice } from '../src/domain/notices';
import { DEFAULT_REMINDER_SETTINGS, type ReminderSettings } from '../src/domain/reminders';
import { STATUSES, type Status } from '../src/domain/statuses';
import { addDays, localDate } from '../src/domain/time';
import { DEFAULT_DIGEST_SCHEDULE } from '../src/jobs/digests';
import { dailyPrune } from '../src/jobs/retention';
import type { Sendable, Sender, SendOutcome } from '../src/jobs/sender';
import { sweep, type JobDeps } from '../src/jobs/sweep';
import { loadPlanFiles } from '../src/plans/plan-files';
import { noticeReply } from '../src/slack/blocks/notices';
import { openStore, type Db } from '../src/store/client';
import { importPlans } from '../src/store/import-plans';
import { retriesDue } from '../src/store/ledger';
import { emptyDirectory, silentAnnouncer, type Taskforce } from '../src/taskforce/context';
import { updateStatus } from '../src/taskforce/items';
import { addMeeting } from '../src/taskforce/meetings';
import { goAway, setFrequency } from '../src/taskforce/people';
import { refusalLimiter } from '../src/taskforce/refusals';
import { answerReminder } from '../src/taskforce/reminders';

const ZONE = 'Europe/London';
const CHANNEL = 'C0SOAK';
const LEAD_CHANNEL = 'C0SOAKLEADS';
const USERS = ['U0SOAK1', 'U0SOAK2', 'U0SOAK3', 'U0SOAK4'];
const MINUTE = 60_000;
const DAY = 86_400_000;

export interface SoakOptions {
  databaseUrl: string;
  /** The first simulated instant. */
  start: Date;
  days: number;
  /** Simulated minutes between sweeps (the bot sweeps every minute). */
  stepMinutes: number;
  /** The retention applied in the run (TASKFORCE_LEDGER_DAYS' rule, scaled down to show within it). */
  keepDays: number;
  reminders?: ReminderSettings;
  seed?: number;
  commandsPerDay?: number;
  /** Share of sends that fail: half never reach Slack, half reach it and lose the answer. */
  failureRate?: number;
  progress?: (line: string) => void;
}

export interface SoakFigures {
  simulatedDays: number;
  stepMinutes: number;
  keepDays: number;
  sweeps: number;
  sweepMeanMs: number;
  sweepP99Ms: number;
  sweepMaxMs: number;
  wallSeconds: number;
  /** Sends that reached the stand-in for Slack (each message and thread reply). */
  sends: number;
  /** Reminders carried in those messages, as lines. */
  reminderLines: number;
  failedAttempts: number;
  commands: Record<string, number>;
  pruned: number;
  rows: Record<string, number>;
  memory: { startRssMiB: number; endRssMiB: number; startHeapUsedMiB: number; endHeapUsedMiB: number };
  /** Keys (messages or reminder lines) that reached Slack more than once. */
  doubled: string[];
  /** Keys the ledger says were sent that never reached Slack. */
  missing: string[];
  /** Keys that reached Slack whose ledger row does not say sent at the end (they would go again). */
  unrecorded: string[];
}

/** A small seeded generator (mulberry32): the same run each time for a seed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Keys of the lines a message carries: each is a ledger row of its own, sent once. */
function lineKeys(notice: Notice): string[] {
  return notice.kind === 'reminders' ? notice.lines.map((line) => line.key) : [];
}

/**
 * Slack, as far as the ledger can tell: what arrived under each key, and the history a retry
 * reads. Each message is worded as the Slack sender words it.
 */
function recordingSender(random: () => number, failureRate: number) {
  const arrived = new Map<string, number>();
  const lines = new Map<string, number>();
  const inSlack = new Map<string, string>();
  const reminders: ReminderNotice[] = [];
  let failedAttempts = 0;
  let ts = 1_488_326_400;
  const sender: Sender = {
    async send(message: Sendable): Promise<SendOutcome> {
      noticeReply(message.notice, ZONE);
      const roll = random();
      if (roll < failureRate / 2) {
        failedAttempts++;
        return { ok: false, permanent: false, retryAfterMs: null, error: 'soak: connection reset before Slack had it' };
      }
      arrived.set(message.key, (arrived.get(message.key) ?? 0) + 1);
      for (const key of lineKeys(message.notice)) lines.set(key, (lines.get(key) ?? 0) + 1);
      const given = `${++ts}.000100`;
      inSlack.set(message.key, given);
      if (message.notice.kind === 'reminders') reminders.push(message.notice);
      if (roll < failureRate) {
        failedAttempts++;
        return { ok: false, permanent: false, retryAfterMs: null, error: 'soak: Slack took it, the answer was lost' };
      }
      return { ok: true, ts: given };
    },
    findSent: async (_message, key) => inSlack.get(key) ?? null,
  };
  return { sender, arrived, lines, reminders, failedAttempts: () => failedAttempts };
}

/** What the ledger says went: messages, and the lines they carried (not the summaries a summary settles). */
async function ledgerSent(db: Db): Promise<{ messages: string[]; lines: string[] }> {
  const rows = await db.notification.findMany({ where: { status: 'sent', OR: [{ batchKey: null, message: { not: null } }, { batchKey: { not: null }, kind: { not: 'settled' } }] }, select: { key: true, batchKey: true } });
  return { messages: rows.filter((row) => row.batchKey === null).map((row) => row.key), lines: rows.filter((row) => row.batchKey !== null).map((row) => row.key) };
}

async function tableRows(db: Db): Promise<Record<string, number>> {
  const [PlanItem, Deadline, LeadOwner, StatusUpdate, Meeting, Notification, Snooze, Person, Absence] = await Promise.all([
    db.planItem.count(),
    db.deadline.count(),
    db.leadOwner.count(),
    db.statusUpdate.count(),
    db.meeting.count(),
    db.notification.count(),
    db.snooze.count(),
    db.person.count(),
    db.absence.count(),
  ]);
  return { PlanItem, Deadline, LeadOwner, StatusUpdate, Meeting, Notification, Snooze, Person, Absence };
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export async function runSoak(options: SoakOptions): Promise<SoakFigures> {
  const began = performance.now();
  const startMemory = process.memoryUsage();
  const random = seeded(options.seed ?? 20170301);
  const reminders = options.reminders ?? DEFAULT_REMINDER_SETTINGS;
  const store = await openStore(options.databaseUrl);
  const db = store.db;
  try {
    await importPlans(db, loadPlanFiles(), fixedClock(new Date('2016-09-01T00:00:00Z')));
    // Every lead answered for: most by one of four people, every fifth by a channel.
    const leads = await db.lead.findMany({ orderBy: { id: 'asc' } });
    await db.leadOwner.createMany({
      data: leads.map((lead, n) => (n % 5 === 4 ? { leadId: lead.id, kind: 'channel', slackId: LEAD_CHANNEL, createdAt: options.start } : { leadId: lead.id, kind: 'user', slackId: USERS[n % USERS.length], createdAt: options.start })),
    });
    const refs = (await db.planItem.findMany({ select: { ref: true }, orderBy: { id: 'asc' } })).map((item) => item.ref);

    let now = options.start.getTime();
    const clock: Clock = { now: () => new Date(now) };
    const slack = recordingSender(random, options.failureRate ?? 0.02);
    const deps: JobDeps = { db, clock, timeZone: ZONE, channel: CHANNEL, reminders, digest: DEFAULT_DIGEST_SCHEDULE, sender: slack.sender, log: () => undefined };
    const taskforce: Taskforce = {
      db,
      clock,
      timeZone: ZONE,
      admins: new Set(USERS),
      announcer: silentAnnouncer,
      directory: emptyDirectory,
      publisher: {
        postDigest: async () => 'no-channel',
        publishFiles: async () => 'nowhere',
        publishChart: async () => 'nowhere',
      },
      refusals: refusalLimiter(),
      quietDays: DEFAULT_DIGEST_SCHEDULE.quietDays,
      reminders,
    };
    const commands: Record<string, number> = { status: 0, snooze: 0, 'reminders-off': 0, refused: 0 };
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const settable = STATUSES.filter((status) => status !== 'not-started') as Status[];

    // People's settings and the Taskforce's meetings, as they would arrive by command.
    await setFrequency(taskforce, USERS[1], 'weekly');
    const startDay = localDate(options.start, ZONE);
    for (let day = 7; day < options.days + 7; day += 14) await addMeeting(taskforce, USERS[0], addDays(startDay, day), '14:00', null);

    const command = async () => {
      const roll = random();
      const reminder = slack.reminders.length ? pick(slack.reminders.slice(-50)) : null;
      const line = reminder && reminder.lines.length ? pick(reminder.lines) : null;
      try {
        if (roll < 0.75 || !line) {
          await updateStatus(taskforce, { ref: pick(refs), status: random() < 0.1 ? 'done' : pick(settable.filter((status) => status !== 'done')), text: 'soak', userId: pick(USERS), source: 'command' });
          commands.status++;
        } else {
          const verb = roll < 0.95 ? 'snooze-1d' : 'off';
          await answerReminder(taskforce, { userId: pick(USERS), verb, ref: line.ref, deadlineId: line.deadlineId, recipient: snoozeRecipient(reminder!.audience) });
          commands[verb === 'off' ? 'reminders-off' : 'snooze']++;
        }
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        commands.refused++;
      }
    };

    const prune = dailyPrune(db, options.keepDays, ZONE, () => undefined);
    const sentByLedger = { messages: new Set<string>(), lines: new Set<string>() };
    const tally = async () => {
      const sent = await ledgerSent(db);
      for (const key of sent.messages) sentByLedger.messages.add(key);
      for (const key of sent.lines) sentByLedger.lines.add(key);
    };
    let pruned = 0;
    let lastDay = '';
    const timings: number[] = [];
    const commandChance = ((options.commandsPerDay ?? 40) * options.stepMinutes) / 1440;
    const end = options.start.getTime() + options.days * DAY;
    const awayOn = Math.min(8, Math.floor(options.days / 2));

    const sweepOnce = async () => {
      const t0 = performance.now();
      await sweep(deps);
      timings.push(performance.now() - t0);
      const today = localDate(new Date(now), ZONE);
      if (today === lastDay) return;
      lastDay = today;
      await tally(); // before the prune takes the oldest rows
      pruned += await prune(new Date(now));
      options.progress?.(`  ${today}: ${timings.length} sweeps, ${slack.arrived.size} messages in Slack, ${pruned} ledger rows pruned, RSS ${mib(process.memoryUsage().rss)} MiB`);
    };

    for (; now < end; now += options.stepMinutes * MINUTE) {
      if (now === options.start.getTime() + awayOn * DAY) await goAway(taskforce, USERS[2], addDays(localDate(new Date(now), ZONE), 4), 'soak');
      if (random() < commandChance) await command();
      await sweepOnce();
    }
    // The last sends' retries: at most a few minutes' back-off.
    for (let extra = 0; extra < 120 && (await retriesDue(db, new Date(now + 60 * MINUTE))).length > 0; extra++, now += MINUTE) await sweepOnce();
    await tally();

    const endRows = await tableRows(db);
    const finallySent = await ledgerSent(db);
    const sentNow = new Set(finallySent.messages);
    const doubled = [...[...slack.arrived].filter(([, count]) => count > 1), ...[...slack.lines].filter(([, count]) => count > 1)].map(([key, count]) => `${key} ×${count}`);
    const missing = [...[...sentByLedger.messages].filter((key) => !slack.arrived.has(key)), ...[...sentByLedger.lines].filter((key) => !slack.lines.has(key))];
    const stillInLedger = new Set((await db.notification.findMany({ select: { key: true } })).map((row) => row.key));
    const unrecorded = [...slack.arrived.keys()].filter((key) => !sentNow.has(key) && !(sentByLedger.messages.has(key) && !stillInLedger.has(key)));
    const sorted = [...timings].sort((a, b) => a - b);
    const endMemory = process.memoryUsage();
    return {
      simulatedDays: options.days,
      stepMinutes: options.stepMinutes,
      keepDays: options.keepDays,
      sweeps: timings.length,
      sweepMeanMs: Math.round((timings.reduce((sum, ms) => sum + ms, 0) / timings.length) * 10) / 10,
      sweepP99Ms: Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] * 10) / 10,
      sweepMaxMs: Math.round(sorted[sorted.length - 1]),
      wallSeconds: Math.round((performance.now() - began) / 1000),
      sends: [...slack.arrived.values()].reduce((sum, count) => sum + count, 0),
      reminderLines: [...slack.lines.values()].reduce((sum, count) => sum + count, 0),
      failedAttempts: slack.failedAttempts(),
      commands,
      pruned,
      rows: endRows,
      memory: { startRssMiB: mib(startMemory.rss), endRssMiB: mib(endMemory.rss), startHeapUsedMiB: mib(startMemory.heapUsed), endHeapUsedMiB: mib(endMemory.heapUsed) },
      doubled,
      missing,
      unrecorded,
    };
  } finally {
    await store.close();
  }
}

/**
 * The bench's part: 30 simulated days from 1 March 2017 (BENCH_SOAK_DAYS), a sweep every simulated
 * minute (BENCH_SOAK_STEP_MINUTES), sends older than 14 days pruned (BENCH_SOAK_KEEP_DAYS; the
 * catch-up window is 7), 2% of sends failing (BENCH_SOAK_FAILURE_RATE). Figures go in
 * results.soak; any send doubled or missing fails the bench.
 */
export async function soak(results: Record<string, unknown>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taskforce-soak-'));
  try {
    const figures = await runSoak({
      databaseUrl: `file:${path.join(dir, 'soak.db')}`,
      start: new Date('2017-03-01T00:00:00Z'), // midnight in London (GMT until 26 March)
      days: Number(process.env.BENCH_SOAK_DAYS ?? 30),
      stepMinutes: Number(process.env.BENCH_SOAK_STEP_MINUTES ?? 1),
      keepDays: Number(process.env.BENCH_SOAK_KEEP_DAYS ?? 14),
      failureRate: Number(process.env.BENCH_SOAK_FAILURE_RATE ?? 0.02),
      progress: (line) => console.error(line),
    });
    results.soak = figures;
    const { doubled, missing, unrecorded, commands, rows, memory, ...rest } = figures;
    console.table([rest]);
    console.log(`soak commands: ${JSON.stringify(commands)}`);
    console.log(`soak rows at the end: ${JSON.stringify(rows)}`);
    console.log(`soak memory: RSS ${memory.startRssMiB} → ${memory.endRssMiB} MiB, heap used ${memory.startHeapUsedMiB} → ${memory.endHeapUsedMiB} MiB`);
    console.log(`soak: ${doubled.length} sent twice, ${missing.length} never sent, ${unrecorded.length} sent but not recorded`);
    for (const key of [...doubled, ...missing, ...unrecorded]) console.log(`  ${key}`);
    if (doubled.length || missing.length || unrecorded.length) throw new Error('soak: a send went twice or not at all');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
