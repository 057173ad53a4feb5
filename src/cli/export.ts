import fs from 'node:fs';
import { prepareStore } from '../bootstrap';
import { readConfig } from '../config';
import { buildOpenData, toCsv, toJson } from '../export/open-data';
import { loadItems, loadMeetings } from '../store/tracked-items';
import { runCli, UsageError } from './run';

const USAGE = 'usage: npm run export -- <csv|json> [--out FILE]';

export function parseExportArgs(args: string[]): { format: 'csv' | 'json'; out: string | null } {
  const [format, ...rest] = args;
  if (format !== 'csv' && format !== 'json') {
    throw new UsageError(format ? `unknown format "${format}"; ${USAGE}` : USAGE);
  }
  if (rest.length === 0) return { format, out: null };
  if (rest.length === 2 && rest[0] === '--out' && rest[1]) return { format, out: rest[1] };
  throw new UsageError(`unexpected "${rest.join(' ')}"; ${USAGE}`);
}

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
