// Shared jest settings: SWC transpiles TypeScript (with decorator metadata for NestJS),
// and @caunoi/shared and @caunoi/test-support (plain .mjs) resolve to their sources so tests
// never need a prior build.
const path = require('path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.m?(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    '^@caunoi/shared$': path.join(__dirname, 'libs/shared/src/index.ts'),
    '^@caunoi/test-support$': path.join(__dirname, 'libs/test-support/src/index.mjs'),
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'mjs', 'json'],
  reporters: ['default', path.join(__dirname, 'tools/lib/jest-summary-reporter.js')],
  // A suite that fails in its setup may leave a server, socket or timer open; jest would then wait
  // forever after the run ("did not exit"), and so would CI. The results are already reported.
  forceExit: true,
};
