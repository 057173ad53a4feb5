import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fixedClock } from '../../src/domain/clock';
import { CONSOLE_USER, consoleAnnouncer, consolePublisher } from '../../src/console/console';
import { refusalLimiter } from '../../src/taskforce/refusals';
import { emptyDirectory, type Taskforce } from '../../src/taskforce/context';
import { findItem } from '../../src/store/tracked-items';
import { consoleJobs, session } from '../helpers/console-session';
import { freshStore, scratchDir, TIME_ZONE } from '../helpers/store';

/** What a person types in the console, and what they read back: the terminal, not Slack's markup. */
describe('what people type, in the console', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let taskforce: Taskforce;
  let posted: PassThrough;
  let announced: string;
  beforeEach(async () => {
    store = await freshStore();
    const clock = fixedClock(new Date('2017-05-15T08:00:00Z'));
    posted = new PassThrough();
    announced = '';
    posted.on('data', (chunk) => (announced += chunk));
    taskforce = {
      db: store.db,
      clock,
      timeZone: TIME_ZONE,
      admins: new Set([CONSOLE_USER]),
      announcer: consoleAnnouncer(posted, null, TIME_ZONE),
      directory: emptyDirectory,
      refusals: refusalLimiter(),
      publisher: consolePublisher(consoleJobs(posted, store.db, clock)),
      quietDays: 60,
    };
  });
  afterEach(() => store.close());

  test('issue 11 point 6: a mistyped command, status or sub-command gets "did you mean", and nothing changes', async () => {
    const out = await session(taskforce, ['/actions 12', 'action 12', '/action 12 ontrak', '/action 12 remind off', '/action lsit', '/digest psot']);
    expect(out).toContain('There is no command /actions. Did you mean /action 12?');
    expect(out).toContain('There is no command action. Did you mean /action 12?');
    expect(out).toContain('"ontrak" isn\'t a status. Did you mean on-track? Nothing was saved.');
    expect(out).toContain('There is no `/action 12 remind`. Did you mean `/action 12 reminders off`? Nothing was changed.');
    expect(out).toContain('There is no `/action lsit`. Did you mean `/action list`?');
    expect(out).toContain('There is no `/digest psot`. Did you mean `/digest post`?');
    const item = (await findItem(store.db, '12'))!;
    expect(item.history).toHaveLength(1);
    expect(item.remindersOffBy).toBeNull();
  });

  test('issue 11 point 7: the README\'s /lead example says which forms the console takes; Slack ids work', async () => {
    const refused = await session(taskforce, ['/lead Arts Council England @ann @bob']);
    expect(refused).toContain(
      'The console can\'t tell who "@ann" is. In the console, give Slack ids: `@U0123ABCD` for a person, `@S0123ABCD` for a user group, `#C0123ABCD` for a channel, e.g. `/lead Arts Council England @U0123ABCD @U0456EFGH`. Nothing was changed.',
    );
    expect(await store.db.leadOwner.count()).toBe(0);

    const out = await session(taskforce, ['/lead Arts Council England @U0ANN @U0BOB #C0ARTS', '/as @U0BOB', '/action 12 on-track']);
    expect(out).toContain('Arts Council England is now owned by @U0ANN, @U0BOB, #C0ARTS.');
    expect(out).toContain('Saved: 12 is now ● On track');
    expect((await findItem(store.db, '12'))!.history.at(-1)).toMatchObject({ actor: 'U0BOB', status: 'on-track' });
  });

  test('issue 11 point 8: notes read as typed; emoji and mentions are shown, never their codes', async () => {
    const dir = scratchDir('console-reports');
    const cwd = process.cwd();
    process.chdir(dir);
    let out: string;
    try {
      out = await session(taskforce, ['/action 12 at-risk A & B <by June>, ask <@U0DEE>', '/action 12', '/report', '/report', '/as U0ANN', '/digest post']);
    } finally {
      process.chdir(cwd);
    }
    expect(out).toContain('> A & B <by June>, ask @U0DEE');
    expect(out).toMatch(/· console — A & B <by June>, ask @U0DEE\n/);
    expect(announced).toContain("[posted in the Taskforce channel] console marked 12 Ensure that the projects delivered through the £4 million 'Libraries… as At risk: A & B <by June>, ask @U0DEE");
    expect(out).toContain('📄 The draft progress report for 2017-05 to 2017-10 is written to reports/progress-report-2017-05-to-2017-10.md, reports/progress-report-2017-05-to-2017-10.html, reports/progress-report-2017-05-to-2017-10.pdf.');
    // The second draft does not overwrite the first (a person may have edited it).
    expect(out).toContain('is written to reports/progress-report-2017-05-to-2017-10-2.md, reports/progress-report-2017-05-to-2017-10-2.html, reports/progress-report-2017-05-to-2017-10-2.pdf.');
    expect(fs.readdirSync(path.join(dir, 'reports')).sort()).toEqual(
      ['-2.html', '-2.md', '-2.pdf', '.html', '.md', '.pdf'].map((end) => `progress-report-2017-05-to-2017-10${end}`),
    );
    expect(out).toContain('Only Taskforce admins can post the digest. Ask one of them: @console.');
    for (const printed of [out, announced]) {
      expect(printed).not.toMatch(/:[a-z_]+:/);
      expect(printed).not.toMatch(/<[@#!]|&amp;|&lt;|&gt;/);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('issue 12 item 10: control characters in notes are refused in the console too', async () => {
    const out = await session(taskforce, ['/action 12 on-track funding\u0000 decision', '/meeting add 2017-05-26 14:00 review\u001b[2J']);
    expect(out.match(/That has an invisible control character in it \(U\+00(00|1B)\), which can't be stored\. Nothing was saved: type it again without it\./g)).toHaveLength(2);
    expect((await findItem(store.db, '12'))!.history).toHaveLength(1);
    expect(await store.db.meeting.count()).toBe(0);
  });

  test('issue 13: /away and /reminders in the console, with their help, the same service as in Slack', async () => {
    const out = await session(taskforce, ['/as U0ANN', '/away until 2017-05-22 on leave', '/away', '/reminders weekly', '/reminders quiet 25:00-08:00', '/reminders', '/away off', '/away help', '/reminders help']);
    expect(out).toContain('🌴 Noted: you are away until 22 May 2017 (“on leave”).');
    expect(out).toContain('🌴 You are away until 22 May 2017 (“on leave”).');
    expect(out).toContain('"25:00" isn\'t a time of day: hours go from 00 to 23 (midnight is 00:00). Nothing was changed.');
    expect(out).toContain('• How often: weekly: one summary each Monday morning');
    expect(out).toContain('• When: 09:00 your time (Europe/London, the plan\'s: Slack has not told me yours yet).');
    expect(out).toContain('👋 Welcome back: your reminders come to you again.');
    expect(out).toContain('`/away until 2017-06-05 at a conference` — away until that day');
    expect(out).toContain('`/reminders quiet 18:00-08:00` — no DMs in those hours, your time');
    const person = await store.db.person.findUniqueOrThrow({ where: { slackId: 'U0ANN' } });
    expect([person.frequency, person.quietFrom]).toEqual(['weekly', null]);
    expect((await store.db.absence.findFirstOrThrow()).endedAt).toEqual(new Date('2017-05-15T08:00:00Z'));
  });
});
