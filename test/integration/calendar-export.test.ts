import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { assessItem } from '../../src/domain/deadlines';
import { itemTitle } from '../../src/domain/titles';
import { deadlineUid, meetingUid } from '../../src/export/calendar';
import { loadItems, loadMeetings } from '../../src/store/tracked-items';
import { deadlineDays, eventsOf } from '../helpers/ics';
import { freshStore, TIME_ZONE } from '../helpers/store';

const ROOT = path.resolve(__dirname, '../..');
const NOW = '2017-05-15T09:00';

function runExport(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/export.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
}

describe('npm run export -- ics: the plan as a calendar', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let env: Record<string, string>;
  /** What the bot itself says: UID → due date, for every occurrence of every deadline in the plan. */
  let expected: Map<string, { day: string; leads: readonly string[]; summary: string }>;
  let meetingId: number;

  beforeAll(async () => {
    store = await freshStore();
    // Two meetings, so that "every Taskforce meeting" deadlines have occurrences too.
    await store.db.meeting.createMany({
      data: [
        { startsAt: new Date('2017-03-20T14:00:00Z'), note: 'Spring', createdBy: 'test', createdAt: new Date('2017-01-01T00:00:00Z') },
        { startsAt: new Date('2017-05-26T13:00:00Z'), note: null, createdBy: 'test', createdAt: new Date('2017-01-01T00:00:00Z') },
      ],
    });
    meetingId = (await store.db.meeting.findFirstOrThrow({ where: { note: null } })).id;
    const [items, meetings] = await Promise.all([loadItems(store.db), loadMeetings(store.db)]);
    expected = new Map();
    for (const item of items) {
      for (const occurrence of assessItem(item, new Date('2017-05-15T08:00:00Z'), { timeZone: TIME_ZONE, meetings })) {
        const part = occurrence.milestone.part ? ` (${occurrence.milestone.part})` : '';
        expected.set(deadlineUid(occurrence.milestone.id, occurrence.key), { day: occurrence.dueDate, leads: item.leads, summary: `${item.ref} ${itemTitle(item.text)}${part}` });
      }
    }
    env = { DATABASE_URL: store.url, TASKFORCE_NOW: NOW };
  });
  afterAll(() => store.close());

  test('every deadline occurrence of the whole plan, on the day the bot counts it due, and the meetings', () => {
    const result = runExport(['ics'], env);
    expect(result.status).toBe(0);
    const days = deadlineDays(result.stdout);
    expect(expected.size).toBeGreaterThan(100);
    expect(days).toEqual(new Map([...expected].map(([uid, entry]) => [uid, entry.day])));
    // "Every Taskforce meeting" deadlines fall on the meetings' days.
    expect([...days.values()]).toContain('2017-05-26');

    const events = eventsOf(result.stdout);
    for (const [uid, entry] of expected) {
      const event = events.get(uid)!;
      expect(event.summary).toBe(entry.summary);
      expect(String(event.description)).not.toMatch(/https?:|www\./);
    }
    const meeting = events.get(meetingUid(meetingId))!;
    expect(meeting.start.toISOString()).toBe('2017-05-26T13:00:00.000Z');
    expect(meeting.end?.toISOString()).toBe('2017-05-26T14:00:00.000Z');
    expect(meeting.summary).toBe('Taskforce meeting');
  });

  test('--lead: that lead\'s deadlines only, and the meetings', () => {
    const result = runExport(['ics', '--lead', 'arts council england'], env);
    expect(result.status).toBe(0);
    const theirs = [...expected].filter(([, entry]) => entry.leads.includes('Arts Council England'));
    expect(theirs.length).toBeGreaterThan(0);
    expect(theirs.length).toBeLessThan(expected.size);
    expect(deadlineDays(result.stdout)).toEqual(new Map(theirs.map(([uid, entry]) => [uid, entry.day])));
    expect([...eventsOf(result.stdout).keys()].filter((uid) => uid.startsWith('meeting-'))).toHaveLength(2);
  });

  test('--lead naming no lead: exit 1, one line, nothing written', () => {
    const result = runExport(['ics', '--lead', 'Arts Concil'], env);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^export: There is no lead called .*Arts Concil.*Did you mean Arts Council England\?/);
  });
});
