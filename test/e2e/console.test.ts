import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fixedClock } from '../../src/domain/clock';
import { CONSOLE_USER, consolePublisher } from '../../src/console/console';
import { emptyDirectory, type Taskforce } from '../../src/taskforce/context';
import { refusalLimiter } from '../../src/taskforce/refusals';
import { announcementText } from '../../src/slack/blocks/announcements';
import { findItem } from '../../src/store/tracked-items';
import { openStore } from '../../src/store/client';
import { consoleJobs, session } from '../helpers/console-session';
import { freshStore, scratchDatabase, TIME_ZONE } from '../helpers/store';

describe('the local console', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let posted: string[];
  let taskforce: Taskforce;
  let printer: PassThrough;
  beforeEach(async () => {
    store = await freshStore();
    posted = [];
    printer = new PassThrough();
    const clock = fixedClock(new Date('2017-05-15T08:00:00Z'));
    taskforce = {
      db: store.db,
      clock,
      timeZone: TIME_ZONE,
      admins: new Set([CONSOLE_USER]),
      announcer: { announce: async (announcement) => void posted.push(announcementText(announcement, TIME_ZONE)) },
      directory: emptyDirectory,
      refusals: refusalLimiter(),
      publisher: consolePublisher(consoleJobs(printer, store.db, clock)),
      quietDays: 60,
    };
  });
  afterEach(() => store.close());

  test('shows an item, takes an update as the admin console user, and shows what it would post', async () => {
    const out = await session(taskforce, ['/action 3', '/action 3 done baselines published', '/quit']);
    expect(out).toContain('== Action 3 ==');
    expect(out).toContain('Establish current baselines and agree progress indicators for all 7 Outcomes and publish them');
    expect(out).toContain('⚠ Overdue — due 30 Apr 2017');
    expect(out).toContain('[On track] [At risk] [Off track] [Blocked] [Done]');
    expect(out).toContain('Saved: 3 is now ✔ Done (was Not started).');
    expect(out).toMatch(/Bye\.\n$/);
    expect(posted).toEqual(['console marked *3* Establish current baselines and agree progress indicators for all 7 Outcomes… as Done: baselines published']);
    const item = await findItem(store.db, '3');
    expect(item!.history.map((entry) => [entry.status, entry.actor, entry.source, entry.note])).toEqual([
      ['not-started', 'import', 'import', null],
      ['done', 'console', 'console', 'baselines published'],
    ]);
  });

  test('acts as a chosen user, who is refused where they do not own the lead', async () => {
    const out = await session(taskforce, ['/as U0ANN', '/action 12 on-track', '/as console', '/lead DCMS <@U0ANN>', '/as U0ANN', '/action 12 on-track']);
    expect(out).toContain('Now acting as U0ANN.');
    expect(out).toContain('Only the owners of DCMS, Arts Council England, Taskforce Team or Relevant Taskforce members or a Taskforce admin can update 12. Nothing was changed.');
    expect(out).toContain('DCMS is now owned by @U0ANN');
    expect(out).toContain('Saved: 12 is now ● On track');
    expect((await findItem(store.db, '12'))!.history.at(-1)).toMatchObject({ status: 'on-track', actor: 'U0ANN', source: 'console' });
  });

  test('prints every page of a long list, and refuses bad input kindly', async () => {
    const out = await session(taskforce, ['/action list', '/action LG13', '/action 12 purple', '/frobnicate', '/upcoming soon']);
    expect(out).toContain('Page 1 of 2');
    expect(out).toContain('Page 2 of 2');
    expect(out).toContain('W6-21a');
    expect(out).toContain('There is no item LG13. Did you mean LG1–LG12?');
    expect(out).toContain('"purple" isn\'t a status.');
    expect(out).toContain('There is no command /frobnicate.');
    expect(out).toContain('"soon" isn\'t a number of days.');
  });

  test('/home shows the dashboard', async () => {
    const out = await session(taskforce, ['/home']);
    expect(out).toContain('== Action plan ==');
    expect(out).toMatch(/Overdue \(24\)/);
  });
});

describe('npm start with no Slack tokens', () => {
  test('opens the console on a fresh database: typed commands in, replies out', async () => {
    const database = await scratchDatabase('start');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: database.url, TASKFORCE_NOW: '2017-05-15T09:00', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end('/overdue lga\n/quit\n');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await database.drop();
    expect(code).toBe(0);
    expect(stderr).toContain('mode: console');
    expect(stderr).toContain('imported 80 items');
    expect(stdout).toContain('== Overdue: LGA ==');
    expect(stdout).toContain('10 Publish a toolkit on how to carry out evidence-based… (prototype ready for consultation and testing) — 76 days late (due 28 Feb 2017)');
  });
});

describe('issue 11 point 5: the console runs the sweeps', () => {
  /** `npm start` on a database, as of a moment, with lines typed in. */
  async function start(url: string, input: string): Promise<{ code: number | null; stdout: string }> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, DATABASE_URL: url, TASKFORCE_NOW: '2017-05-25T09:00', SLACK_BOT_TOKEN: '', SLACK_APP_TOKEN: '', SLACK_SIGNING_SECRET: '', TASKFORCE_CHANNEL: '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stdin.end(input);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { code, stdout };
  }

  test('what each person and the Taskforce channel would receive is printed, once, and its buttons can be pressed by typing', async () => {
    const database = await scratchDatabase('console-sweep');
    try {
      // No lead is mapped yet: every reminder goes to the Taskforce channel, in one message.
      const first = await start(database.url, '/lead Taskforce Team @U0TEAM\n/quit\n');
      expect(first.code).toBe(0);
      // Two messages in the channel: the escalations, and every unmapped lead's reminders.
      expect(first.stdout.match(/\[posted in #taskforce\]/g)).toHaveLength(2);
      expect(first.stdout).toMatch(/🚨 Escalation: \d+ deadlines overdue and the nudges to their leads have gone unanswered\./);
      expect(first.stdout).toMatch(/🔔 \d+ deadlines of leads with no Slack owner — \d+ overdue/);
      // A deadline of two unmapped leads is one line, naming both.
      expect(first.stdout).toContain('13 Develop and promote a sector-led benchmarking framework that libraries can…\n55 days overdue (due 31 Mar 2017) · part “prototype ready for consultation and testing” · ○ Not started · LGA, Taskforce Team');
      expect(first.stdout).not.toContain(':bell:');

      // Restarted with Taskforce Team mapped: one DM to its owner, with numbered lines to press.
      const second = await start(database.url, '/as U0TEAM\n/press 1 on-track\n/press 1 snooze-1d\n/press 99 done\n/quit\n');
      expect(second.code).toBe(0);
      expect(second.stdout.match(/\[DM to @U0TEAM\]/g)).toHaveLength(1);
      expect(second.stdout).not.toContain('[posted in #taskforce]'); // sent once already
      expect(second.stdout).toContain('(type: /press 1 on-track|at-risk|off-track|blocked|done|snooze-1d|snooze-7d|off)');
      const ref = /✔ @U0TEAM set (\S+) to On track\./.exec(second.stdout)?.[1];
      expect(ref).toBeDefined();
      expect(second.stdout).toMatch(new RegExp(`💤 Snoozed by @U0TEAM until 26 May 2017 09:00: no reminders about ${ref} here until then, then one\\.`));
      expect(second.stdout).toMatch(/There is no reminder line 99: the lines printed so far are 1 to \d+\./);
      const store = await openStore(database.url);
      const item = await findItem(store.db, ref!);
      expect(item!.history.at(-1)).toMatchObject({ status: 'on-track', actor: 'U0TEAM', source: 'button' });
      expect(await store.db.snooze.findMany({ select: { recipient: true } })).toEqual([{ recipient: 'user:U0TEAM' }]);
      await store.close();
    } finally {
      await database.drop();
    }
  });
});
