import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from '../generated/prisma/client';
import { databaseKind, sqliteFilePath } from './database-url';
import { migrateSqlite } from './migrate';

export type Db = PrismaClient;

export interface Store {
  db: Db;
  kind: 'sqlite';
  /** Where it is, for logs: a file path, never a password. */
  location: string;
  close(): Promise<void>;
}

/**
 * Opens the database a URL names, bringing its schema up to date first. SQLite (`file:`) is the
 * embedded default. The same URL check lives in config.ts, so a bad URL never gets this far.
 */
export async function openStore(url: string): Promise<Store> {
  const kind = databaseKind(url);
  if (kind !== 'sqlite') throw new Error(`unsupported database URL scheme: ${url.split(':')[0]}`);
  const file = sqliteFilePath(url);
  migrateSqlite(file);
  // WAL lets readers go on while one writer writes; the busy timeout makes a second writer wait
  // for the lock instead of failing at once.
  const adapter = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
  const db = new PrismaClient({ adapter });
  await db.$connect();
  return { db, kind, location: file, close: () => db.$disconnect() };
}
