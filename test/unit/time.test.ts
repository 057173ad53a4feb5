import { assessItem } from '../../src/domain/deadlines';
import { DEFAULT_REMINDER_SETTINGS, latestStepDueBy } from '../../src/domain/reminders';
import { addDays, dayjs, daysBetween, instantWords, lastDayOfMonth, localDate, localDateTime, startOfLocalDay, startOfMonth, weekday, zonedTime } from '../../src/domain/time';

const LONDON = 'Europe/London';

// In 2017 the clocks went forward on Sunday 26 March (01:00 GMT) and back on Sunday 29 October
// (01:00 GMT): plan-local times are GMT (UTC) in winter and BST (UTC+1) in summer.
describe('plan-local time across the changes of the clocks in Europe/London', () => {
  test('a local time is the right instant on either side of each change', () => {
    expect(zonedTime('2017-03-25', '09:00', LONDON).toISOString()).toBe('2017-03-25T09:00:00.000Z');
    expect(zonedTime('2017-03-26', '09:00', LONDON).toISOString()).toBe('2017-03-26T08:00:00.000Z');
    expect(zonedTime('2017-10-28', '09:00', LONDON).toISOString()).toBe('2017-10-28T08:00:00.000Z');
    expect(zonedTime('2017-10-29', '09:00', LONDON).toISOString()).toBe('2017-10-29T09:00:00.000Z');
  });

  test('the cache hands out copies: changing one does not change the next answer', () => {
    const first = zonedTime('2017-06-01', '09:00', LONDON);
    first.setUTCFullYear(1999);
    expect(zonedTime('2017-06-01', '09:00', LONDON).toISOString()).toBe('2017-06-01T08:00:00.000Z');
  });

  test('months and days start at local midnight', () => {
    expect(startOfMonth('2017-04', LONDON).toISOString()).toBe('2017-03-31T23:00:00.000Z');
    expect(startOfMonth('2017-11', LONDON).toISOString()).toBe('2017-11-01T00:00:00.000Z');
    expect(startOfLocalDay('2017-10-29', LONDON).toISOString()).toBe('2017-10-28T23:00:00.000Z');
    expect(startOfLocalDay('2017-10-30', LONDON).toISOString()).toBe('2017-10-30T00:00:00.000Z');
  });

  test('the local date of an instant near midnight', () => {
    expect(localDate(new Date('2017-03-31T23:30:00Z'), LONDON)).toBe('2017-04-01'); // 00:30 BST
    expect(localDate(new Date('2017-10-28T23:30:00Z'), LONDON)).toBe('2017-10-29'); // 00:30 BST, before the change
    expect(localDate(new Date('2017-10-29T23:30:00Z'), LONDON)).toBe('2017-10-29'); // 23:30 GMT
    expect(localDate(new Date('2017-12-31T23:59:59Z'), 'America/New_York')).toBe('2017-12-31');
  });

  test('calendar arithmetic counts days, not 24-hour spans', () => {
    expect(addDays('2017-03-25', 1)).toBe('2017-03-26');
    expect(addDays('2017-03-26', 1)).toBe('2017-03-27');
    expect(addDays('2017-10-30', -2)).toBe('2017-10-28');
    expect(addDays('2016-02-28', 1)).toBe('2016-02-29');
    expect(addDays('2017-12-31', 1)).toBe('2018-01-01');
    expect(daysBetween('2017-03-25', '2017-03-27')).toBe(2);
    expect(daysBetween('2017-10-30', '2017-10-28')).toBe(-2);
    expect(lastDayOfMonth('2016-02')).toBe('2016-02-29');
    expect(lastDayOfMonth('2017-02')).toBe('2017-02-28');
    expect(lastDayOfMonth('2017-12')).toBe('2017-12-31');
    expect(weekday('2017-03-26')).toBe(0); // a Sunday
  });

  test('reminders before and after the clocks go back all go out at 09:00 local', () => {
    const item = {
      id: 1,
      ref: '1',
      leads: ['DCMS'],
      milestones: [{ id: 1, words: 'October 2017', part: null, rule: { kind: 'once' as const, dueMonth: '2017-10' } }],
      history: [],
    };
    const [occurrence] = assessItem(item, new Date('2017-09-01T00:00:00Z'), { timeZone: LONDON, meetings: [] });
    const at = (iso: string) => latestStepDueBy(occurrence, new Date(iso), DEFAULT_REMINDER_SETTINGS, LONDON);
    // 14 days before Tuesday 31 October: Tuesday 17th, in BST; on the day, in GMT.
    expect(at('2017-10-17T08:00:00Z')).toEqual({ step: { kind: 'before', days: 14 }, sendAt: new Date('2017-10-17T08:00:00Z') });
    expect(at('2017-10-31T08:59:59Z')?.step).toEqual({ kind: 'before', days: 1 });
    expect(at('2017-10-31T09:00:00Z')).toEqual({ step: { kind: 'before', days: 0 }, sendAt: new Date('2017-10-31T09:00:00Z') });
  });
});

describe('instantWords (the words of an instant, in a zone)', () => {
  it('agrees with dayjs in the zone, across both clock changes and midnight, in several zones', () => {
    const zones = [LONDON, 'America/New_York', 'Asia/Kolkata', 'Pacific/Chatham', 'UTC'];
    // Every 21 h 41 min through 2017 and 2020 (a leap year): each hour of the day, each clock change.
    for (const year of [2017, 2020]) {
      for (let ms = Date.UTC(year, 0, 1); ms < Date.UTC(year + 1, 0, 1); ms += 1301 * 60_000) {
        for (const zone of zones) {
          expect(instantWords(new Date(ms), zone)).toBe(dayjs(ms).tz(zone).format('D MMM YYYY HH:mm'));
        }
      }
    }
  });

  it('writes midnight as 00:00 and September as Sep, whatever the runtime locale data says', () => {
    expect(instantWords(new Date('2017-09-04T23:00:00Z'), LONDON)).toBe('5 Sep 2017 00:00');
    expect(localDateTime(new Date('2017-03-26T01:00:00Z'), LONDON)).toEqual({ date: '2017-03-26', time: '02:00' });
  });
});
