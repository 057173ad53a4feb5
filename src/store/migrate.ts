import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type pg from 'pg';

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../prisma/migrations');
export const POSTGRES_MIGRATIONS_DIR = path.resolve(__dirname, '../../prisma/postgres/migrations');

export interface Migration {
  name: string;
  sql: string;
  /** As Prisma computes it: SHA-256 of the file, hex. */
  checksum: string;
}

export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: crypto.createHash('sha256').update(sql).digest('hex') };
    });
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** Prisma's own table, created as `prisma migrate deploy` creates it on SQLite. */
const CREATE_PRISMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: string | null;
}

function checkApplied(migration: Migration, row: AppliedRow): void {
  if (row.finished_at === null) {
    throw new MigrationError(
      `migration ${migration.name} started but did not finish on this database; repair it by hand, then mark it with \`prisma migrate resolve\``,
    );
  }
  if (row.checksum !== migration.checksum) {
    throw new MigrationError(
      `migration ${migration.name} was edited after it was applied to this database; restore the file and make the change in a new migration`,
    );
  }
}

/** Prisma writes SQLite timestamps as "2026-11-22T10:57:39.171+00:00". */
function prismaTimestamp(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/**
 * Applies the committed migrations that a SQLite database lacks, each in its own transaction,
 * and records them in `_prisma_migrations` exactly as `prisma migrate deploy` does, so the two
 * agree (test/integration/migrate.test.ts checks this with `prisma migrate status`). Refuses a
 * database where a migration was edited after it was applied, or one that failed half-way.
 * Returns the names of the migrations it applied.
 */
export function migrateSqlite(file: string, migrations: Migration[] = readMigrations()): string[] {
  const db = new Database(file, { timeout: 10_000 });
  try {
    db.pragma('journal_mode = WAL');
    db.exec(CREATE_PRISMA_MIGRATIONS);
    const findApplied = db.prepare<[string], AppliedRow>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = ? AND rolled_back_at IS NULL',
    );
    const record = db.prepare(
      'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)',
    );
    const done: string[] = [];
    for (const migration of migrations) {
      // BEGIN IMMEDIATE takes the write lock first, so a second copy starting at the same moment
      // waits here and then finds the migration recorded.
      const applied = db
        .transaction(() => {
          const row = findApplied.get(migration.name);
          if (row) {
            checkApplied(migration, row);
            return false;
          }
          const startedAt = prismaTimestamp(new Date());
          db.exec(migration.sql);
          record.run(crypto.randomUUID(), migration.checksum, prismaTimestamp(new Date()), migration.name, startedAt);
          return true;
        })
        .immediate();
      if (applied) done.push(migration.name);
    }
    return done;
  } finally {
    db.close();
  }
}

/** Prisma's own table, as `prisma migrate deploy` creates it on PostgreSQL. */
const CREATE_PRISMA_MIGRATIONS_POSTGRES = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** The advisory lock Prisma's migrate takes, so our runner and Prisma's exclude each other too. */
const PRISMA_MIGRATE_LOCK = 72707369;

/**
 * The PostgreSQL twin of migrateSqlite: each migration in its own transaction, recorded in
 * `_prisma_migrations` as Prisma records it, under Prisma's advisory lock so that copies of the bot
 * starting together apply each migration once. Prisma's `migrate deploy` cannot do this here: through
 * the pg driver adapter it fails (prisma/orm#27403).
 */
export async function migratePostgres(url: string, migrations: Migration[] = readMigrations(POSTGRES_MIGRATIONS_DIR)): Promise<string[]> {
  const { Client } = (await import('pg')).default; // loaded only when the bot runs on PostgreSQL
  const client: pg.Client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
    await client.query(CREATE_PRISMA_MIGRATIONS_POSTGRES);
    const done: string[] = [];
    for (const migration of migrations) {
      const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE migration_name = $1 AND rolled_back_at IS NULL',
        [migration.name],
      );
      if (rows[0]) {
        checkApplied(migration, { ...rows[0], finished_at: rows[0].finished_at ? rows[0].finished_at.toISOString() : null });
        continue;
      }
      await client.query('BEGIN');
      try {
        const startedAt = new Date();
        await client.query(migration.sql);
        await client.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count) VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)',
          [crypto.randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      done.push(migration.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]).catch(() => undefined);
    await client.end();
  }
}
