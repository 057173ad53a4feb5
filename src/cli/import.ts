import { clockFor } from '../bootstrap';
import { readConfig } from '../config';
import { loadPlanFiles } from '../plans/plan-files';
import { openStore } from '../store/client';
import { changeCount, importPlans } from '../store/import-plans';
import { runCli, UsageError } from './run';

/** Re-reads the data files in plans/ after an edit. Status history is left as it is. */
runCli('import', async () => {
  if (process.argv.length > 2) throw new UsageError('usage: npm run import (it takes no arguments)');
  const config = readConfig();
  const files = loadPlanFiles();
  const store = await openStore(config.databaseUrl);
  try {
    const report = await importPlans(store.db, files, clockFor(config));
    const lines = [
      `imported ${files.plans.length} plans into ${store.location}: ${changeCount(report) === 0 ? 'nothing changed' : `${changeCount(report)} changes`}`,
    ];
    if (report.itemsCreated.length) lines.push(`  new: ${report.itemsCreated.join(', ')}`);
    if (report.itemsUpdated.length) lines.push(`  updated: ${report.itemsUpdated.join(', ')}`);
    if (report.itemsRetired.length) lines.push(`  retired (no longer in the files): ${report.itemsRetired.join(', ')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await store.close();
  }
});
