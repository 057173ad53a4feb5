import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { fixedClock } from '../../src/domain/clock';
import { loadPlanFiles, PLANS_DIR } from '../../src/plans/plan-files';
import { openStore, type Store } from '../../src/store/client';
import { importPlans } from '../../src/store/import-plans';

export const TIME_ZONE = 'Europe/London';
/** Where imports in tests say they happened: before either plan starts. */
export const IMPORTED_AT = new Date('2016-09-01T09:00:00Z');

/** The database the suite runs against: SQLite files, or PostgreSQL (`npm run test:postgres`). */
export const TEST_DATABASE: 'sqlite' | 'postgresql' = process.env.TEST_DATABASE === 'postgresql' ? 'postgresql' : 'sqlite';
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export function scratchDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `taskforce-${label}-`));
}

let created = 0;

/** A new, empty database of the kind under test: a SQLite file, or a PostgreSQL database of its own. */
export async function scratchDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  if (TEST_DATABASE === 'sqlite') {
    const dir = scratchDir(label);
    return { url: `file:${path.join(dir, 'test.db')}`, drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `tf_${label.replace(/\W/g, '_')}_${process.pid}_${++created}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.end();
    },
  };
}

/** A new database, migrated; with the plans imported unless `empty`. Closing it drops it. */
export async function freshStore(options: { empty?: boolean; plansDir?: string } = {}): Promise<Store & { url: string }> {
  const database = await scratchDatabase('store');
  const store = await openStore(database.url);
  if (!options.empty) await importPlans(store.db, loadPlanFiles(options.plansDir ?? PLANS_DIR), fixedClock(IMPORTED_AT));
  return {
    ...store,
    url: database.url,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** A copy of the plans folder that a test may edit. */
export function copyOfPlans(): string {
  const dir = scratchDir('plans');
  fs.cpSync(PLANS_DIR, dir, { recursive: true });
  return dir;
}
