const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  rootDir: '../..',
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '\\?url$': '<rootDir>/apps/web/jest/asset-url.cjs',
  },
  testMatch: ['<rootDir>/apps/web/src/**/*.spec.ts', '<rootDir>/apps/web/src/**/*.spec.tsx'],
  transform: {
    '^.+\\.m?(t|j)sx?$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', tsx: true },
          transform: { react: { runtime: 'automatic' } },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};
