import { parseStatus, RAG_OF_STATUS, readStatus } from '../../src/domain/statuses';
import { splitLeadWords } from '../../src/domain/leads';
import { parseInstant } from '../../src/domain/clock';

describe('statuses', () => {
  test.each([
    ['on-track', 'on-track'],
    ['On Track', 'on-track'],
    ['ON_TRACK', 'on-track'],
    ['green', 'on-track'],
    ['amber', 'at-risk'],
    ['at risk', 'at-risk'],
    ['red', 'off-track'],
    ['delayed', 'off-track'],
    ['blocked', 'blocked'],
    ['complete', 'done'],
    ['Done.', 'done'],
    ['not started', 'not-started'],
  ])('"%s" reads as %s', (text, status) => {
    expect(parseStatus(text)).toBe(status);
  });

  test.each(['', 'ontrack?', 'purple', 'on track now'])('"%s" is not a status', (text) => {
    expect(parseStatus(text)).toBeNull();
  });

  test('reading from the front of a command says how many words the status took', () => {
    expect(readStatus(['at', 'risk', 'waiting', 'on', 'funding'])).toEqual({ status: 'at-risk', consumed: 2 });
    expect(readStatus(['done', 'commission'])).toEqual({ status: 'done', consumed: 1 });
    expect(readStatus(['waiting'])).toBeNull();
  });

  test('RAG words map onto statuses', () => {
    expect(RAG_OF_STATUS['on-track']).toBe('green');
    expect(RAG_OF_STATUS['at-risk']).toBe('amber');
    expect(RAG_OF_STATUS['off-track']).toBe('red');
    expect(RAG_OF_STATUS['not-started']).toBeNull();
  });
});

describe('lead words', () => {
  test.each([
    ['LGA / Taskforce Team', ['LGA', 'Taskforce Team']],
    ['DCMS, Arts Council England, Taskforce Team and relevant Taskforce members', ['DCMS', 'Arts Council England', 'Taskforce Team', 'Relevant Taskforce members']],
    ['Taskforce members and DCMS', ['Taskforce members', 'DCMS']],
    ['Comms sub-group', ['Comms sub-group']],
    ['SLDP Steering Group / Arts Council England', ['SLDP Steering Group', 'Arts Council England']],
  ])('"%s"', (words, leads) => {
    expect(splitLeadWords(words)).toEqual(leads);
  });
});

describe('instants such as TASKFORCE_NOW', () => {
  test('without an offset it is wall-clock time in the plan zone', () => {
    expect(parseInstant('2017-05-15T09:00', 'Europe/London')?.toISOString()).toBe('2017-05-15T08:00:00.000Z');
    expect(parseInstant('2017-01-15', 'Europe/London')?.toISOString()).toBe('2017-01-15T00:00:00.000Z');
  });
  test('with an offset it is that instant', () => {
    expect(parseInstant('2017-05-15T09:00:00Z', 'Europe/London')?.toISOString()).toBe('2017-05-15T09:00:00.000Z');
    expect(parseInstant('2017-05-15T09:00:00+02:00', 'Europe/London')?.toISOString()).toBe('2017-05-15T07:00:00.000Z');
  });
  test.each(['tomorrow', '2017-13-01', '15/05/2017', '2017-05-15T25:00'])('"%s" is refused', (text) => {
    expect(parseInstant(text, 'Europe/London')).toBeNull();
  });
});
