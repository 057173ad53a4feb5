import type { App } from '@slack/bolt';
import type { Taskforce } from '../../taskforce/context';
import { dashboard } from '../../taskforce/items';
import { homeView } from '../blocks/others';

export function registerEvents(app: App, taskforce: Taskforce): void {
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    await client.views.publish({ user_id: event.user, view: homeView(await dashboard(taskforce, event.user), taskforce.timeZone) });
  });
}
