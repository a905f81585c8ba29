// e2e suites boot the whole app on a fresh PostgreSQL database each; unit specs sit beside sources.
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts', '<rootDir>/src/**/*.spec.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.js',
  globalTeardown: '<rootDir>/test/support/global-teardown.js',
  testTimeout: 60000,
  // otplib's base32 and hash plugins (@scure/base, @noble/hashes) ship ESM only: transpile them
  // too, wherever they are nested (the last node_modules segment of the path decides).
  transformIgnorePatterns: ['/node_modules/(?!(@scure|@noble)/)(?!.*/node_modules/)'],
};
