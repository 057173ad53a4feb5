/**
 * Type checking is `tsc --noEmit`, run by `npm test` before jest; ts-jest here only transpiles
 * (tsconfig isolatedModules), which keeps the suite fast.
 *
 * The suite runs twice: on SQLite files (`jest`), then on PostgreSQL (TEST_DATABASE=postgresql, by
 * scripts/test-postgres.js). Pure unit tests run in the first pass only; `*.sqlite.test.ts` and
 * `*.postgres.test.ts` files test what only one database has.
 */
const postgres = process.env.TEST_DATABASE === 'postgresql';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testPathIgnorePatterns: postgres ? ['/node_modules/', '/test/unit/', '\\.sqlite\\.test\\.ts$'] : ['/node_modules/', '\\.postgres\\.test\\.ts$'],
  testTimeout: 30000,
  // Most tests wait on HTTP, child processes and the database rather than the CPU: two workers on
  // these two-core machines halve the suite's time (jest's default would be one).
  maxWorkers: 2,
};
