import type { RunningSlackApp } from '../../src/slack/app';
import { findItem } from '../../src/store/tracked-items';
import { ADMIN, commandText, SECRET, startTestApp } from '../helpers/slack-app';
import { sendEvent, startFakeSlack, type FakeSlack } from '../helpers/slack-stand-in';
import { freshStore } from '../helpers/store';

const GROUPIE = 'U0GROUPIE';
const NOW = new Date('2017-05-15T08:00:00Z');
const STRANGERS = ['U0STRANGER1', 'U0STRANGER2', 'U0STRANGER3', 'U0STRANGER4'];

describe("issue 12 item 5: permission checks spend Slack's rate limit", () => {
  let fake: FakeSlack;
  let store: Awaited<ReturnType<typeof freshStore>>;
  let running: RunningSlackApp & { url: string };

  beforeAll(async () => {
    fake = await startFakeSlack({ usergroupMembers: { S0LGA: [GROUPIE], S0DCMS: ['U0DEE'] } });
  });
  afterAll(() => fake.close());

  beforeEach(async () => {
    fake.reset();
    store = await freshStore();
    running = await startTestApp(fake, store, NOW);
  });
  afterEach(async () => {
    await running.stop();
    await store.close();
  });

  const command = (userId: string, name: string, text: string) => commandText(fake, running.url, userId, name, text);

  /** Maps a lead straight in the database, so that no check at mapping time has asked Slack yet. */
  async function owners(lead: string, ...targets: { kind: 'user' | 'usergroup'; slackId: string }[]) {
    const { id } = await store.db.lead.findUniqueOrThrow({ where: { name: lead } });
    await store.db.leadOwner.createMany({ data: targets.map((target) => ({ leadId: id, ...target, createdAt: NOW })) });
  }

  const groupLookups = () => fake.apiCalls('usergroups.users.list').length;
  const historyOf = async (ref: string) => (await findItem(store.db, ref))!.history.length;

  test('a direct owner is let through without asking Slack; strangers refused about one user group ask Slack once between them', async () => {
    await owners('LGA', { kind: 'usergroup', slackId: 'S0LGA' }, { kind: 'user', slackId: 'U0LEE' });
    expect(await command('U0LEE', '/action', '15 on-track')).toBe('Saved: 15 is now On track');
    expect(groupLookups()).toBe(0);

    const answers = await Promise.all(STRANGERS.map((stranger) => command(stranger, '/action', '15 done')));
    for (const answer of answers) expect(answer).toMatch(/^Only the owners of LGA \(<!subteam\^S0LGA>, <@U0LEE>\) or a Taskforce admin can update 15\. Nothing was changed\./);
    expect(await command(GROUPIE, '/action', '15 at-risk')).toBe('Saved: 15 is now At risk');
    expect(groupLookups()).toBe(1);
  });

  test('a 429 from usergroups.users.list: answered at once with when to try again, no queue slot held, known members still let through', async () => {
    await owners('LGA', { kind: 'usergroup', slackId: 'S0LGA' });
    await owners('DCMS', { kind: 'usergroup', slackId: 'S0DCMS' });
    expect(await command(GROUPIE, '/action', '15 on-track')).toBe('Saved: 15 is now On track');
    fake.failNext('usergroups.users.list', { status: 429, headers: { 'retry-after': '30' } }, 10);

    // Four strangers at once, as many as commands run at once: none may sit out Slack's 30 s.
    const answers = await Promise.all(STRANGERS.map((stranger) => command(stranger, '/action', '12 done')));
    for (const answer of answers) {
      expect(answer).toMatch(/^I could not check your membership of <!subteam\^S0DCMS> just now \(Slack asked me to wait\): try again in (29|30) s\. Nothing was changed\.$/);
    }
    expect(groupLookups()).toBe(2); // the member's, and the one that was told to wait
    expect(await command(ADMIN, '/action', '13 on-track')).toBe('Saved: 13 is now On track');
    expect(await command(GROUPIE, '/action', '15 at-risk')).toBe('Saved: 15 is now At risk');
    expect(groupLookups()).toBe(2);
    expect(await historyOf('12')).toBe(1);
  });

  test('a workspace without user groups (plan_upgrade_required): /lead with a group says to map people or a channel, and so does the permission check', async () => {
    fake.failNext('usergroups.users.list', { body: { ok: false, error: 'plan_upgrade_required' } });
    expect(await command(ADMIN, '/lead', 'LGA <!subteam^S0LGA|@lga>')).toBe(
      "This Slack workspace's plan has no user groups (they need a paid plan), so <!subteam^S0LGA> cannot answer for LGA. Nothing was changed. Map people or a channel instead: `/lead LGA @someone #channel`.",
    );
    expect(await store.db.leadOwner.count()).toBe(0);

    await owners('LGA', { kind: 'usergroup', slackId: 'S0LGA' });
    expect(await command(GROUPIE, '/action', '15 done')).toBe(
      "LGA is mapped to a user group, but this Slack workspace's plan has no user groups, so I cannot tell who is in it. Nothing was changed. An admin can map people or a channel instead: `/lead LGA @someone`.",
    );
    expect(await historyOf('15')).toBe(1);
    expect(groupLookups()).toBe(1); // the answer is remembered
    expect(await command(ADMIN, '/lead', 'LGA <@U0LEE>')).toBe('LGA is now owned by <@U0LEE>');
  });

  test('subteam_members_changed: someone added to the group may update at once, someone removed may not, with no new call to Slack', async () => {
    await owners('LGA', { kind: 'usergroup', slackId: 'S0LGA' });
    expect(await command(GROUPIE, '/action', '15 on-track')).toBe('Saved: 15 is now On track');
    const event = { type: 'subteam_members_changed', subteam_id: 'S0LGA', team_id: 'T0FAKE', date_previous_update: 1, date_update: 2, added_users: ['U0NEWBIE'], removed_users: [GROUPIE], event_ts: '1700000000.000004' };
    expect((await sendEvent(running.url, SECRET, event)).status).toBe(200);

    expect(await command('U0NEWBIE', '/action', '15 at-risk')).toBe('Saved: 15 is now At risk');
    expect(await command(GROUPIE, '/action', '15 done')).toMatch(/^Only the owners of LGA/);
    expect(groupLookups()).toBe(1);
  });

  test('someone refused again and again is told to wait, and Slack is not asked for them', async () => {
    await owners('LGA', { kind: 'usergroup', slackId: 'S0LGA' });
    for (let attempt = 1; attempt <= 5; attempt++) expect(await command(STRANGERS[0], '/action', `15 done try ${attempt}`)).toMatch(/^Only the owners of LGA/);
    expect(await command(STRANGERS[0], '/action', '15 done try 6')).toMatch(/^You have been refused several updates in the last minute: try again in \d+ s\. Nothing was changed\.$/);
    expect(await command(STRANGERS[1], '/action', '15 done')).toMatch(/^Only the owners of LGA/);
    expect(await command(GROUPIE, '/action', '15 on-track')).toBe('Saved: 15 is now On track');
    expect(await historyOf('15')).toBe(2);
  });
});
