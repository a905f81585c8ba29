// The module-boundary lint rule: apps import libraries only, libraries never import apps, a
// library is imported by its package name, and web features do not import each other.
import path from 'path';
import { Linter } from 'eslint';
import boundaries, { boundaryProblem } from '../lint/module-boundaries.mjs';

const root = path.resolve(__dirname, '../..');
const at = (file: string) => path.join(root, file);

describe('module boundaries', () => {
  it.each([
    ['apps/api/src/a.ts', '../../sfu/src/rooms/room', /apps never import each other/],
    ['apps/web/src/a.ts', '@caunoi/api', /apps never import each other/],
    ['libs/shared/src/a.ts', '../../../apps/api/src/x', /libraries never import apps/],
    ['apps/api/src/a.ts', '../../../libs/shared/src/roles', /@caunoi\/shared by its package name/],
    [
      'apps/web/src/features/admin/AdminPage.tsx',
      '../consultations/specialties',
      /feature admin imports feature consultations/,
    ],
  ])('%s importing %s is refused', (file, spec, message) => {
    expect(boundaryProblem(root, at(file), spec)).toMatch(message);
  });

  it.each([
    ['apps/api/src/a.ts', '@caunoi/shared'],
    ['apps/api/test/a.spec.ts', '../src/bootstrap'],
    ['apps/web/src/features/admin/AdminPage.tsx', './adminForms'],
    ['apps/web/src/features/admin/tabs/UsersTab.tsx', '../adminForms'],
    ['apps/web/src/features/admin/AdminPage.tsx', '../../shared/ReasonDialog'],
    ['apps/web/src/features/admin/AdminPage.tsx', 'react'],
    ['tools/start.mjs', '../apps/api/dist/main.js'],
  ])('%s importing %s is fine', (file, spec) => {
    expect(boundaryProblem(root, at(file), spec)).toBeNull();
  });

  it('reports through ESLint on imports, re-exports, import() and require()', () => {
    const linter = new Linter({ configType: 'flat', cwd: root });
    const messages = linter.verify(
      [
        "import a from '../consultations/specialties';",
        "export * from '../sessions/MinutesEditor';",
        "void import('../triage/triage');",
        "require('../patients/PatientsPage');",
        "import b from './adminForms';",
      ].join('\n'),
      [
        {
          files: ['**/*.js'],
          languageOptions: {
            ecmaVersion: 2024,
            sourceType: 'module',
            globals: { require: 'readonly' },
          },
          plugins: { caunoi: boundaries },
          rules: { 'caunoi/module-boundaries': ['error', { root }] },
        },
      ],
      at('apps/web/src/features/admin/AdminPage.js'),
    );
    expect(messages.map((m) => m.line)).toEqual([1, 2, 3, 4]);
  });
});
