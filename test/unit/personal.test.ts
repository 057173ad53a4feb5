import { assessItem, type Milestone } from '../../src/domain/deadlines';
import { inQuietHours, mondayOf, readAwayDate, readQuietHours, statusReadsAway, weeklyDueBy, type Absence, type PersonView } from '../../src/domain/personal';
import { DEFAULT_REMINDER_SETTINGS, latestStepDueBy, plannedSends, type PersonalPlanning, type ReminderItem } from '../../src/domain/reminders';
import { summariesDue } from '../../src/domain/summaries';
import { parseCommand } from '../../src/domain/commands';
import { stepWords } from '../../src/slack/blocks/people';

const LONDON = 'Europe/London';
const NEW_YORK = 'America/New_York';
const settings = DEFAULT_REMINDER_SETTINGS;
const context = { timeZone: LONDON, meetings: [] };
const march2017: Milestone = { id: 30, words: 'March 2017', part: null, rule: { kind: 'once', dueMonth: '2017-03' } };

function item(overrides: Partial<ReminderItem> = {}): ReminderItem {
  return {
    id: 7,
    ref: '7',
    leads: ['Arts Council England'],
    milestones: [march2017],
    history: [{ status: 'not-started', deadlineId: null, at: new Date('2016-09-01T00:00:00Z'), source: 'import' }],
    remindersOff: false,
    recipients: [{ kind: 'user', id: 'U0ANN' }],
    snoozes: [],
    ...overrides,
  };
}

function away(userId: string, from: string, until: string, id = 1): Absence {
  return { id, userId, startsAt: new Date(from), until: new Date(until), untilDate: until.slice(0, 10), note: null, source: 'command', endedAt: null };
}

function personal(people: Record<string, { zone?: string; weekly?: boolean; absences?: Absence[] }>): PersonalPlanning {
  return {
    zoneOf: (id) => people[id]?.zone ?? null,
    frequencyOf: (id) => (people[id]?.weekly ? 'weekly' : 'daily'),
    absencesOf: (id) => people[id]?.absences ?? [],
  };
}

function sendsAt(iso: string, subject: ReminderItem, who: PersonalPlanning) {
  const asOf = new Date(iso);
  return plannedSends([subject], new Map([[subject.id, assessItem(subject, asOf, context)]]), asOf, settings, LONDON, who);
}

describe('send times in a person\'s own zone', () => {
  const occurrence = assessItem(item(), new Date('2017-03-01T00:00:00Z'), context)[0]; // due Friday 31 March 2017
  const sendAt = (zone: string, iso: string) => latestStepDueBy(occurrence, new Date(iso), settings, zone)?.sendAt.toISOString();

  test('09:00 in New York is 13:00 or 14:00 in London, as each side changes its clocks (12 and 26 March 2017)', () => {
    expect(sendAt(NEW_YORK, '2017-03-17T23:00:00Z')).toBe('2017-03-17T13:00:00.000Z'); // 14 days before: EDT, GMT: 4 hours apart
    expect(sendAt(NEW_YORK, '2017-03-24T23:00:00Z')).toBe('2017-03-24T13:00:00.000Z'); // 7 days before
    expect(sendAt(NEW_YORK, '2017-03-30T23:00:00Z')).toBe('2017-03-30T13:00:00.000Z'); // 1 day before: EDT, BST (14:00 London)
    expect(sendAt(LONDON, '2017-03-30T23:00:00Z')).toBe('2017-03-30T08:00:00.000Z');
  });

  test('before New York\'s morning nothing is due there, while London\'s is', () => {
    expect(sendAt(NEW_YORK, '2017-03-30T12:59:00Z')).toBe('2017-03-24T13:00:00.000Z'); // still the 7-day step
    expect(sendAt(LONDON, '2017-03-30T12:59:00Z')).toBe('2017-03-30T08:00:00.000Z');
  });

  test('working days stay England and Wales\': Good Friday moves a New Yorker\'s reminder to Thursday too', () => {
    const april: Milestone = { id: 31, words: 'April 2017', part: null, rule: { kind: 'once', dueMonth: '2017-04' } };
    const due = assessItem(item({ milestones: [april] }), new Date('2017-04-01T00:00:00Z'), context)[0];
    expect(latestStepDueBy(due, new Date('2017-04-14T23:00:00Z'), settings, NEW_YORK)?.sendAt.toISOString()).toBe('2017-04-13T13:00:00.000Z');
  });

  test('the planner sends a person\'s steps at their time, and channels at the plan\'s', () => {
    const subject = item({ recipients: [{ kind: 'user', id: 'U0ANN' }, { kind: 'channel', id: 'C0LEAD' }] });
    const who = personal({ U0ANN: { zone: NEW_YORK } });
    const at9London = sendsAt('2017-03-30T08:00:00Z', subject, who).map((send) => [send.recipient, send.step]);
    expect(at9London).toContainEqual([{ kind: 'channel', id: 'C0LEAD' }, { kind: 'before', days: 1 }]);
    expect(at9London).toContainEqual([{ kind: 'user', id: 'U0ANN' }, { kind: 'before', days: 7 }]); // (already sent last week: the ledger drops it)
    expect(sendsAt('2017-03-30T13:00:00Z', subject, who).map((send) => [send.recipient, send.step])).toContainEqual([{ kind: 'user', id: 'U0ANN' }, { kind: 'before', days: 1 }]);
  });
});

describe('away: the hand-over, and escalations', () => {
  const owners = new Map([['Arts Council England', [{ kind: 'user' as const, id: 'U0ANN' }, { kind: 'user' as const, id: 'U0BOB' }]]]);
  const shared = item({ recipients: [{ kind: 'user', id: 'U0ANN' }, { kind: 'user', id: 'U0BOB' }], ownersByLead: owners });
  const annAway = away('U0ANN', '2017-03-20T00:00:00Z', '2017-04-10T00:00:00Z');

  test('an away owner\'s reminders are left to the lead\'s other owner, who is told', () => {
    const sends = sendsAt('2017-03-30T08:00:00Z', shared, personal({ U0ANN: { absences: [annAway] } }));
    expect(sends.map((send) => send.recipient)).toEqual([{ kind: 'user', id: 'U0BOB' }]);
    expect(sends[0].covering).toEqual([annAway]);
  });

  test('with no one else, they go to the Taskforce channel, under a key of their own', () => {
    const sends = sendsAt('2017-03-30T08:00:00Z', item(), personal({ U0ANN: { absences: [annAway] } }));
    expect(sends.map((send) => [send.recipient, send.key.endsWith(':away:U0ANN')])).toEqual([[{ kind: 'away', id: 'U0ANN' }, true]]);
    // Both away: the channel again.
    const bothAway = sendsAt('2017-03-30T08:00:00Z', shared, personal({ U0ANN: { absences: [annAway] }, U0BOB: { absences: [away('U0BOB', '2017-03-01T00:00:00Z', '2017-05-01T00:00:00Z', 2)] } }));
    expect(bothAway.map((send) => send.recipient).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ kind: 'away', id: 'U0ANN' }, { kind: 'away', id: 'U0BOB' }]);
  });

  test('back, they hear again; the key of a line to them is the one it always was', () => {
    const [send] = sendsAt('2017-04-10T08:00:00Z', item(), personal({ U0ANN: { absences: [annAway] } }));
    expect(send.key).toBe(sendsAt('2017-04-10T08:00:00Z', item(), personal({})).filter((s) => s.recipient)[0].key);
  });

  test('nudges while an item\'s only owner was away do not count towards its escalation', () => {
    // Due 31 March: nudges 7, 13 (14 is Good Friday), 21, 28 April … escalation with the third unanswered.
    const escalation = (iso: string, who: PersonalPlanning) => sendsAt(iso, item(), who).find((send) => send.step.kind === 'escalation');
    expect(escalation('2017-04-21T08:00:00Z', personal({}))?.sendAt.toISOString()).toBe('2017-04-21T08:00:00.000Z');
    const awayOverTwoNudges = personal({ U0ANN: { absences: [away('U0ANN', '2017-04-06T00:00:00Z', '2017-04-18T00:00:00Z')] } });
    expect(escalation('2017-04-21T08:00:00Z', awayOverTwoNudges)).toBeUndefined();
    expect(escalation('2017-04-28T08:00:00Z', awayOverTwoNudges)).toBeUndefined();
    expect(escalation('2017-05-05T08:00:00Z', awayOverTwoNudges)?.sendAt.toISOString()).toBe('2017-05-05T08:00:00.000Z');
    // With a second owner who was there, the nudges reached someone: they count.
    const shared2 = item({ recipients: [{ kind: 'user', id: 'U0ANN' }, { kind: 'user', id: 'U0BOB' }], ownersByLead: owners });
    const asOf = new Date('2017-04-21T08:00:00Z');
    expect(plannedSends([shared2], new Map([[7, assessItem(shared2, asOf, context)]]), asOf, settings, LONDON, awayOverTwoNudges).some((send) => send.step.kind === 'escalation')).toBe(true);
  });

  test('weekly: only the due-today step is planned for the person; escalations still are', () => {
    const weekly = personal({ U0ANN: { weekly: true } });
    expect(sendsAt('2017-03-24T08:00:00Z', item(), weekly)).toEqual([]); // 7 days before
    expect(sendsAt('2017-03-31T08:00:00Z', item(), weekly).map((send) => send.step)).toEqual([{ kind: 'before', days: 0 }]);
    expect(sendsAt('2017-04-07T08:00:00Z', item(), weekly)).toEqual([]); // the first nudge
    expect(sendsAt('2017-04-21T08:00:00Z', item(), weekly).map((send) => send.step)).toEqual([{ kind: 'escalation' }]);
  });
});

describe('summaries: weekly, and on return', () => {
  const person = (overrides: Partial<PersonView> = {}): PersonView => ({ userId: 'U0ANN', timeZone: null, frequency: 'daily', weeklySince: null, quiet: null, absences: [], ...overrides });

  test('the Monday one from the first Monday after choosing weekly, at the person\'s time', () => {
    const weekly = person({ frequency: 'weekly', weeklySince: new Date('2017-04-12T10:00:00Z'), timeZone: NEW_YORK });
    expect(summariesDue(weekly, new Date('2017-04-13T13:00:00Z'), settings, LONDON)).toEqual([]);
    expect(summariesDue(weekly, new Date('2017-04-17T12:59:00Z'), settings, LONDON)).toEqual([]);
    const [due] = summariesDue(weekly, new Date('2017-04-17T13:00:00Z'), settings, LONDON);
    expect(due).toMatchObject({ key: 'weekly:user:U0ANN:2017-04-17', summary: { kind: 'weekly', weekOf: '2017-04-17' }, horizonDays: 7 });
  });

  test('on return: one welcome, waiting for their morning (which holds their other DMs), standing for the week\'s summary', () => {
    const back = person({ frequency: 'weekly', weeklySince: new Date('2017-01-01T00:00:00Z'), absences: [away('U0ANN', '2017-04-10T09:00:00Z', '2017-04-19T23:00:00Z', 4)] });
    const [early] = summariesDue(back, new Date('2017-04-20T06:00:00Z'), settings, LONDON);
    expect(early).toMatchObject({ key: 'welcome:user:U0ANN:4', sendAt: new Date('2017-04-20T08:00:00Z') });
    const [welcome, weekly] = summariesDue(back, new Date('2017-04-20T08:00:00Z'), settings, LONDON);
    expect(welcome.settles).toEqual(['weekly:user:U0ANN:2017-04-17']);
    expect(weekly).toBeUndefined(); // that Monday they were away
    expect(summariesDue(back, new Date('2017-04-15T08:00:00Z'), settings, LONDON)).toEqual([]); // away: nothing
  });
});

describe('reading what people type', () => {
  test('quiet hours', () => {
    expect(readQuietHours('18:00-08:00')).toEqual({ quiet: { from: '18:00', to: '08:00' } });
    expect(readQuietHours('6.30 to 7:45')).toEqual({ quiet: { from: '06:30', to: '07:45' } });
    expect(readQuietHours('25:00-08:00')).toEqual({ problem: '"25:00" isn\'t a time of day: hours go from 00 to 23 (midnight is 00:00).' });
    expect(readQuietHours('18:75-08:00')).toEqual({ problem: '"18:75" isn\'t a time of day: minutes go from 00 to 59.' });
    expect(readQuietHours('08:00-08:00')).toMatchObject({ problem: expect.stringMatching(/^Quiet hours from 08:00 to 08:00 would be no time at all/) });
    expect(readQuietHours('evenings')).toMatchObject({ problem: expect.stringMatching(/^Give the quiet hours as two times/) });
  });

  test('in the quiet hours, their time, past midnight', () => {
    const quiet = { from: '18:00', to: '08:00' };
    expect(inQuietHours(new Date('2017-04-13T17:00:00Z'), LONDON, quiet)).toBe(true); // 18:00 BST
    expect(inQuietHours(new Date('2017-04-13T06:59:00Z'), LONDON, quiet)).toBe(true); // 07:59
    expect(inQuietHours(new Date('2017-04-13T07:00:00Z'), LONDON, quiet)).toBe(false); // 08:00: over
    expect(inQuietHours(new Date('2017-04-13T17:00:00Z'), NEW_YORK, quiet)).toBe(false); // 13:00 in New York
    expect(inQuietHours(new Date('2017-04-13T09:30:00Z'), LONDON, { from: '09:00', to: '11:00' })).toBe(true);
  });

  test('away dates', () => {
    expect(readAwayDate('2017-06-05', '2017-05-15')).toEqual({ date: '2017-06-05' });
    expect(readAwayDate('tomorrow', '2017-05-15')).toEqual({ date: '2017-05-16' });
    expect(readAwayDate('yesterday', '2017-05-15')).toEqual({ date: '2017-05-14' });
    expect(readAwayDate('2017-02-29', '2017-01-15')).toEqual({ problem: '"2017-02-29" isn\'t a date: February 29 is not in that year.' });
    expect(readAwayDate('2017-13-01', '2017-01-15')).toEqual({ problem: '"2017-13-01" isn\'t a date: there is no month 13.' });
    expect(readAwayDate('31/02', '2017-01-15')).toMatchObject({ problem: expect.stringContaining('February has no day 31') });
    expect(readAwayDate('05/06/2017', '2017-01-15')).toMatchObject({ problem: expect.stringContaining('write it as YYYY-MM-DD') });
  });

  test('/away and /reminders commands', () => {
    expect(parseCommand('/away', '')).toEqual({ kind: 'away-show' });
    expect(parseCommand('/away', 'off')).toEqual({ kind: 'away-off' });
    expect(parseCommand('/away', 'until 2017-06-05 at a <@U0BOB|bob> workshop')).toEqual({ kind: 'away-until', date: '2017-06-05', note: 'at a @bob workshop' });
    expect(parseCommand('/away', '2017-06-05')).toEqual({ kind: 'away-until', date: '2017-06-05', note: null });
    expect(parseCommand('/away', 'untill 2017-06-05')).toMatchObject({ kind: 'help', problem: 'There is no `/away untill`. Did you mean `/away until`?' });
    expect(parseCommand('/away', 'until')).toMatchObject({ kind: 'error', code: 'bad-date' });
    expect(parseCommand('/reminders', 'weekly')).toEqual({ kind: 'reminder-frequency', frequency: 'weekly' });
    expect(parseCommand('/reminders', 'quiet 18:00-08:00')).toEqual({ kind: 'quiet-hours', quiet: { from: '18:00', to: '08:00' } });
    expect(parseCommand('/reminders', 'quiet off')).toEqual({ kind: 'quiet-hours', quiet: null });
    expect(parseCommand('/reminders', 'quiet 25:00-08:00')).toMatchObject({ kind: 'error', code: 'bad-time', topic: '/reminders' });
    expect(parseCommand('/reminders', 'weekley')).toMatchObject({ kind: 'help', problem: 'There is no `/reminders weekley`. Did you mean `/reminders weekly`?' });
  });

  test('statuses that mean away, and the Monday of a week', () => {
    expect(statusReadsAway('Vacationing', ':palm_tree:')).toBe(true);
    expect(statusReadsAway('Out of office until Monday', '')).toBe(true);
    expect(statusReadsAway('', ':face_with_thermometer:')).toBe(true);
    expect(statusReadsAway('In a meeting', ':spiral_calendar_pad:')).toBe(false);
    expect(mondayOf('2017-04-23')).toBe('2017-04-17'); // a Sunday
    expect(mondayOf('2017-04-17')).toBe('2017-04-17');
    expect(weeklyDueBy(new Date('2017-04-17T07:59:00Z'), LONDON, '09:00').weekOf).toBe('2017-04-10');
  });
});

describe('/reminders says the steps in words', () => {
  test.each([
    [[14, 7, 1, 0], '14, 7 and 1 days before a deadline, and on the day'],
    [[7, 1], '7 and 1 days before a deadline'],
    [[1, 0], '1 day before a deadline, and on the day'],
    [[0], 'on the day'],
  ])('%j → %s', (days, words) => expect(stepWords(days)).toBe(words));
});
