import fs from 'node:fs';
import path from 'node:path';
import { assessItem } from '../../src/domain/deadlines';
import { deadlineUid, meetingUid } from '../../src/export/calendar';
import { sweep } from '../../src/jobs/sweep';
import type { RunningSlackApp } from '../../src/slack/app';
import { loadItems, loadMeetings } from '../../src/store/tracked-items';
import { deadlineDays, eventsOf } from '../helpers/ics';
import { sendSlashCommand, startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { ADMIN, CHANNEL, SECRET, startTestApp } from '../helpers/slack-app';
import { freshStore, scratchDir, TIME_ZONE } from '../helpers/store';

const ANN = 'U0ANN';
const PUBLIC_URL = 'https://taskforce.example.org';

/** A meetings calendar as a calendar program would write it: London times, one VEVENT per meeting. */
function calendarFile(events: { uid: string; start: string; end: string; summary: string }[]): string {
  const lines = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Test//Meetings//EN'];
  for (const event of events) {
    lines.push('BEGIN:VEVENT', `UID:${event.uid}`, 'DTSTAMP:20170101T000000Z', `DTSTART;TZID=Europe/London:${event.start}`, `DTEND;TZID=Europe/London:${event.end}`, `SUMMARY:${event.summary}`, 'END:VEVENT');
  }
  lines.push('END:VCALENDAR');
  return `${lines.join('\r\n')}\r\n`;
}

const MAY = { uid: 'may-meeting@example.org', start: '20170526T140000', end: '20170526T160000', summary: 'Taskforce meeting' };
const JUNE = { uid: 'june-meeting@example.org', start: '20170620T140000', end: '20170620T160000', summary: 'Taskforce meeting (June)' };

describe('calendars in and out, through the running app', () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp & { url: string };
  let dir: string;
  let icsPath: string;
  let now: Date;
  let appUrl: string;
  let sequence = 0;
  const logged: string[] = [];

  async function start(publicUrl: string | null) {
    running = await startTestApp(fake, store, { now: () => now }, { calendars: { publicUrl, meetingsIcs: { kind: 'file', path: icsPath } } });
    appUrl = running.url;
  }

  beforeAll(async () => {
    fake = await startFakeSlack();
  });
  afterAll(() => fake.close());
  beforeEach(async () => {
    fake.reset();
    logged.length = 0;
    store = await freshStore();
    dir = scratchDir('calendar');
    icsPath = path.join(dir, 'meetings.ics');
    fs.writeFileSync(icsPath, calendarFile([MAY, JUNE]));
    now = new Date('2017-05-15T08:00:00Z');
    await start(PUBLIC_URL);
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function command(userId: string, name: string, text: string): Promise<string> {
    const id = `c${++sequence}`;
    await sendSlashCommand(appUrl, SECRET, { command: name, text, user_id: userId, response_url: fake.responseUrl(id) });
    return String((await fake.waitFor(() => fake.responses(id)[0])).body.text) + '\n' + JSON.stringify((await fake.waitFor(() => fake.responses(id)[0])).body.blocks ?? []);
  }

  const runSweep = () => sweep({ ...running.jobs, log: (line) => logged.push(line) });

  /** The feed address in a /calendar answer, fetched from the app itself (as a TLS proxy would forward it). */
  async function fetchFeed(address: string) {
    expect(address.startsWith(`${PUBLIC_URL}/calendar/`)).toBe(true);
    return fetch(`http://127.0.0.1:${running.port}${address.slice(PUBLIC_URL.length)}`);
  }

  const addressIn = (answer: string) => /https:\/\/taskforce\.example\.org\/calendar\/[A-Za-z0-9_-]+\.ics/.exec(answer)?.[0] ?? null;

  const digestsPosted = () => fake.apiCalls('chat.postMessage').filter((call) => call.body.channel === CHANNEL && String(call.body.text).startsWith('Taskforce digest'));

  test('/calendar gives a private feed: it parses back to the dates the bot uses; /calendar reset makes the old address 404', async () => {
    await runSweep(); // reads the meetings calendar
    await command(ADMIN, '/lead', `Arts Council England <@${ANN}>`);
    const answer = await command(ANN, '/calendar', '');
    expect(answer).toMatch(/^Your calendar feed address/);
    expect(answer).toContain('Arts Council England');
    const address = addressIn(answer)!;
    expect(address).not.toBeNull();

    const response = await fetchFeed(address);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    const feed = await response.text();

    // The same dates as the bot's own deadline maths, for every occurrence of Ann's lead's deadlines.
    const [items, meetings] = await Promise.all([loadItems(store.db), loadMeetings(store.db)]);
    const expected = new Map<string, string>();
    for (const item of items.filter((i) => i.leads.includes('Arts Council England'))) {
      for (const occurrence of assessItem(item, now, { timeZone: TIME_ZONE, meetings })) expected.set(deadlineUid(occurrence.milestone.id, occurrence.key), occurrence.dueDate);
    }
    expect(expected.size).toBeGreaterThan(3);
    expect(deadlineDays(feed)).toEqual(expected);
    // …and the meetings, read from the calendar file, at their London times.
    const events = eventsOf(feed);
    const may = meetings.find((m) => m.startsAt.toISOString() === '2017-05-26T13:00:00.000Z')!;
    expect(events.get(meetingUid(may.id))?.start.toISOString()).toBe('2017-05-26T13:00:00.000Z');
    expect(events.get(meetingUid(may.id))?.end?.toISOString()).toBe('2017-05-26T15:00:00.000Z');

    // Only a hash of the token is stored.
    const token = address.slice(address.lastIndexOf('/') + 1, -'.ics'.length);
    const row = await store.db.calendarFeed.findUniqueOrThrow({ where: { userId: ANN } });
    expect(row.tokenHash).not.toContain(token);

    // Asked again: the address cannot be shown again, and nothing changes.
    const again = await command(ANN, '/calendar', '');
    expect(again).toMatch(/^You have a calendar feed/);
    expect(addressIn(again)).toBeNull();
    expect((await fetchFeed(address)).status).toBe(200);

    const reset = await command(ANN, '/calendar', 'reset');
    expect(reset).toMatch(/^Your new calendar feed address \(the old one no longer works\)/);
    const fresh = addressIn(reset)!;
    expect(fresh).not.toBe(address);
    const old = await fetchFeed(address);
    expect(old.status).toBe(404);
    expect(await old.text()).toBe('not found');
    expect((await fetchFeed(fresh)).status).toBe(200);
  });

  test('an unknown or malformed feed address: a bare 404; the Slack endpoint still refuses unsigned requests', async () => {
    const base = `http://127.0.0.1:${running.port}`;
    for (const url of [`${base}/calendar/${'A'.repeat(43)}.ics`, `${base}/calendar/nothing.ics`, `${base}/calendar/`, `${base}/calendar/a/b.ics`]) {
      const response = await fetch(url);
      expect([url, response.status, await response.text()]).toEqual([url, 404, 'not found']);
    }
    expect((await fetch(`${base}/calendar/${'A'.repeat(43)}.ics`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/slack/events`, { method: 'POST', body: 'command=%2Fcalendar&user_id=U0ANN' })).status).toBe(401);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  test('without TASKFORCE_PUBLIC_URL, /calendar says so and makes nothing', async () => {
    await running.stop();
    await start(null);
    const answer = await command(ANN, '/calendar', '');
    expect(answer).toMatch(/TASKFORCE_PUBLIC_URL is not set/);
    expect(answer).toMatch(/npm run -s export -- ics/);
    expect(await store.db.calendarFeed.count()).toBe(0);
  });

  test('a meeting moved in the calendar file moves its digest; one deleted is cancelled; one posted is not posted again', async () => {
    await runSweep();
    const stored = await store.db.meeting.findMany({ where: { calendarUid: { not: null } }, orderBy: { startsAt: 'asc' } });
    expect(stored.map((m) => [m.calendarUid, m.startsAt.toISOString(), m.note])).toEqual([
      [MAY.uid, '2017-05-26T13:00:00.000Z', 'Taskforce meeting'],
      [JUNE.uid, '2017-06-20T13:00:00.000Z', 'Taskforce meeting (June)'],
    ]);
    expect(logged.join('\n')).toMatch(/meetings calendar .*meetings\.ics: 2 meetings read; 2 added, 0 moved, 0 cancelled/);
    // A meeting not in the calendar, added by hand, is kept through every sweep.
    expect(await command(ADMIN, '/meeting', 'add 2017-07-10 14:00 Summer review')).toMatch(/^Added the meeting of/);
    expect(await command(ADMIN, '/meeting', 'cancel 2017-05-26')).toMatch(/comes from the Taskforce's meetings calendar: cancel or move it there/);

    // The May meeting moves to Friday 2 June: its digest no longer goes on Wednesday 24 May…
    fs.writeFileSync(icsPath, calendarFile([{ ...MAY, start: '20170602T140000', end: '20170602T160000' }, JUNE]));
    now = new Date('2017-05-24T08:05:00Z');
    await runSweep();
    expect(logged.at(-1)).toMatch(/2 meetings read; 0 added, 1 moved, 0 cancelled/);
    expect(digestsPosted()).toHaveLength(0);
    const may = await store.db.meeting.findUniqueOrThrow({ where: { calendarUid: MAY.uid } });
    expect(may.id).toBe(stored[0].id);
    expect(may.startsAt.toISOString()).toBe('2017-06-02T13:00:00.000Z');

    // …but two working days before the new date, Wednesday 31 May, at 09:00.
    now = new Date('2017-05-31T08:05:00Z');
    await runSweep();
    expect(digestsPosted().map((call) => call.body.text)).toEqual([expect.stringMatching(/^Taskforce digest for the meeting of 2 Jun 2017 14:00/)]);

    // Moved again after its digest went: it is not posted again.
    fs.writeFileSync(icsPath, calendarFile([{ ...MAY, start: '20170602T150000', end: '20170602T170000' }, JUNE]));
    now = new Date('2017-06-01T08:05:00Z');
    await runSweep();
    expect(digestsPosted()).toHaveLength(1);

    // The June meeting is deleted from the calendar: cancelled, and no digest on Friday 16 June.
    fs.writeFileSync(icsPath, calendarFile([{ ...MAY, start: '20170602T150000', end: '20170602T170000' }]));
    await runSweep();
    expect(logged.at(-1)).toMatch(/1 meetings read; 0 added, 0 moved, 1 cancelled/);
    expect((await store.db.meeting.findUniqueOrThrow({ where: { calendarUid: JUNE.uid } })).cancelledAt).not.toBeNull();
    now = new Date('2017-06-16T08:05:00Z');
    await runSweep();
    expect(digestsPosted()).toHaveLength(1);
    expect((await command(ANN, '/meeting', '')).includes('Summer review')).toBe(true);
  });

  test('a calendar file that is not iCalendar: one line in the log, the stored meetings unchanged', async () => {
    await runSweep();
    const before = await store.db.meeting.findMany({ orderBy: { id: 'asc' } });
    expect(before).toHaveLength(2);
    fs.writeFileSync(icsPath, 'date,time,what\n2017-05-26,14:00,Taskforce meeting\n');
    now = new Date('2017-05-16T08:00:00Z');
    logged.length = 0;
    await runSweep();
    await runSweep(); // the same problem is not logged again each minute
    expect(logged).toEqual([expect.stringMatching(/^meetings calendar .*meetings\.ics is not an iCalendar file \(it should begin with BEGIN:VCALENDAR and end with END:VCALENDAR\); the stored meetings are kept as they were$/)]);
    expect(await store.db.meeting.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    fs.rmSync(icsPath);
    await runSweep();
    expect(logged.at(-1)).toMatch(/meetings\.ics cannot be read \(ENOENT\); the stored meetings are kept as they were$/);
    expect(await store.db.meeting.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
  });
});
