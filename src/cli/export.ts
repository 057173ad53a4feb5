import fs from 'node:fs';
import { prepareStore } from '../bootstrap';
import { readConfig } from '../config';
import { calendarFeed } from '../export/calendar';
import { buildOpenData, toCsv, toJson } from '../export/open-data';
import { resolveLead } from '../taskforce/leads';
import { loadItems, loadMeetings } from '../store/tracked-items';
import { parseExportArgs } from './export-args';
import { runCli } from './run';

runCli('export', async () => {
  const { format, out, lead } = parseExportArgs(process.argv.slice(2));
  const config = readConfig();
  const { store, clock } = await prepareStore(config);
  try {
    const [items, meetings] = await Promise.all([loadItems(store.db), loadMeetings(store.db)]);
    const context = { timeZone: config.timeZone, meetings };
    let content: string;
    if (format === 'ics') {
      const only = lead === null ? null : (await resolveLead(store, lead)).name;
      const chosen = only === null ? items : items.filter((item) => item.leads.includes(only));
      content = calendarFeed(chosen, meetings, { name: only ? `Libraries Taskforce: ${only}` : 'Libraries Taskforce action plan', asOf: clock.now(), context });
    } else {
      const data = buildOpenData(items, clock.now(), context);
      content = format === 'csv' ? toCsv(data) : toJson(data);
    }
    if (out) fs.writeFileSync(out, content);
    else process.stdout.write(content);
  } finally {
    await store.close();
  }
});
