import { assessItem, type Milestone } from '../../src/domain/deadlines';
import { DEFAULT_REMINDER_SETTINGS, latestStepDueBy, plannedSends, type ReminderItem, type Step } from '../../src/domain/reminders';
import { isWorkingDay, workingDayOnOrBefore, workingDaysBefore } from '../../src/domain/working-days';
import type { ReminderLine } from '../../src/domain/notices';
import { reminderBlocks } from '../../src/slack/blocks/reminders';

const ZONE = 'Europe/London';
const context = { timeZone: ZONE, meetings: [] };
const settings = DEFAULT_REMINDER_SETTINGS;
const april2017: Milestone = { id: 30, words: 'April 2017', part: null, rule: { kind: 'once', dueMonth: '2017-04' } };

function action3(overrides: Partial<ReminderItem> = {}): ReminderItem {
  return {
    id: 3,
    ref: '3',
    leads: ['Taskforce members'],
    milestones: [april2017],
    history: [{ status: 'not-started', deadlineId: null, at: new Date('2016-09-01T00:00:00Z'), source: 'import' }],
    remindersOff: false,
    recipients: [{ kind: 'user', id: 'U0ANN' }],
    snoozes: [],
    ...overrides,
  };
}

function sendsAt(iso: string, item = action3()) {
  const asOf = new Date(iso);
  return plannedSends([item], new Map([[item.id, assessItem(item, asOf, context)]]), asOf, settings, ZONE);
}

describe('working days in England and Wales', () => {
  test('weekends and bank holidays are not working days', () => {
    expect(isWorkingDay('2017-04-13')).toBe(true); // Maundy Thursday
    expect(isWorkingDay('2017-04-14')).toBe(false); // Good Friday
    expect(isWorkingDay('2017-04-17')).toBe(false); // Easter Monday
    expect(isWorkingDay('2017-04-15')).toBe(false); // Saturday
    expect(isWorkingDay('2017-05-29')).toBe(false); // Spring bank holiday
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day, substitute
  });
  test('a reminder day that is not a working day moves to the working day before', () => {
    expect(workingDayOnOrBefore('2017-04-16')).toBe('2017-04-13'); // Sunday → over Good Friday → Thursday
    expect(workingDayOnOrBefore('2017-04-18')).toBe('2017-04-18');
    expect(workingDaysBefore('2017-05-30', 2)).toBe('2017-05-25'); // Tuesday after a bank holiday Monday
  });
});

describe('reminder steps for action 3, due Sunday 30 April 2017', () => {
  test('14, 7, 1 days before and on the day at 09:00, moved to working days; then weekly nudges', () => {
    const occurrence = assessItem(action3(), new Date('2017-04-01T00:00:00Z'), context)[0];
    const schedule = [
      ['before-14', '2017-04-13T08:00:00.000Z'], // 16 Apr is a Sunday; 14 Apr Good Friday
      ['before-7', '2017-04-21T08:00:00.000Z'], // Sunday 23 → Friday 21
      ['before-0', '2017-04-28T08:00:00.000Z'], // before-1 (Saturday 29) and before-0 (Sunday 30) both → Friday 28
      ['nudge-1', '2017-05-05T08:00:00.000Z'],
      ['nudge-2', '2017-05-12T08:00:00.000Z'],
      ['nudge-3', '2017-05-19T08:00:00.000Z'],
    ];
    const name = (step: Step) => (step.kind === 'before' ? `before-${step.days}` : step.kind === 'nudge' ? `nudge-${step.number}` : step.kind);
    const latestAt = (instant: number) => {
      const latest = latestStepDueBy(occurrence, new Date(instant), settings, ZONE);
      return latest && [name(latest.step), latest.sendAt.toISOString()];
    };
    expect(latestAt(Date.parse(schedule[0][1]) - 1)).toBeNull();
    schedule.forEach(([step, sendAt], index) => {
      expect(latestAt(Date.parse(sendAt))).toEqual([step, sendAt]);
      expect(latestAt(Date.parse(sendAt) - 1)).toEqual(index === 0 ? null : schedule[index - 1]);
    });
  });

  test('years overdue: the latest nudge is counted, not listed, and still lands on a working day', () => {
    const occurrence = assessItem(action3(), new Date('2017-04-01T00:00:00Z'), context)[0];
    // Nudge 504 falls on Sunday 27 December 2026, moved over Boxing Day and Christmas to Thursday 24th;
    // nudge 503 on Sunday 20th, moved to Friday 18th.
    const latestAt = (instant: string) => latestStepDueBy(occurrence, new Date(instant), settings, ZONE);
    expect(latestAt('2026-12-24T09:00:00Z')).toEqual({ step: { kind: 'nudge', number: 504 }, sendAt: new Date('2026-12-24T09:00:00.000Z') });
    expect(latestAt('2026-12-24T08:59:59Z')).toEqual({ step: { kind: 'nudge', number: 503 }, sendAt: new Date('2026-12-18T09:00:00.000Z') });
    // Nudge 505, Sunday 3 January 2027, moves over New Year's Day to Thursday 31 December.
    expect(latestAt('2027-01-01T12:00:00Z')).toEqual({ step: { kind: 'nudge', number: 505 }, sendAt: new Date('2026-12-31T09:00:00.000Z') });
  });

  test('each sweep plans only the latest step that is due', () => {
    expect(sendsAt('2017-04-13T07:59:00Z')).toEqual([]);
    expect(sendsAt('2017-04-13T08:00:00Z').map((s) => s.key)).toEqual(['reminder:3:30:2017-04:before-14:user:U0ANN']);
    expect(sendsAt('2017-04-19T12:00:00Z').map((s) => s.key)).toEqual(['reminder:3:30:2017-04:before-14:user:U0ANN']);
    expect(sendsAt('2017-04-28T09:00:00Z').map((s) => s.key)).toEqual(['reminder:3:30:2017-04:before-0:user:U0ANN']);
    expect(sendsAt('2017-05-05T09:00:00Z').map((s) => s.key)).toEqual(['reminder:3:30:2017-04:nudge-1:user:U0ANN']);
  });

  test('after two unanswered nudges, an escalation to the Taskforce channel with the third', () => {
    expect(sendsAt('2017-05-12T09:00:00Z').map((s) => s.step.kind)).toEqual(['nudge']);
    expect(sendsAt('2017-05-19T09:00:00Z').map((s) => [s.step.kind, s.recipient])).toEqual([
      ['escalation', null],
      ['nudge', { kind: 'user', id: 'U0ANN' }],
    ]);
    const answered = action3({
      history: [
        { status: 'not-started', deadlineId: null, at: new Date('2016-09-01T00:00:00Z'), source: 'import' },
        { status: 'at-risk', deadlineId: null, at: new Date('2017-05-06T10:00:00Z'), source: 'command' },
      ],
    });
    expect(sendsAt('2017-05-19T09:00:00Z', answered).map((s) => s.step.kind)).toEqual(['nudge']);
  });

  test('nothing once it is done, or when reminders are off for the item', () => {
    const done = action3({
      history: [
        { status: 'not-started', deadlineId: null, at: new Date('2016-09-01T00:00:00Z'), source: 'import' },
        { status: 'done', deadlineId: null, at: new Date('2017-04-25T10:00:00Z'), source: 'button' },
      ],
    });
    expect(sendsAt('2017-04-28T09:00:00Z', done)).toEqual([]);
    expect(sendsAt('2017-04-28T09:00:00Z', action3({ remindersOff: true }))).toEqual([]);
  });

  test('issue 12 item 7: "Reminders off" silences the leads, never the escalation to the Taskforce', () => {
    const off = action3({ remindersOff: true });
    // 19 May: the third nudge, after two unanswered: the lead hears nothing, the Taskforce is told.
    expect(sendsAt('2017-05-19T08:00:00Z', off).map((s) => s.key)).toEqual(['reminder:3:30:2017-04:escalation:taskforce']);
    expect(sendsAt('2017-05-19T08:00:00Z').map((s) => s.key).sort()).toEqual(['reminder:3:30:2017-04:escalation:taskforce', 'reminder:3:30:2017-04:nudge-3:user:U0ANN']);
  });

  test('catch-up: down for a week, one reminder (the latest step); down for longer than the window, none of the old ones', () => {
    // Down from 12 April to 28 April 10:00: 14, 7, 1 and 0 days before all fell due; only "on the day" goes.
    expect(sendsAt('2017-04-28T10:00:00Z').map((s) => s.key)).toEqual(['reminder:3:30:2017-04:before-0:user:U0ANN']);
    // 4 May: the latest step (28 April) is within 7 days; on 5 May nudge 1 takes over.
    expect(sendsAt('2017-05-04T10:00:00Z').map((s) => s.key)).toEqual(['reminder:3:30:2017-04:before-0:user:U0ANN']);
    // A step older than the window is not sent late: on 20 April 12:00, 13 April 08:00 is too old.
    expect(sendsAt('2017-04-20T12:00:00Z')).toEqual([]);
  });

  test('snoozed: nothing until the snooze ends, then one reminder', () => {
    const snoozed = action3({ snoozes: [{ recipient: 'user:U0ANN', until: new Date('2017-04-29T08:00:00Z'), createdAt: new Date('2017-04-28T08:05:00Z') }] });
    expect(sendsAt('2017-04-28T12:00:00Z', snoozed)).toEqual([]);
    expect(sendsAt('2017-04-29T08:00:00Z', snoozed).map((s) => s.key)).toEqual(['reminder:3:30:2017-04:snooze-2017-04-29T08:00:00.000Z:user:U0ANN']);
    // A later step supersedes the snooze.
    expect(sendsAt('2017-05-05T09:00:00Z', snoozed).map((s) => s.step.kind)).toEqual(['nudge']);
  });

  test('each recipient gets its own key; an unmapped lead is one recipient', () => {
    const shared = action3({ recipients: [{ kind: 'user', id: 'U0ANN' }, { kind: 'channel', id: 'C0LGA' }, { kind: 'unmapped', lead: 'SCL' }] });
    expect(sendsAt('2017-04-13T08:00:00Z', shared).map((s) => s.key)).toEqual([
      'reminder:3:30:2017-04:before-14:channel:C0LGA',
      'reminder:3:30:2017-04:before-14:unmapped:SCL',
      'reminder:3:30:2017-04:before-14:user:U0ANN',
    ]);
  });
});

describe('a reminder for leads no one answers for, as the Taskforce channel reads it', () => {
  const line = (ref: string, deadlineId: number, unmappedLead: string): ReminderLine => ({
    key: `reminder:${ref}:${deadlineId}:${unmappedLead}`,
    ref,
    title: `Item ${ref}`,
    deadlineId,
    part: null,
    deadlineWords: 'April 2017',
    dueDate: '2017-04-28',
    daysToDue: 10,
    urgency: 'coming-up',
    step: 'before',
    status: 'not-started',
    parts: null,
    leads: ['LGA', 'SCL'],
    unmappedLead,
  });
  const textOf = (lines: ReminderLine[]) => JSON.stringify(reminderBlocks({ kind: 'reminders', audience: { kind: 'unmapped' }, asOf: '2017-04-18T08:00:00Z', lines }, ZONE).blocks);

  test('one deadline of several unmapped leads is one line naming them all', () => {
    const text = textOf([line('3', 30, 'LGA'), line('7', 70, 'LGA'), line('3', 30, 'SCL')]);
    expect(text).toContain('· LGA, SCL');
    expect(text.match(/Item 3/g)).toHaveLength(1);
    expect(text.match(/Item 7/g)).toHaveLength(1);
  });
});
