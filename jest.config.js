/** Type checking is `tsc --noEmit`, run by `npm test` before jest; swc only strips types. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': ['@swc/jest'] },
  testTimeout: 30000,
};
