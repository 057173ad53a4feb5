import { planSpan } from '../../src/domain/plan-span';
import type { RunningSlackApp } from '../../src/slack/app';
import { ADMIN, commandText, startTestApp } from '../helpers/slack-app';
import { startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { freshStore } from '../helpers/store';

const NOW = new Date('2017-03-01T09:00:00Z');

describe("issue 12 item 12: report periods and meetings outside the plans' years, and times the clocks skip", () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp & { url: string };

  beforeAll(async () => {
    fake = await startFakeSlack();
    store = await freshStore();
    running = await startTestApp(fake, store, NOW);
  });
  afterAll(async () => {
    await running.stop();
    await store.close();
    await fake.close();
  });

  const command = (name: string, text: string) => commandText(fake, running.url, ADMIN, name, text);

  test("the span comes from the plans: from the January the first starts to the December nine years after the last ends", async () => {
    expect(planSpan(await store.db.plan.findMany())).toEqual({ from: '2016-01', to: '2030-12' });
  });

  test.each(['0000-04', '1900-10', '9999-10', '2015-10', '2031-04'])('/report %s is refused, and nothing is uploaded', async (month) => {
    expect(await command('/report', month)).toBe(
      `There is no report for ${month}: the plans run from 2016-01 to 2030-12, so give a month from 2016-04 to 2030-10, April or October (e.g. \`/report 2017-04\`). Nothing was posted.`
    );
    expect(fake.apiCalls('files.completeUploadExternal')).toEqual([]);
  });

  test('/report 2016-04 and 2030-10, at the ends of the span, are accepted and uploaded', async () => {
    expect(await command('/report', '2016-04')).toBe('The draft progress report for 2015-11 to 2016-04 is in <#C0TASKFORCE>.');
    expect(await command('/report', '2030-10')).toBe('The draft progress report for 2030-05 to 2030-10 is in <#C0TASKFORCE>.');
    expect(fake.apiCalls('files.completeUploadExternal')).toHaveLength(2);
  });

  test.each([
    ['1970-01-01 00:00', "1970-01-01 is outside the plans' years: meetings can be from 2016-01-01 to 2030-12-31. Nothing was added."],
    ['9999-12-31 23:59', "9999-12-31 is outside the plans' years: meetings can be from 2016-01-01 to 2030-12-31. Nothing was added."],
    ['2017-03-26 01:30', '2017-03-26 01:30 does not exist in Europe/London: the clocks go forward that night and skip it. Did you mean 02:30? Nothing was added.'],
  ])('/meeting add %s is refused with a clear reply, and nothing is added', async (when, reply) => {
    expect(await command('/meeting', `add ${when}`)).toBe(reply);
    expect(await store.db.meeting.count()).toBe(0);
  });

  test('the hours either side of the clock change are accepted, and 01:30 on the night the clocks go back is one of its two', async () => {
    expect(await command('/meeting', 'add 2017-03-26 00:59')).toBe('Added the meeting of 26 Mar 2017 00:59');
    expect(await command('/meeting', 'add 2017-03-26 02:00')).toBe('Added the meeting of 26 Mar 2017 02:00');
    expect(await command('/meeting', 'add 2017-10-29 01:30')).toBe('Added the meeting of 29 Oct 2017 01:30');
    expect(await store.db.meeting.count()).toBe(3);
  });
});
