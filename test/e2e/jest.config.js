/**
 * The end-to-end lane (`npm run test:e2e`): the real terraform binary, the stand-in providers and the fake
 * Graph; see test/e2e/README.md. Not part of `npm test`.
 */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/e2e'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': '<rootDir>/tools/esbuild-transpiler.js' },
  // A terraform apply on a busy 2-core machine takes tens of seconds.
  testTimeout: 300000,
  // Scenario files run side by side: most of their time is spent waiting on terraform and its plugins.
  maxWorkers: 2,
};
