// One flat config for the whole workspace: typescript-eslint's recommended rules,
// with the few exceptions NestJS decorators and test files need.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import boundaries from './tools/lint/module-boundaries.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.nx/**', 'bench/results/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'warn',
    },
  },
  {
    // Apps import libraries only; web features do not import each other (tools/lint).
    files: ['apps/**', 'libs/**'],
    plugins: { caunoi: boundaries },
    rules: { 'caunoi/module-boundaries': ['error', { root }] },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ignores: ['apps/web/src/**'],
    languageOptions: { globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
