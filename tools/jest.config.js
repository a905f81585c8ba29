const preset = require('../jest.preset.js');

// The launcher's modules are ESM (.mjs): SWC turns them into CommonJS for jest like the tests.
const [swc] = Object.values(preset.transform);
module.exports = {
  ...preset,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  moduleFileExtensions: [...preset.moduleFileExtensions, 'mjs'],
};
