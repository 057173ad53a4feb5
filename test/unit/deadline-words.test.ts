import { readDeadlineWords, DeadlineWordsError, type PlanSpan } from '../../src/domain/deadline-words';
import { occurrencesOf } from '../../src/domain/deadlines';
import { ACTION_PLAN_2020_SOURCE, ambitionActions, normalise } from '../helpers/seeds';

const AMBITION: PlanSpan = { starts: '2016-12', ends: '2021-12' };
const PLAN_2020: PlanSpan = { starts: '2018-01', ends: '2020-03' };
const ZONE = 'Europe/London';
const MEETINGS = [
  { startsAt: new Date('2016-11-20T14:00:00Z') }, // before "from December 2016": not counted
  { startsAt: new Date('2016-12-08T14:00:00Z') },
  { startsAt: new Date('2017-02-02T10:00:00Z') },
];

const REVIEWS_2017_TO_2021 = ['2017-04-30', '2017-10-31', '2018-04-30', '2018-10-31', '2019-04-30', '2019-10-31', '2020-04-30', '2020-10-31', '2021-04-30', '2021-10-31'];

type Expected = { part: string | null; rule: string; due: string[] }[];

/** Every deadline string in the Ambition plan, and the dates each one means. */
const AMBITION_TABLE: Record<string, Expected> = {
  '6 monthly review*': [{ part: null, rule: 'six-monthly', due: REVIEWS_2017_TO_2021 }],
  '6 monthly review *': [{ part: null, rule: 'six-monthly', due: REVIEWS_2017_TO_2021 }],
  'March 2017 March 2018': [
    { part: null, rule: 'once', due: ['2017-03-31'] },
    { part: null, rule: 'once', due: ['2018-03-31'] },
  ],
  'April 2017': [{ part: null, rule: 'once', due: ['2017-04-30'] }],
  'March 2017 [identify research] May 2017 [commission]': [
    { part: 'identify research', rule: 'once', due: ['2017-03-31'] },
    { part: 'commission', rule: 'once', due: ['2017-05-31'] },
  ],
  'December 2016 [produce first iteration of comms plan] and then 6 monthly review*': [
    { part: 'produce first iteration of comms plan', rule: 'once', due: ['2016-12-31'] },
    { part: '6 monthly review', rule: 'six-monthly', due: REVIEWS_2017_TO_2021 },
  ],
  'December 2016 [produce first iteration of resources set] and then 6 monthly refresh': [
    { part: 'produce first iteration of resources set', rule: 'once', due: ['2016-12-31'] },
    {
      part: '6 monthly refresh',
      rule: 'six-monthly',
      due: ['2017-06-30', '2017-12-31', '2018-06-30', '2018-12-31', '2019-06-30', '2019-12-31', '2020-06-30', '2020-12-31', '2021-06-30', '2021-12-31'],
    },
  ],
  'April 2017 and then 6 monthly review*': [
    { part: null, rule: 'once', due: ['2017-04-30'] },
    { part: '6 monthly review', rule: 'six-monthly', due: REVIEWS_2017_TO_2021.slice(1) },
  ],
  'February 2017 [prototype ready for consultation and testing]': [
    { part: 'prototype ready for consultation and testing', rule: 'once', due: ['2017-02-28'] },
  ],
  'October 2016 [commission] April 2017 [complete]': [
    { part: 'commission', rule: 'once', due: ['2016-10-31'] },
    { part: 'complete', rule: 'once', due: ['2017-04-30'] },
  ],
  'March 2018': [{ part: null, rule: 'once', due: ['2018-03-31'] }],
  'March 2017 [prototype ready for consultation and testing]': [
    { part: 'prototype ready for consultation and testing', rule: 'once', due: ['2017-03-31'] },
  ],
  'July 2018': [{ part: null, rule: 'once', due: ['2018-07-31'] }],
  'March 2017': [{ part: null, rule: 'once', due: ['2017-03-31'] }],
  'July 2017 [agreed next steps]': [{ part: 'agreed next steps', rule: 'once', due: ['2017-07-31'] }],
  'Every Taskforce meeting from December 2016 [approx 2 monthly]': [
    { part: null, rule: 'every-meeting', due: ['2016-12-08', '2017-02-02'] },
  ],
  'October 2016 and then 6 monthly review*': [
    { part: null, rule: 'once', due: ['2016-10-31'] },
    { part: '6 monthly review', rule: 'six-monthly', due: REVIEWS_2017_TO_2021 },
  ],
  'November 2017 and annually thereafter': [
    { part: null, rule: 'yearly', due: ['2017-11-30', '2018-11-30', '2019-11-30', '2020-11-30', '2021-11-30'] },
  ],
};

/** The deadline words of the 2018-2020 plan: its column headings, and the dates in its cells. */
const PLAN_2020_TABLE: Record<string, Expected> = {
  'Goals in 2018': [{ part: null, rule: 'once', due: ['2018-12-31'] }],
  // The plan runs to March 2020, so goals "in 2019 and 2020" are due when it ends.
  'Goals in 2019 and 2020': [{ part: null, rule: 'once', due: ['2020-03-31'] }],
  'Outcomes by 2021': [{ part: null, rule: 'once', due: ['2021-12-31'] }],
  'to be assessed by March 2019': [{ part: 'to be assessed', rule: 'once', due: ['2019-03-31'] }],
  '6 monthly progress reports': [{ part: null, rule: 'six-monthly', due: ['2018-04-30', '2018-10-31', '2019-04-30', '2019-10-31'] }],
};

function read(words: string, plan: PlanSpan): Expected {
  return readDeadlineWords(words, plan).map((spec, index) => ({
    part: spec.part,
    rule: spec.rule.kind,
    due: occurrencesOf({ id: index, ...spec }, { timeZone: ZONE, meetings: MEETINGS }).map((o) => o.dueDate),
  }));
}

describe('deadline words', () => {
  test('the table covers every deadline string in the Ambition action plan', () => {
    const inSeed = new Set(ambitionActions().map((action) => action.deadline));
    expect(inSeed.size).toBeGreaterThan(10);
    expect([...inSeed].sort()).toEqual(Object.keys(AMBITION_TABLE).sort());
  });

  test('the 2018-2020 table uses only words that are in that plan', () => {
    for (const words of Object.keys(PLAN_2020_TABLE)) expect(normalise(ACTION_PLAN_2020_SOURCE)).toContain(words);
  });

  test.each(Object.entries(AMBITION_TABLE))('Ambition: "%s"', (words, expected) => {
    expect(read(words, AMBITION)).toEqual(expected);
  });

  test.each(Object.entries(PLAN_2020_TABLE))('Action Plan to March 2020: "%s"', (words, expected) => {
    expect(read(words, PLAN_2020)).toEqual(expected);
  });

  test('each milestone keeps its own verbatim words', () => {
    expect(readDeadlineWords('March 2017 [identify research] May 2017 [commission]', AMBITION).map((m) => m.words)).toEqual([
      'March 2017 [identify research]',
      'May 2017 [commission]',
    ]);
    expect(readDeadlineWords('April 2017 and then 6 monthly review*', AMBITION).map((m) => m.words)).toEqual([
      'April 2017',
      'and then 6 monthly review*',
    ]);
  });

  test('a month is due at its end in the plan time zone, in summer time and in winter', () => {
    const [april] = occurrencesOf({ id: 1, ...readDeadlineWords('April 2017', AMBITION)[0] }, { timeZone: ZONE, meetings: [] });
    expect(april.dueAt.toISOString()).toBe('2017-04-30T23:00:00.000Z'); // midnight BST
    const [december] = occurrencesOf({ id: 1, ...readDeadlineWords('December 2016 [x]', AMBITION)[0] }, { timeZone: ZONE, meetings: [] });
    expect(december.dueAt.toISOString()).toBe('2017-01-01T00:00:00.000Z'); // midnight GMT
  });

  test('a meeting occurrence is due when the meeting starts', () => {
    const [spec] = readDeadlineWords('Every Taskforce meeting from December 2016 [approx 2 monthly]', AMBITION);
    const occurrences = occurrencesOf({ id: 1, ...spec }, { timeZone: ZONE, meetings: MEETINGS });
    expect(occurrences.map((o) => o.dueAt)).toEqual([MEETINGS[1].startsAt, MEETINGS[2].startsAt]);
  });

  test.each(['', 'soon', 'Marchember 2017', 'March 2017 and then whenever', '[commission] March 2017', 'Every other Tuesday'])(
    'refuses words it cannot read: "%s"',
    (words) => {
      expect(() => readDeadlineWords(words, AMBITION)).toThrow(DeadlineWordsError);
    },
  );
});
