import { prepareStore } from './bootstrap';
import { readConfig } from './config';
import { overdueAsOf } from './domain/deadlines';
import { loadItems, loadMeetings } from './store/tracked-items';
import { runCli } from './cli/run';

/**
 * `npm start`. For now it brings the store up (migrations, first import) and says where the plan
 * stands; the Slack app and the local console arrive with issue 3.
 */
runCli('taskforce-bot', async () => {
  const config = readConfig();
  const { store, clock, imported } = await prepareStore(config);
  try {
    const now = clock.now();
    const [items, meetings] = await Promise.all([loadItems(store.db), loadMeetings(store.db)]);
    const overdue = overdueAsOf(items, now, { timeZone: config.timeZone, meetings });
    const lines = [
      `database: ${store.location}${imported ? ` (new: imported ${imported.itemsCreated.length} items)` : ''}`,
      `${items.length} items; as of ${now.toISOString()}, ${overdue.length} deadlines overdue`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
});
