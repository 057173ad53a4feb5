import fs from 'node:fs';
import { prepareStore } from '../bootstrap';
import { readConfig } from '../config';
import { buildOpenData, toCsv, toJson } from '../export/open-data';
import { loadItems, loadMeetings } from '../store/tracked-items';
import { parseExportArgs } from './export-args';
import { runCli } from './run';

runCli('export', async () => {
  const { format, out } = parseExportArgs(process.argv.slice(2));
  const config = readConfig();
  const { store, clock } = await prepareStore(config);
  try {
    const [items, meetings] = await Promise.all([loadItems(store.db), loadMeetings(store.db)]);
    const data = buildOpenData(items, clock.now(), { timeZone: config.timeZone, meetings });
    const content = format === 'csv' ? toCsv(data) : toJson(data);
    if (out) fs.writeFileSync(out, content);
    else process.stdout.write(content);
  } finally {
    await store.close();
  }
});
