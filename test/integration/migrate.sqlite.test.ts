import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite, MigrationError, readMigrations } from '../../src/store/migrate';
import { scratchDir } from '../helpers/store';

const ROOT = path.resolve(__dirname, '../..');
const PRISMA_CLI = path.join(ROOT, 'node_modules/prisma/build/index.js');

/** Runs Prisma's own CLI (its JavaScript schema engine works offline) against a SQLite file. */
function prisma(args: string[], file: string): { code: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [PRISMA_CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${file}` },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { code: 0, output };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, output: `${failed.stdout}${failed.stderr}` };
  }
}

describe('migrations at start', () => {
  let dir: string;
  beforeEach(() => {
    dir = scratchDir('migrate');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a fresh database gets every migration, recorded so that `prisma migrate status` agrees', () => {
    const file = path.join(dir, 'fresh.db');
    expect(migrateSqlite(file)).toEqual(readMigrations().map((m) => m.name));
    const status = prisma(['migrate', 'status'], file);
    expect(status.output).toMatch(/Database schema is up to date/);
    expect(status.code).toBe(0);
  });

  test('an up-to-date database is left alone', () => {
    const file = path.join(dir, 'current.db');
    migrateSqlite(file);
    const rows = () => new Database(file, { readonly: true }).prepare('SELECT * FROM "_prisma_migrations"').all();
    const before = rows();
    expect(migrateSqlite(file)).toEqual([]);
    expect(rows()).toEqual(before);
  });

  test('a database migrated by `prisma migrate deploy` needs nothing more', () => {
    const file = path.join(dir, 'deployed.db');
    expect(prisma(['migrate', 'deploy'], file).code).toBe(0);
    expect(migrateSqlite(file)).toEqual([]);
  });

  test('a migration edited after it was applied is refused with a clear message', () => {
    const file = path.join(dir, 'edited.db');
    migrateSqlite(file);
    const edited = readMigrations().map((m, index) => (index === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    expect(() => migrateSqlite(file, edited)).toThrow(MigrationError);
    expect(() => migrateSqlite(file, edited)).toThrow(/was edited after it was applied/);
  });

  test('a half-applied migration is refused, and nothing else is applied', () => {
    const file = path.join(dir, 'half.db');
    migrateSqlite(file, []);
    const [first] = readMigrations();
    const db = new Database(file);
    db.prepare(
      'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)',
    ).run('x', first.checksum, first.name, '2026-11-22T10:00:00.000+00:00');
    db.close();
    expect(() => migrateSqlite(file)).toThrow(/started but did not finish/);
    const tables = new Database(file, { readonly: true }).prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'PlanItem'").all();
    expect(tables).toEqual([]);
  });

  test('a migration that fails part-way rolls back whole and is not recorded', () => {
    const file = path.join(dir, 'broken.db');
    const broken = [{ name: '20990101000000_broken', sql: 'CREATE TABLE "A" ("id" INTEGER); CREATE TABLE "A" ("id" INTEGER);', checksum: 'b'.repeat(64) }];
    expect(() => migrateSqlite(file, broken)).toThrow(/already exists/);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'A'").all()).toEqual([]);
    expect(db.prepare('SELECT * FROM "_prisma_migrations"').all()).toEqual([]);
  });
});
