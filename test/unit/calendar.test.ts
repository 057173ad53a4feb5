import fs from 'node:fs';
import path from 'node:path';
import { readConfig } from '../../src/config';
import { parseCommand } from '../../src/domain/commands';
import type { Milestone } from '../../src/domain/deadlines';
import { CalendarReadError, readMeetingsIcs } from '../../src/domain/meetings-ics';
import ical, { foldLines as libraryFoldLines } from 'ical-generator';
import { calendarFeed, calendarText, deadlineUid, foldLines, meetingUid } from '../../src/export/calendar';
import type { PlanItemRecord } from '../../src/store/tracked-items';
import { deadlineDays, eventsOf } from '../helpers/ics';

const FIXTURE = fs.readFileSync(path.join(__dirname, '../fixtures/calendars/meetings.ics'), 'utf8');
const ALL_YEARS = { from: new Date('2016-01-01T00:00:00Z'), to: new Date('2031-01-01T00:00:00Z') };

describe('reading the meetings calendar (node-ical)', () => {
  test('London times across the clock change, a monthly RRULE with an EXDATE and a moved occurrence; all-day events left out', () => {
    const reading = readMeetingsIcs(FIXTURE, ALL_YEARS);
    expect(reading.meetings.map((m) => [m.uid, m.startsAt.toISOString(), m.endsAt?.toISOString(), m.title])).toEqual([
      // 10:00 GMT, then 10:00 BST (09:00 UTC); April's occurrence is excluded (EXDATE).
      ['working-group@example.org#2017-03-02T10:00:00.000Z', '2017-03-02T10:00:00.000Z', '2017-03-02T11:00:00.000Z', 'Working group'],
      // May's occurrence moved to the 5th at 15:00 (RECURRENCE-ID): known by its original time.
      ['working-group@example.org#2017-05-04T09:00:00.000Z', '2017-05-05T14:00:00.000Z', '2017-05-05T15:00:00.000Z', 'Working group (moved)'],
      ['taskforce-may-2017@example.org', '2017-05-26T13:00:00.000Z', '2017-05-26T15:00:00.000Z', 'Taskforce meeting'],
      ['working-group@example.org#2017-06-01T09:00:00.000Z', '2017-06-01T09:00:00.000Z', '2017-06-01T10:00:00.000Z', 'Working group'],
    ]);
    expect(reading.allDayLeftOut).toBe(1);
    expect(reading.beyondLimit).toBe(0);
  });

  test('only what falls in the window', () => {
    const reading = readMeetingsIcs(FIXTURE, { from: new Date('2017-05-01T00:00:00Z'), to: new Date('2017-05-31T00:00:00Z') });
    expect(reading.meetings.map((m) => m.startsAt.toISOString())).toEqual(['2017-05-05T14:00:00.000Z', '2017-05-26T13:00:00.000Z']);
  });

  test('a cancelled event is not a meeting', () => {
    const cancelled = FIXTURE.replace('SUMMARY:Taskforce meeting\r\n', 'SUMMARY:Taskforce meeting\r\nSTATUS:CANCELLED\r\n').replace('SUMMARY:Taskforce meeting\n', 'SUMMARY:Taskforce meeting\nSTATUS:CANCELLED\n');
    expect(readMeetingsIcs(cancelled, ALL_YEARS).meetings.map((m) => m.uid)).not.toContain('taskforce-may-2017@example.org');
  });

  test.each([['a CSV file', 'date,time\n2017-05-26,14:00\n'], ['an empty file', ''], ['a cut-off calendar', FIXTURE.slice(0, 400)], ['an HTML page', '<html><body>Sign in</body></html>']])('%s is refused, with the reason', (_what, text) => {
    expect(() => readMeetingsIcs(text, ALL_YEARS)).toThrow(CalendarReadError);
    expect(() => readMeetingsIcs(text, ALL_YEARS)).toThrow(/^is not an iCalendar file/);
  });
});

describe('the calendar feed (ical-generator)', () => {
  const milestone = (id: number, rule: Milestone['rule'], part: string | null = null): Milestone => ({ id, words: 'the plan\'s words', part, rule });
  const item = {
    id: 1,
    ref: '4',
    text: 'Identify and commission any further research needed to understand the impact of libraries',
    leads: ['Arts Council England'],
    milestones: [milestone(11, { kind: 'once', dueMonth: '2017-03' }, 'identify research'), milestone(12, { kind: 'six-monthly', fromMonth: '2017-04', untilMonth: '2018-04' })],
    history: [],
  } as unknown as PlanItemRecord;
  const meeting = { id: 7, startsAt: new Date('2017-05-26T13:00:00Z'), endsAt: null, note: 'Quarterly' };
  const options = { name: 'Test', asOf: new Date('2017-05-15T08:00:00Z'), context: { timeZone: 'Europe/London', meetings: [meeting] } };

  test('each occurrence an all-day event on its due date, with stable UIDs; a meeting of an hour when its end is unknown', () => {
    const feed = calendarFeed([item], [meeting], options);
    expect(deadlineDays(feed)).toEqual(
      new Map([
        [deadlineUid(11, '2017-03'), '2017-03-31'],
        [deadlineUid(12, '2017-04'), '2017-04-30'],
        [deadlineUid(12, '2017-10'), '2017-10-31'],
        [deadlineUid(12, '2018-04'), '2018-04-30'],
      ]),
    );
    const events = eventsOf(feed);
    expect(events.get(deadlineUid(11, '2017-03'))?.summary).toBe('4 Identify and commission any further research needed to understand the impact… (identify research)');
    expect(String(events.get(deadlineUid(11, '2017-03'))?.description)).toMatch(/^Deadline of action plan item 4 \(identify research\)[^]*this deadline: overdue[^]*In Slack: \/action 4$/);
    expect(events.get(meetingUid(7))?.summary).toBe('Taskforce meeting: Quarterly');
    expect(events.get(meetingUid(7))?.end?.toISOString()).toBe('2017-05-26T14:00:00.000Z');
    // Made again later: the same events (same UIDs), so calendars update them in place.
    expect([...eventsOf(calendarFeed([item], [meeting], { ...options, asOf: new Date('2017-06-15T08:00:00Z') })).keys()]).toEqual([...events.keys()]);
    expect(feed).not.toMatch(/https?:\/\//);
  });

  test('its lines are folded as ical-generator folds them, at 74 octets of UTF-8, never inside a character', () => {
    const lines = [
      'SUMMARY:short',
      `DESCRIPTION:${'a'.repeat(74)}`,
      `DESCRIPTION:${'a'.repeat(200)}`,
      `SUMMARY:Bibliothèques publiques — ${'é'.repeat(40)} “quoted” ${'📚'.repeat(30)} done`,
      `SUMMARY:${'x'.repeat(71)}📚📚`, // a four-octet character where the line is full
      `SUMMARY:${'€'.repeat(60)}`,
      `SUMMARY:lone \ud83d surrogate ${'y'.repeat(80)}`,
      '',
    ];
    const text = lines.join('\r\n');
    expect(foldLines(text)).toBe(libraryFoldLines(text));
    expect(foldLines(text).split('\r\n').every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
  });

  test("the whole feed is the library's own text, byte for byte", () => {
    const write = () => {
      const calendar = ical({ name: 'Bibliothèques', prodId: { company: 'Libraries Taskforce', product: 'taskforce-bot', language: 'EN' } });
      for (let n = 0; n < 3; n++) calendar.createEvent({ id: `e${n}`, start: new Date(Date.UTC(2017, 2, n + 1)), allDay: true, stamp: options.asOf, summary: `${n} ${'Ünïcödé and a long summary '.repeat(6)}`, description: `Line one\n${'📚 '.repeat(50)}` });
      return calendar;
    };
    expect(calendarText(write())).toBe(write().toString());
  });
});

describe('/calendar and its settings', () => {
  test('parsing', () => {
    expect(parseCommand('/calendar', '')).toEqual({ kind: 'calendar', reset: false });
    expect(parseCommand('/calendar', ' Reset ')).toEqual({ kind: 'calendar', reset: true });
    expect(parseCommand('/calendar', 'help')).toEqual({ kind: 'help', topic: '/calendar', problem: null });
    expect(parseCommand('/calendar', 'rest')).toEqual({ kind: 'help', topic: '/calendar', problem: 'There is no `/calendar rest`. Did you mean `/calendar reset`?' });
  });

  test('TASKFORCE_PUBLIC_URL and TASKFORCE_MEETINGS_ICS', () => {
    expect(readConfig({ TASKFORCE_PUBLIC_URL: 'https://taskforce.example.org/bot/', TASKFORCE_MEETINGS_ICS: 'data/meetings.ics' }).calendars).toEqual({
      publicUrl: 'https://taskforce.example.org/bot',
      meetingsIcs: { kind: 'file', path: 'data/meetings.ics' },
    });
    expect(readConfig({ TASKFORCE_PUBLIC_URL: 'http://localhost:3000', TASKFORCE_MEETINGS_ICS: 'https://calendar.example.org/private-abc/basic.ics' }).calendars).toEqual({
      publicUrl: 'http://localhost:3000',
      meetingsIcs: { kind: 'url', url: 'https://calendar.example.org/private-abc/basic.ics' },
    });
    // http only for this machine (a test server, a proxy beside the bot).
    expect(readConfig({ TASKFORCE_MEETINGS_ICS: 'http://127.0.0.1:8080/meetings.ics' }).calendars?.meetingsIcs).toEqual({ kind: 'url', url: 'http://127.0.0.1:8080/meetings.ics' });
  });
});
