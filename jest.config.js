/**
 * Type checking is `tsc --noEmit`, run by `npm test` before jest; ts-jest here only transpiles
 * (tsconfig isolatedModules), which keeps the suite fast.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testTimeout: 30000,
};
