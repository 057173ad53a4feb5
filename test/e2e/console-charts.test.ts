import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { loadImage } from '@napi-rs/canvas';
import { fixedClock } from '../../src/domain/clock';
import { CONSOLE_USER, consolePublisher } from '../../src/console/console';
import { consoleSender, pressBoard } from '../../src/console/sender';
import { emptyDirectory, silentAnnouncer, type Taskforce } from '../../src/taskforce/context';
import { refusalLimiter } from '../../src/taskforce/refusals';
import { consoleJobs, session } from '../helpers/console-session';
import { freshStore, scratchDir, TIME_ZONE } from '../helpers/store';

describe('issue 14: charts in the console are written to files, and their paths printed', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let dir: string;
  let channel: string;
  let taskforce: Taskforce;

  beforeEach(async () => {
    store = await freshStore();
    await store.db.meeting.create({ data: { startsAt: new Date('2017-05-26T13:00:00Z'), createdBy: CONSOLE_USER, createdAt: new Date('2017-01-01T00:00:00Z') } });
    dir = scratchDir('console-charts');
    channel = '';
    const printer = new PassThrough();
    printer.on('data', (chunk) => (channel += chunk));
    const clock = fixedClock(new Date('2017-05-24T08:00:00Z'));
    const jobs = { ...consoleJobs(printer, store.db, clock), sender: consoleSender(printer, TIME_ZONE, pressBoard(), dir) };
    taskforce = {
      db: store.db,
      clock,
      timeZone: TIME_ZONE,
      admins: new Set([CONSOLE_USER]),
      announcer: silentAnnouncer,
      directory: emptyDirectory,
      refusals: refusalLimiter(),
      publisher: consolePublisher(jobs, dir),
      quietDays: 60,
    };
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const written = (text: string) => [...text.matchAll(/written to (\S+\.png)/g)].map((match) => match[1]);
  const decodes = async (file: string) => {
    const image = await loadImage(fs.readFileSync(path.resolve(file)));
    return [image.width, image.height];
  };

  test('the digest prints its charts in the thread with their files; /chart and /home write theirs; bad input writes none', async () => {
    const replies = await session(taskforce, ['/digest post', '/chart pie', '/chart themes as of 15 May 2017', '/home', '/home', '/quit']);

    expect(channel).toMatch(/\[posted in #taskforce, in the thread\]\n📊 Items by status, month by month, to 24 May 2017\n  written to \S+digest-\d+-chart-status\.png/);
    expect(channel).toMatch(/\[posted in #taskforce, in the thread\]\n📊 Progress by theme, as of 24 May 2017\n  written to \S+digest-\d+-chart-themes\.png/);
    expect(replies).toContain('"pie" isn\'t a chart.');
    expect(replies).toMatch(/📊 Progress by theme, as of 15 May 2017 — written to \S+themes-as-of-2017-05-15\.png\./);
    // Home shows its chart's file each time, drawn once.
    expect(replies.match(/📊 Progress by theme, as of 24 May 2017 — written to \S+themes-as-of-2017-05-24\.png/g)).toHaveLength(2);
    const files = [...new Set([...written(channel), ...written(replies)])];
    expect(files.map((file) => path.basename(file)).sort()).toEqual(fs.readdirSync(dir).sort());
    expect(files).toHaveLength(4);
    for (const file of files) expect(await decodes(file)).toEqual([1200, 675]);
  });
});
