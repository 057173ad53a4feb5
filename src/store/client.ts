import type { PrismaClient } from '../generated/prisma/client';
import { databaseKind, redactedUrl, sqliteFilePath, type DatabaseKind } from './database-url';
import { migratePostgres, migrateSqlite } from './migrate';
import { afterArrivals, giveWay } from './turns';

/**
 * The database client. Both clients are generated from one schema (prisma/schema.prisma; the
 * PostgreSQL copy by scripts/postgres-schema.js), so they have the same models and queries; the
 * code is typed against the SQLite one. Only the configured database's client and driver are
 * loaded (each brings its own query compiler: tens of MiB that the other database never needs).
 */
export type Db = PrismaClient;

/** Which database a client opened by openStore talks to: a few hot reads word their SQL for it. */
const kinds = new WeakMap<object, DatabaseKind>();

export function databaseKindOf(db: Db): DatabaseKind | undefined {
  return kinds.get(db);
}

/** A client extended from one openStore opened (`$extends` makes a new object) talks to the same database. */
export function extendedFrom<T extends object>(original: Db, extended: T): T {
  const kind = kinds.get(original);
  if (kind) kinds.set(extended, kind);
  return extended;
}

export interface Store {
  db: Db;
  kind: DatabaseKind;
  /** Where it is, for logs: a file path, never a password. */
  location: string;
  close(): Promise<void>;
}

/**
 * Opens the database a URL names, bringing its schema up to date first. SQLite (`file:`) is the
 * embedded default; `postgresql://` is for production and for more than one copy of the bot. The same URL check lives in config.ts, so a bad URL never gets this far.
 */
export async function openStore(url: string): Promise<Store> {
  const kind = databaseKind(url);
  if (kind === 'postgresql') {
    await migratePostgres(url);
    const [{ PrismaClient: PostgresClient }, { PrismaPg }] = await Promise.all([import('../generated/postgres/client'), import('@prisma/adapter-pg')]);
    const client = new PostgresClient({ adapter: new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000 }) });
    await client.$connect();
    const db = takingTurns(client as unknown as Db);
    kinds.set(db, kind);
    return { db, kind, location: redactedUrl(url), close: () => client.$disconnect() };
  }
  if (kind !== 'sqlite') throw new Error(`unsupported database URL scheme: ${url.split(':')[0]}`);
  const file = sqliteFilePath(url);
  migrateSqlite(file);
  // WAL lets readers go on while one writer writes; the busy timeout makes a second writer wait
  // for the lock instead of failing at once.
  const [{ PrismaClient: SqliteClient }, { PrismaBetterSQLite3 }] = await Promise.all([import('../generated/prisma/client'), import('@prisma/adapter-better-sqlite3')]);
  const adapter = new PrismaBetterSQLite3({ url: file, timeout: 10_000 });
  const client = new SqliteClient({ adapter });
  await client.$connect();
  const db = takingTurns(client as unknown as Db);
  kinds.set(db, kind);
  return { db, kind, location: file, close: () => client.$disconnect() };
}

/**
 * Each query first lets arriving requests go (so that Slack's are acknowledged at once), and a
 * backlog's query gives way to other work again before its caller goes on with the rows
 * (turns.ts). better-sqlite3 answers synchronously, so with SQLite a query would otherwise hold
 * the one thread; with PostgreSQL the query waits on the network, but handling its rows and the
 * command's work between queries run on the same thread, and without this acks at 10 concurrent
 * senders waited 6–14 ms at the median behind them (README, "Performance").
 */
function takingTurns(client: Db): Db {
  return client.$extends({
    query: {
      async $allOperations({ args, query }) {
        await afterArrivals();
        const result = await query(args);
        await giveWay();
        return result;
      },
    },
  }) as unknown as Db;
}

/**
 * A write refused by a unique key: P2002 from a Prisma query; from a hand-written one, P2010 with
 * the driver adapter's own kind (Prisma does not map raw queries' errors to P2002).
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, meta } = error as { code?: string; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return code === 'P2002' || (code === 'P2010' && meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation');
}
