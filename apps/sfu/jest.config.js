// Unit specs live next to the code (src/**/*.spec.ts); integration specs with a real mediasoup
// worker and real WebRTC peers (headless Chromium, @roamhq/wrtc) live in test/. Run serially
// (--maxWorkers=1): one headless Chromium already takes most of a 2-core machine.
module.exports = {
  ...require('../../jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  setupFiles: ['<rootDir>/test/support/jest-setup.ts'],
  testTimeout: 120_000,
  // Every test file in a process of its own, ended (SIGTERM) once the file is done: @roamhq/wrtc
  // can crash a process (SIGSEGV) when the collector finalizes a closed RTCPeerConnection, which
  // in one long process happened during a later, unrelated file and took the whole run down.
  // Within a file the peers stay referenced (test-support's nodeWebRTC), so nothing of theirs is
  // ever finalized. A process of a few hundred MB always exceeds this limit, hence the restart.
  workerIdleMemoryLimit: '1MB',
};
