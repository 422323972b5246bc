/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The consumer tests pack and install the package, a minute or more: `npm run test:consumer`, a CI step; the
  // end-to-end lane runs the real terraform: `npm run test:e2e`, another.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/', '<rootDir>/test/e2e/'],
  // Type checking is `npm run typecheck`'s job; transpiling only keeps the suite fast.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true }, diagnostics: false }] },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  testTimeout: 30000,
  // jest's default on 2 cores is one worker; many tests wait on child processes and a loopback server, so two
  // workers keep both cores busy (measured: 84 s with one, 47 s with two, 53 s with three).
  maxWorkers: 2,
};
