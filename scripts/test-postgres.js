#!/usr/bin/env node
// The suite's second pass, on PostgreSQL (each test file makes a fresh database and drops it).
// Where no PostgreSQL answers, a laptop gets a loud SKIPPED; CI (CI=true) fails instead.
const { spawnSync } = require('node:child_process');
const pg = require('pg');

const url = process.env.TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const where = redacted(url);

// For the banner: scheme, host, port and database only; no user, password or parameter (as
// redactedUrl in src/store/database-url.ts). An unencoded "@" in a password is read as pg reads it.
function redacted(text) {
  try {
    const parsed = new URL(text);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(a URL that does not parse)';
  }
}

async function main() {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    await client.end();
  } catch (error) {
    const banner = '#'.repeat(78);
    const reason = `PostgreSQL is not reachable at ${where}: ${error.message}`;
    if (process.env.CI === 'true') {
      console.error(`${banner}\nFAILED: the PostgreSQL test pass must run in CI. ${reason}\n${banner}`);
      process.exit(1);
    }
    console.error(`${banner}\nSKIPPED: the PostgreSQL test pass did not run. ${reason}\nStart PostgreSQL (or set TEST_POSTGRES_URL) and run \`npm run test:postgres\`.\n${banner}`);
    return;
  }
  console.log(`PostgreSQL pass, against ${where}`);
  const jest = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, TEST_DATABASE: 'postgresql', TEST_POSTGRES_URL: url },
  });
  process.exit(jest.status ?? 1);
}

main();
