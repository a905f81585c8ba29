// Unit specs live next to the code (src/**/*.spec.ts); integration specs with a real mediasoup
// worker and real WebRTC peers (headless Chromium) live in test/. Run serially (--runInBand):
// one headless Chromium already takes most of a 2-core machine.
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 120_000,
};
