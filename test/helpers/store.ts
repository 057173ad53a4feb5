import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixedClock } from '../../src/domain/clock';
import { loadPlanFiles, PLANS_DIR } from '../../src/plans/plan-files';
import { openStore, type Store } from '../../src/store/client';
import { importPlans } from '../../src/store/import-plans';

export const TIME_ZONE = 'Europe/London';
/** Where imports in tests say they happened: before either plan starts. */
export const IMPORTED_AT = new Date('2016-09-01T09:00:00Z');

export function scratchDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `taskforce-${label}-`));
}

/** A new SQLite file, migrated; with the plans imported unless `empty`. */
export async function freshStore(options: { empty?: boolean; plansDir?: string } = {}): Promise<Store & { dir: string; url: string }> {
  const dir = scratchDir('db');
  const url = `file:${path.join(dir, 'test.db')}`;
  const store = await openStore(url);
  if (!options.empty) await importPlans(store.db, loadPlanFiles(options.plansDir ?? PLANS_DIR), fixedClock(IMPORTED_AT));
  return {
    ...store,
    dir,
    url,
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A copy of the plans folder that a test may edit. */
export function copyOfPlans(): string {
  const dir = scratchDir('plans');
  fs.cpSync(PLANS_DIR, dir, { recursive: true });
  return dir;
}
