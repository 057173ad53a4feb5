import type { App } from '@slack/bolt';
import type { Taskforce } from '../../taskforce/context';
import { dashboard } from '../../taskforce/items';
import { homeView } from '../blocks/others';
import { personChanged } from '../../taskforce/people';
import { awayFromStatus, knownZone, type SlackStatus } from '../people';
import { homeChart } from '../../taskforce/charts';
import { homeChartBlocks, slackAltText } from '../blocks/charts';
import { uploadPng } from '../files';

export function registerEvents(app: App, taskforce: Taskforce): void {
  app.event('app_home_opened', async ({ event, client, logger }) => {
    if (event.tab !== 'home') return;
    // Uploaded once per day and state of the plan (homeChart caches it), not at every opening;
    // if Slack will not take it, Home goes without the picture rather than not at all.
    const chart = await homeChart(taskforce, ({ chart, filename }) => uploadPng(client, { filename, png: chart.png, title: chart.title, altText: slackAltText(chart.altText) })).catch((error: Error) => {
      logger.warn(`App Home without its chart: ${error.message}`);
      return null;
    });
    const top = chart ? homeChartBlocks({ fileId: chart.ref, title: chart.title, altText: chart.altText }) : [];
    await client.views.publish({ user_id: event.user, view: homeView(await dashboard(taskforce, event.user), taskforce.timeZone, top) });
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
