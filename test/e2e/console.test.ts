import { spawn } from 'node:child_process';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fixedClock } from '../../src/domain/clock';
import { CONSOLE_USER, consolePublisher, runConsole } from '../../src/console/console';
import { emptyDirectory, type Taskforce } from '../../src/taskforce/context';
import { announcementText } from '../../src/slack/blocks/announcements';
import { findItem } from '../../src/store/tracked-items';
import { consoleJobs } from '../helpers/console-session';
import { freshStore, scratchDatabase, TIME_ZONE } from '../helpers/store';

/** Types lines into the console and collects everything it prints, and what it would post. */
async function session(taskforce: Taskforce, lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk) => (printed += chunk));
  const done = runConsole(taskforce, input, output, (error) => {
    throw error;
  });
  input.end(`${lines.join('\n')}\n`);
  await done;
  return printed;
}

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
