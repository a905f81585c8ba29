// Shared jest settings: SWC transpiles TypeScript (with decorator metadata for NestJS),
// and @caunoi/shared resolves to its sources so tests never need a prior build.
const path = require('path');

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)sx?$': [
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
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  reporters: ['default', path.join(__dirname, 'tools/lib/jest-summary-reporter.js')],
};
