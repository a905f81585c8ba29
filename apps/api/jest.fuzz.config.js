// The fuzz suite (`nx run api:e2e`, run by `npm test`): the built API as its own process.
const base = require('./jest.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/fuzz/**/*.fuzz-spec.ts'],
  testTimeout: 30 * 60_000,
};
