// `npm run test:consumer`: the package as a platform team installs it (consumer.test.ts). Not part of `npm test`:
// it builds, packs and installs, which takes a minute or more.
const base = require('../../jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/consumer'],
  testPathIgnorePatterns: ['/node_modules/'],
  setupFilesAfterEnv: [],
  testTimeout: 5 * 60 * 1000,
};
