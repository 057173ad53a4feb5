import type { App } from '@slack/bolt';
import type { Taskforce } from '../../taskforce/context';
import { dashboard } from '../../taskforce/items';
import { homeView } from '../blocks/others';

export function registerEvents(app: App, taskforce: Taskforce): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: homeView(await dashboard(taskforce, event.user), taskforce.timeZone) });
  });

  // Keeps the user groups' members the bot knows up to date, without asking Slack again.
  app.event('subteam_members_changed', async ({ event }) => {
    taskforce.directory.membersChanged(event.subteam_id, event.added_users ?? [], event.removed_users ?? []);
  });
}
