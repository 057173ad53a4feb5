import Database from 'better-sqlite3';
import pg from 'pg';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminders';
import { DEFAULT_DIGEST_SCHEDULE } from '../../src/jobs/digests';
import { slackSender } from '../../src/slack/sender';
import { sweep } from '../../src/jobs/sweep';
import { openStore } from '../../src/store/client';
import { migratePostgres, migrateSqlite, MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR, readMigrations } from '../../src/store/migrate';
import { findItem, knownEntries, loadItems, loadTrackingRecords, recordStatus } from '../../src/store/tracked-items';
import { startFakeSlack } from '../helpers/slack-stand-in';
import { freshStore, scratchDatabase, TEST_DATABASE, TIME_ZONE } from '../helpers/store';

describe('issue 12 item 2: a status that is not a status cannot be written, and one already written breaks nothing', () => {
  let store: Awaited<ReturnType<typeof freshStore>>;
  let itemId: number;
  beforeEach(async () => {
    store = await freshStore();
    itemId = (await findItem(store.db, '12'))!.id;
  });
  afterEach(() => store.close());

  const row = (status: string) => ({ itemId, status, actor: 'U0FORGER', source: 'button', createdAt: new Date('2017-05-15T08:00:00Z') });

  test('the database refuses a StatusUpdate row with an unknown status (CHECK), by raw SQL or through Prisma, and takes every known one', async () => {
    await expect(store.db.$executeRaw`INSERT INTO "StatusUpdate" ("itemId", "status", "actor", "source", "createdAt") VALUES (${itemId}, 'pwned', 'U0FORGER', 'button', ${new Date()})`).rejects.toThrow(/check|constraint/i);
    await expect(store.db.statusUpdate.create({ data: row('pwned') })).rejects.toThrow();
    await expect(store.db.statusUpdate.create({ data: row('') })).rejects.toThrow();
    for (const status of ['not-started', 'on-track', 'at-risk', 'off-track', 'blocked', 'done']) await store.db.statusUpdate.create({ data: row(status) });
    expect(await store.db.statusUpdate.count({ where: { itemId } })).toBe(7); // the import's, and the six
  });

  test('recordStatus refuses a status a person may not set, with a friendly error, and writes nothing', async () => {
    for (const status of ['pwned', 'not-started']) {
      await expect(recordStatus(store.db, { itemId, status: status as 'done', actor: 'U0ADMIN', source: 'button', at: new Date() })).rejects.toThrow(
        'That is not a status you can set. Use one of: on-track, at-risk, off-track, blocked, done. Nothing was changed.',
      );
    }
    expect(await store.db.statusUpdate.count({ where: { itemId } })).toBe(1);
  });

  test('a row with an unknown status, where no constraint stopped it, is logged once and left out; lists and sweeps go on', async () => {
    // As on a database written before the constraint (or with it switched off).
    if (TEST_DATABASE === 'sqlite') await store.db.$executeRawUnsafe('PRAGMA ignore_check_constraints = ON');
    else await store.db.$executeRawUnsafe('ALTER TABLE "StatusUpdate" DROP CONSTRAINT "StatusUpdate_status_check"');
    const forged = await store.db.statusUpdate.create({ data: row('pwned') });
    const warnings: string[] = [];
    const warn = jest.spyOn(console, 'warn').mockImplementation((line: string) => void warnings.push(line));
    const fake = await startFakeSlack();
    try {
      const item = (await loadItems(store.db)).find((candidate) => candidate.id === itemId)!;
      expect(item.history.map((entry) => entry.status)).toEqual(['not-started']);
      expect((await findItem(store.db, '12'))!.history).toHaveLength(1);
      expect((await loadTrackingRecords(store.db)).find((candidate) => candidate.id === itemId)!.history).toHaveLength(1);
      const report = await sweep({
        db: store.db,
        clock: { now: () => new Date('2017-05-15T08:00:00Z') },
        timeZone: TIME_ZONE,
        channel: 'C0TASKFORCE',
        reminders: DEFAULT_REMINDER_SETTINGS,
        digest: DEFAULT_DIGEST_SCHEDULE,
        sender: slackSender('xoxb-test', fake.apiUrl, TIME_ZONE),
        log: () => undefined,
      });
      expect(report).toBeDefined();
      expect(warnings).toEqual([`StatusUpdate ${forged.id} has an unknown status and is left out of the item's history`]);
    } finally {
      warn.mockRestore();
      await fake.close();
    }
  });
});

describe('issue 12 item 2: knownEntries, the tolerant reading of a history', () => {
  test('keeps known statuses in order, and reports each unknown row once', () => {
    const lines: string[] = [];
    const rows = [
      { id: 900001, status: 'not-started' },
      { id: 900002, status: 'pwned' },
      { id: 900003, status: 'done' },
    ];
    expect(knownEntries(rows, (line) => lines.push(line)).map((entry) => entry.id)).toEqual([900001, 900003]);
    expect(knownEntries(rows, (line) => lines.push(line)).map((entry) => entry.id)).toEqual([900001, 900003]);
    expect(lines).toEqual(["StatusUpdate 900002 has an unknown status and is left out of the item's history"]);
  });
});

describe('issue 12 item 2: the status_check migration on a database that already holds a forged row', () => {
  test('the forged row is dropped, every other row is kept, and the constraint holds afterwards', async () => {
    const database = await scratchDatabase('status-check');
    const insert = `INSERT INTO "StatusUpdate" ("itemId", "status", "actor", "source", "createdAt") VALUES (1, 'done', 'U0ADMIN', 'command', '2017-05-15 08:00:00'), (1, 'pwned', 'U0FORGER', 'button', '2017-05-15 08:00:01')`;
    const seed = `INSERT INTO "Plan" ("slug", "title", "summary", "startsOn", "endsOn", "sourceFile", "position") VALUES ('p', 'P', '', '2016-12', '2021-12', 'p.yaml', 0);
      INSERT INTO "PlanItem" ("ref", "refKey", "planId", "kind", "position", "text") VALUES ('1', '1', 1, 'action', 0, 'an item')`;
    const before = (dir: string) => readMigrations(dir).filter((migration) => migration.name < '20261201000000_status_check');
    if (TEST_DATABASE === 'sqlite') {
      const file = database.url.slice('file:'.length);
      migrateSqlite(file, before(MIGRATIONS_DIR));
      const db = new Database(file);
      db.exec(seed);
      db.exec(insert);
      db.close();
      expect(migrateSqlite(file)).toContain('20261201000000_status_check'); // and any made after it
    } else {
      await migratePostgres(database.url, before(POSTGRES_MIGRATIONS_DIR));
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      await client.query(seed.replace(/\n\s+/g, ' '));
      await client.query(insert);
      await client.end();
      expect(await migratePostgres(database.url)).toContain('20261201000000_status_check');
    }
    const store = await openStore(database.url);
    try {
      expect((await store.db.statusUpdate.findMany()).map((entry) => [entry.status, entry.actor])).toEqual([['done', 'U0ADMIN']]);
      await expect(store.db.statusUpdate.create({ data: { itemId: 1, status: 'pwned', actor: 'U0FORGER', source: 'button', createdAt: new Date() } })).rejects.toThrow();
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
