// The fault-injection suite (tools/faults): the launched system with processes killed under it.
// Heavy (a whole stack, WebRTC peers): `npm test` runs it as its own step after the e2e suites.
module.exports = {
  ...require('../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/faults/**/*.spec.ts'],
  // @roamhq/wrtc crashes (SIGSEGV) in its native teardown when a process ends by itself; an
  // explicit exit skips that teardown and keeps jest's exit code truthful.
  forceExit: true,
  // Every file in a process of its own, ended once the file is done: the collector finalizing a
  // closed @roamhq/wrtc peer connection can crash a process (see apps/sfu/jest.config.js).
  workerIdleMemoryLimit: '1MB',
};
