import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { redactedUrl } from '../../src/store/database-url';

const SECRETS = /Sup3r|S3cret|secret|hunter2|pkpass|client-key|alice/;

describe('issue 12 item 4: the database password never reaches the start log', () => {
  test.each([
    ['a password in the user part', 'postgresql://alice:hunter2@db.internal:5432/taskforce', 'postgresql://db.internal:5432/taskforce'],
    ['?password=', 'postgresql://db.internal/taskforce?password=hunter2', 'postgresql://db.internal/taskforce'],
    ['an empty user name', 'postgresql://:secret@db.internal/taskforce', 'postgresql://db.internal/taskforce'],
    ['an unencoded @ in the password', 'postgres://postgres:Sup3r@S3cret@db.internal/taskforce', 'postgres://db.internal/taskforce'],
    ['sslpassword and sslkey parameters', 'postgresql://alice@db.internal:6543/taskforce?sslmode=require&sslpassword=pkpass&sslkey=/run/client-key.pem', 'postgresql://db.internal:6543/taskforce'],
    ['a SQLite file with parameters', 'file:./data/taskforce.db?mode=rwc&secret=x', 'file:./data/taskforce.db'],
  ])('%s', (_, url, expected) => {
    expect(redactedUrl(url)).toBe(expected);
    expect(redactedUrl(url)).not.toMatch(SECRETS);
  });

  test('a URL that does not parse is not shown at all', () => {
    expect(redactedUrl('postgresql://alice:hunter2@[db/taskforce')).toBe('(a database URL that does not parse)');
  });

  test('scripts/test-postgres.js names the server it could not reach without its password', () => {
    const url = 'postgresql://postgres:Sup3r@S3cret@127.0.0.1:9/test?password=hunter2&sslpassword=pkpass';
    const run = spawnSync(process.execPath, [path.resolve(__dirname, '../../scripts/test-postgres.js')], { env: { ...process.env, TEST_POSTGRES_URL: url, CI: '' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('SKIPPED: the PostgreSQL test pass did not run. PostgreSQL is not reachable at postgresql://127.0.0.1:9/test');
    expect(run.stdout + run.stderr).not.toMatch(SECRETS);
  });
});
