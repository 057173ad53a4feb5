import { fixedClock, systemClock, type Clock } from './domain/clock';
import type { Config } from './config';
import { loadPlanFiles } from './plans/plan-files';
import { openStore, type Store } from './store/client';
import { importPlans, type ImportReport } from './store/import-plans';

export interface Ready {
  store: Store;
  clock: Clock;
  /** Set when this start filled an empty database from the data files. */
  imported: ImportReport | null;
}

export function clockFor(config: Pick<Config, 'fixedNow'>): Clock {
  return config.fixedNow ? fixedClock(config.fixedNow) : systemClock;
}

/** Opens (and migrates) the database, and imports the plans into it when it has none. */
export async function prepareStore(config: Pick<Config, 'databaseUrl' | 'fixedNow'>): Promise<Ready> {
  const clock = clockFor(config);
  const store = await openStore(config.databaseUrl);
  try {
    const hasItems = (await store.db.planItem.count()) > 0;
    const imported = hasItems ? null : await importPlans(store.db, loadPlanFiles(), clock);
    return { store, clock, imported };
  } catch (error) {
    await store.close();
    throw error;
  }
}
