import type { App } from '@slack/bolt';
import type { Taskforce } from '../../taskforce/context';
import { dashboard } from '../../taskforce/items';
import { homeView } from '../blocks/others';
import { personChanged } from '../../taskforce/people';
import { awayFromStatus, knownZone, type SlackStatus } from '../people';

export function registerEvents(app: App, taskforce: Taskforce): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: homeView(await dashboard(taskforce, event.user), taskforce.timeZone) });
  });

  // Keeps the user groups' members the bot knows up to date, without asking Slack again.
  app.event('subteam_members_changed', async ({ event }) => {
    taskforce.directory.membersChanged(event.subteam_id, event.added_users ?? [], event.removed_users ?? []);
  });

  // A person's zone or status changed: kept, so their reminders follow their own clock and absences.
  app.event('user_change', async ({ event }) => {
    const user = event.user as { id?: unknown; tz?: unknown; profile?: SlackStatus };
    if (typeof user.id !== 'string') return;
    await personChanged(taskforce, user.id, { timeZone: knownZone(user.tz), away: awayFromStatus(user.profile, taskforce.clock.now()) });
  });
}
