import { dueWithin, groupByLead, overdueAsOf } from '../../src/domain/deadlines';
import { findItem, loadItems, loadMeetings, recordStatus } from '../../src/store/tracked-items';
import { freshStore, TIME_ZONE } from '../helpers/store';

/** The deadline maths over the real, imported plans. */
describe('overdue and due soon on the imported plans', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    store = await freshStore();
  });
  afterEach(() => store.close());

  async function overdueRefs(asOf: Date): Promise<string[]> {
    const context = { timeZone: TIME_ZONE, meetings: await loadMeetings(store.db) };
    return overdueAsOf(await loadItems(store.db), asOf, context).map((entry) => entry.item.ref);
  }

  const MAY_15_2017 = new Date('2017-05-15T09:00:00+01:00');

  test('on 15 May 2017 action 3 is overdue and action 14 is not; once 3 is done it is not overdue', async () => {
    const before = await overdueRefs(MAY_15_2017);
    expect(before).toContain('3');
    expect(before).not.toContain('14');

    await recordStatus(store.db, { ref: '3', status: 'done', note: 'baselines published', actor: 'U123', source: 'command', at: new Date('2017-05-15T08:30:00+01:00') });
    const after = await overdueRefs(MAY_15_2017);
    expect(after).not.toContain('3');
    expect(after).toEqual(before.filter((ref) => ref !== '3'));
  });

  test('on 15 May 2017 the whole overdue list, oldest first', async () => {
    const context = { timeZone: TIME_ZONE, meetings: [] };
    const overdue = overdueAsOf(await loadItems(store.db), MAY_15_2017, context);
    expect(overdue.map((entry) => `${entry.item.ref} ${entry.occurrence.milestone.part ?? ''} ${entry.occurrence.dueDate} ${entry.daysLate}`.replace('  ', ' '))).toEqual([
      '11 commission 2016-10-31 196',
      '23 2016-10-31 196',
      '6 produce first iteration of comms plan 2016-12-31 135',
      '7 produce first iteration of resources set 2016-12-31 135',
      '10 prototype ready for consultation and testing 2017-02-28 76',
      '2 2017-03-31 45',
      '4 identify research 2017-03-31 45',
      '13 prototype ready for consultation and testing 2017-03-31 45',
      '19 2017-03-31 45',
      '1 2017-04-30 15',
      '1b 2017-04-30 15',
      '3 2017-04-30 15',
      '5 2017-04-30 15',
      '6 6 monthly review 2017-04-30 15',
      '8 2017-04-30 15',
      '9 2017-04-30 15',
      '11 complete 2017-04-30 15',
      '15 2017-04-30 15',
      '16 2017-04-30 15',
      '17 2017-04-30 15',
      '18 2017-04-30 15',
      '21 2017-04-30 15',
      '23 6 monthly review 2017-04-30 15',
      '25 2017-04-30 15',
    ]);
  });

  test('per lead: what LGA has overdue on 15 May 2017', async () => {
    const context = { timeZone: TIME_ZONE, meetings: [] };
    const groups = groupByLead(overdueAsOf(await loadItems(store.db), MAY_15_2017, context));
    expect(groups.get('LGA')!.map((entry) => entry.item.ref)).toEqual(['10', '13', '15', '16', '18']);
    expect(groups.has('BEIS')).toBe(false);
  });

  test('a review is met by a status update in its cycle', async () => {
    await recordStatus(store.db, { ref: '15', status: 'on-track', actor: 'U9', source: 'command', at: new Date('2017-04-12T10:00:00+01:00') });
    expect(await overdueRefs(MAY_15_2017)).not.toContain('15');
  });

  test('marking one part of action 4 done leaves the other part', async () => {
    const action4 = (await findItem(store.db, '4'))!;
    const identify = action4.milestones.find((m) => m.part === 'identify research')!;
    await recordStatus(store.db, { ref: '4', status: 'done', actor: 'U1', source: 'command', deadlineId: identify.id, at: new Date('2017-05-01T10:00:00Z') });
    const context = { timeZone: TIME_ZONE, meetings: [] };
    const items = await loadItems(store.db);
    expect(overdueAsOf(items, MAY_15_2017, context).filter((e) => e.item.ref === '4')).toEqual([]);
    const soon = dueWithin(items, MAY_15_2017, 30, context).filter((e) => e.item.ref === '4');
    expect(soon.map((e) => [e.occurrence.milestone.part, e.occurrence.dueDate])).toEqual([['commission', '2017-05-31']]);
  });

  test('every Taskforce meeting: action 22 falls due at each stored meeting', async () => {
    await store.db.meeting.createMany({
      data: [
        { startsAt: new Date('2017-05-26T13:00:00Z'), note: 'Taskforce meeting', createdBy: 'U1', createdAt: new Date('2017-05-01T00:00:00Z') },
        { startsAt: new Date('2017-03-20T14:00:00Z'), note: 'cancelled one', createdBy: 'U1', createdAt: new Date('2017-03-01T00:00:00Z'), cancelledAt: new Date('2017-03-10T00:00:00Z') },
      ],
    });
    const context = { timeZone: TIME_ZONE, meetings: await loadMeetings(store.db) };
    const soon = dueWithin(await loadItems(store.db), MAY_15_2017, 14, context);
    expect(soon.filter((e) => e.item.ref === '22').map((e) => e.occurrence.dueDate)).toEqual(['2017-05-26']);
    expect((await overdueRefs(MAY_15_2017))).not.toContain('22');
  });
});
