import {
  assessItem,
  compareRefs,
  dueWithin,
  groupByLead,
  overdueAsOf,
  partsProgress,
  statusAsOf,
  type Milestone,
  type StatusEntry,
  type TrackedItem,
} from '../../src/domain/deadlines';
import type { Status } from '../../src/domain/statuses';

const context = { timeZone: 'Europe/London', meetings: [] as { startsAt: Date }[] };
const at = (iso: string) => new Date(iso);
const imported: StatusEntry = { status: 'not-started', deadlineId: null, at: at('2016-09-01T09:00:00Z'), source: 'import' };

function update(iso: string, status: Status, deadlineId: number | null = null): StatusEntry {
  return { status, deadlineId, at: at(iso), source: 'command' };
}

function item(ref: string, milestones: Milestone[], history: StatusEntry[] = [], leads = ['Taskforce Team']): TrackedItem {
  return { id: Number.parseInt(ref, 10) || 99, ref, leads, milestones, history: [imported, ...history] };
}

const once = (id: number, dueMonth: string, part: string | null = null): Milestone => ({ id, words: dueMonth, part, rule: { kind: 'once', dueMonth } });
const sixMonthly = (id: number): Milestone => ({
  id,
  words: '6 monthly review*',
  part: null,
  rule: { kind: 'six-monthly', fromMonth: '2017-04', untilMonth: '2021-12' },
});

describe('overdue and due soon', () => {
  const action3 = item('3', [once(3, '2017-04')], [], ['Taskforce members']);
  const action14 = item('14', [once(14, '2018-07')]);

  test('on 15 May 2017 action 3 (April 2017) is overdue by 15 days and action 14 (July 2018) is not', () => {
    const overdue = overdueAsOf([action3, action14], at('2017-05-15T09:00:00+01:00'), context);
    expect(overdue.map((entry) => [entry.item.ref, entry.occurrence.dueDate, entry.daysLate])).toEqual([['3', '2017-04-30', 15]]);
  });

  test('on the last day of its month a deadline is due, not overdue; a minute after midnight it is overdue', () => {
    expect(overdueAsOf([action3], at('2017-04-30T23:59:00+01:00'), context)).toEqual([]);
    expect(overdueAsOf([action3], at('2017-05-01T00:01:00+01:00'), context)).toHaveLength(1);
  });

  test('once action 3 is marked done it is no longer overdue, but it was before the update', () => {
    const done = item('3', [once(3, '2017-04')], [update('2017-05-16T10:00:00Z', 'done')]);
    expect(overdueAsOf([done], at('2017-05-17T09:00:00Z'), context)).toEqual([]);
    expect(overdueAsOf([done], at('2017-05-15T09:00:00Z'), context)).toHaveLength(1);
  });

  test('a status other than done does not meet a one-off deadline', () => {
    const onTrack = item('3', [once(3, '2017-04')], [update('2017-04-20T10:00:00Z', 'on-track')]);
    expect(overdueAsOf([onTrack], at('2017-05-15T09:00:00Z'), context)).toHaveLength(1);
  });

  test('each part of a multi-part deadline is met on its own', () => {
    const action4 = item('4', [once(41, '2017-03', 'identify research'), once(42, '2017-05', 'commission')], [
      update('2017-06-02T10:00:00Z', 'done', 42),
    ]);
    const overdue = overdueAsOf([action4], at('2017-06-10T09:00:00Z'), context);
    expect(overdue.map((entry) => entry.occurrence.milestone.part)).toEqual(['identify research']);
    // The part's done does not make the item done.
    expect(statusAsOf(action4, at('2017-06-10T09:00:00Z'))).toBe('not-started');
  });

  test('issue 11 point 4: every one-off part done reads as done, even in the same instant as the import; a later status wins', () => {
    const parts = [once(41, '2017-03', 'identify research'), once(42, '2017-05', 'commission')];
    const sameInstant: StatusEntry = { ...imported, at: at('2017-05-15T09:00:00Z') }; // the console's fixed clock
    const done = item('4', parts, [sameInstant, update('2017-05-15T09:00:00Z', 'done', 42), update('2017-05-15T09:00:00Z', 'done', 41)]);
    expect(statusAsOf(done, at('2017-05-15T09:00:00Z'))).toBe('done');
    expect(partsProgress(done, at('2017-05-15T09:00:00Z'))).toEqual({ done: 2, total: 2 });
    const reopened = item('4', parts, [imported, update('2017-05-01T09:00:00Z', 'done', 42), update('2017-05-02T09:00:00Z', 'done', 41), update('2017-05-03T09:00:00Z', 'at-risk')]);
    expect(statusAsOf(reopened, at('2017-05-15T09:00:00Z'))).toBe('at-risk');
    expect(partsProgress(item('4', parts, [imported, update('2017-05-01T09:00:00Z', 'done', 42)]), at('2017-05-15T09:00:00Z'))).toEqual({ done: 1, total: 2 });
  });

  test('a part marked done and then reopened is open again', () => {
    const action4 = item('4', [once(42, '2017-05', 'commission')], [
      update('2017-05-02T10:00:00Z', 'done', 42),
      update('2017-06-01T10:00:00Z', 'at-risk', 42),
    ]);
    expect(overdueAsOf([action4], at('2017-06-10T09:00:00Z'), context)).toHaveLength(1);
  });

  test('a six-monthly review is met by any update in its cycle, and only the latest missed one is overdue', () => {
    const reviewed = item('1', [sixMonthly(1)], [update('2017-03-10T10:00:00Z', 'on-track')]);
    const states = assessItem(reviewed, at('2018-05-15T09:00:00Z'), context).slice(0, 4);
    expect(states.map((o) => [o.key, o.state])).toEqual([
      ['2017-04', 'met'], // updated in March 2017, inside Nov 2016 - Apr 2017
      ['2017-10', 'missed'], // superseded by April 2018
      ['2018-04', 'overdue'],
      ['2018-10', 'upcoming'],
    ]);
  });

  test('the import entry is not an update: it meets no review', () => {
    const untouched = item('1', [sixMonthly(1)]);
    expect(overdueAsOf([untouched], at('2017-05-15T09:00:00Z'), context).map((e) => e.occurrence.key)).toEqual(['2017-04']);
  });

  test('an update early in the next cycle meets the next review, not the missed one', () => {
    const late = item('1', [sixMonthly(1)], [update('2017-05-03T10:00:00Z', 'on-track')]);
    const states = assessItem(late, at('2017-05-15T09:00:00Z'), context).slice(0, 2);
    expect(states.map((o) => [o.key, o.state])).toEqual([
      ['2017-04', 'overdue'],
      ['2017-10', 'met'],
    ]);
  });

  test('a done item has nothing open', () => {
    const finished = item('1', [sixMonthly(1), once(2, '2019-01')], [update('2017-02-01T10:00:00Z', 'done')]);
    expect(assessItem(finished, at('2019-06-01T00:00:00Z'), context).every((o) => o.state === 'met')).toBe(true);
  });

  test('every-meeting deadlines fall due at each meeting, met by an update since the one before', () => {
    const meetings = [{ startsAt: at('2017-01-10T14:00:00Z') }, { startsAt: at('2017-03-07T14:00:00Z') }];
    const review: Milestone = { id: 22, words: 'Every Taskforce meeting', part: null, rule: { kind: 'every-meeting', fromMonth: '2016-12' } };
    const action22 = item('22', [review], [update('2017-02-01T10:00:00Z', 'on-track')]);
    const states = assessItem(action22, at('2017-03-08T09:00:00Z'), { ...context, meetings });
    expect(states.map((o) => [o.dueDate, o.state])).toEqual([
      ['2017-01-10', 'missed'],
      ['2017-03-07', 'met'],
    ]);
  });

  test('due within N days counts whole plan-local days and leaves out what is overdue or met', () => {
    const items = [
      item('3', [once(3, '2017-04')]),
      item('19', [once(19, '2017-03')]),
      item('20', [once(20, '2017-07', 'agreed next steps')]),
    ];
    const asOf = at('2017-04-15T12:00:00+01:00');
    expect(dueWithin(items, asOf, 15, context).map((e) => e.item.ref)).toEqual(['3']);
    expect(dueWithin(items, asOf, 14, context).map((e) => e.item.ref)).toEqual([]);
    expect(dueWithin(items, asOf, 107, context).map((e) => e.item.ref)).toEqual(['3', '20']);
  });

  test('entries group under each of their leads, oldest first within a lead', () => {
    const entries = overdueAsOf(
      [
        item('10', [once(10, '2017-02')], [], ['LGA', 'Taskforce Team']),
        item('19', [once(19, '2017-03')], [], ['CILIP', 'SCL']),
        item('11', [once(11, '2016-10')], [], ['DCMS']),
        item('13', [once(13, '2017-03')], [], ['LGA', 'Taskforce Team']),
      ],
      at('2017-05-15T09:00:00Z'),
      context,
    );
    expect(entries.map((e) => e.item.ref)).toEqual(['11', '10', '13', '19']);
    const groups = groupByLead(entries);
    expect([...groups.keys()]).toEqual(['DCMS', 'LGA', 'Taskforce Team', 'CILIP', 'SCL']);
    expect(groups.get('LGA')!.map((e) => e.item.ref)).toEqual(['10', '13']);
  });

  test('references sort as people read them', () => {
    expect(['LG10', '2', 'CG1', '1b', 'LG2', '10', '1', 'W1-18a'].sort(compareRefs)).toEqual(['1', '1b', '2', '10', 'CG1', 'LG2', 'LG10', 'W1-18a']);
  });
});
