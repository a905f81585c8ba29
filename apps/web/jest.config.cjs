const preset = require('../../jest.preset.js');

module.exports = {
  ...preset,
  rootDir: '../..',
  moduleNameMapper: {
    ...preset.moduleNameMapper,
    '\\?url$': '<rootDir>/apps/web/jest/asset-url.cjs',
    // The whole texts file (i18n/index.ts loads it as a chunk of its own in the browser).
    '^(.+\\.json)\\?all$': '$1',
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
