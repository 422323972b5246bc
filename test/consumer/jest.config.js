// `npm run test:consumer`: the package as a platform team installs it (consumer.test.ts). Not part of `npm test`:
// it builds, packs and installs, which takes a minute or more.
const [unit] = require('../../jest.config.js').projects;

/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  testEnvironment: unit.testEnvironment,
  transform: unit.transform,
  roots: ['<rootDir>/test/consumer'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 5 * 60 * 1000,
};
