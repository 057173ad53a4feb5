import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { migratePostgres, MigrationError, POSTGRES_MIGRATIONS_DIR, readMigrations } from '../../src/store/migrate';
import { scratchDatabase } from '../helpers/store';

const ROOT = path.resolve(__dirname, '../..');
const PRISMA_CLI = path.join(ROOT, 'node_modules/prisma/build/index.js');

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgreSQL migrations at start', () => {
  let database: Awaited<ReturnType<typeof scratchDatabase>>;
  beforeEach(async () => {
    database = await scratchDatabase('migrate');
  });
  afterEach(() => database.drop());

  test('a fresh database gets every migration, recorded so that `prisma migrate status` agrees', async () => {
    expect(await migratePostgres(database.url)).toEqual(readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name));
    const output = execFileSync(process.execPath, [PRISMA_CLI, 'migrate', 'status', '--config', 'prisma.postgres.config.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
    });
    expect(output).toMatch(/Database schema is up to date/);
  });

  test('the same migration names as SQLite, so one history describes both', () => {
    expect(readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name)).toEqual(readMigrations().map((m) => m.name));
  });

  test('an up-to-date database is left alone; copies starting together apply each migration once', async () => {
    const [a, b] = await Promise.all([migratePostgres(database.url), migratePostgres(database.url)]);
    expect([...a, ...b].sort()).toEqual(readMigrations(POSTGRES_MIGRATIONS_DIR).map((m) => m.name).sort());
    const before = await query(database.url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
    expect(await migratePostgres(database.url)).toEqual([]);
    expect(await query(database.url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name')).toEqual(before);
  });

  test('a migration edited after it was applied is refused with a clear message', async () => {
    await migratePostgres(database.url);
    const edited = readMigrations(POSTGRES_MIGRATIONS_DIR).map((m, index) => (index === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migratePostgres(database.url, edited)).rejects.toThrow(MigrationError);
    await expect(migratePostgres(database.url, edited)).rejects.toThrow(/was edited after it was applied/);
  });

  test('a half-applied migration is refused, and nothing else is applied', async () => {
    await migratePostgres(database.url, []);
    const [first] = readMigrations(POSTGRES_MIGRATIONS_DIR);
    await query(database.url, `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ('x', '${first.checksum}', '${first.name}', now(), 0)`);
    await expect(migratePostgres(database.url)).rejects.toThrow(/started but did not finish/);
    expect(await query(database.url, "SELECT table_name FROM information_schema.tables WHERE table_name = 'PlanItem'")).toEqual([]);
  });

  test('a migration that fails part-way rolls back whole and is not recorded', async () => {
    const broken = [{ name: '20990101000000_broken', sql: 'CREATE TABLE "A" ("id" INTEGER); CREATE TABLE "A" ("id" INTEGER);', checksum: 'b'.repeat(64) }];
    await expect(migratePostgres(database.url, broken)).rejects.toThrow(/already exists/);
    expect(await query(database.url, "SELECT table_name FROM information_schema.tables WHERE table_name = 'A'")).toEqual([]);
    expect(await query(database.url, 'SELECT * FROM "_prisma_migrations"')).toEqual([]);
  });
});
