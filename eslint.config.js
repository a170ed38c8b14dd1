// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/explicit-function-return-type': ['error', { allowExpressions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/**/*.test.ts', 'src/test-support/**'],
    rules: { '@typescript-eslint/explicit-function-return-type': 'off' },
  },
  {
    files: ['src/core/**'],
    rules: {
      // core is pure domain: no I/O, no adapters.
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:fs*',
            'node:child_process',
            'node:net',
            'node:http*',
            'kysely',
            'pg',
            'better-sqlite3',
            'fastify',
            'openid-client',
            'oidc-provider',
            '../storage/*',
            '../cli/*',
            '../app/*',
            '../server/*',
            '../../storage/*',
            '../../cli/*',
            '../../app/*',
            '../../server/*',
          ],
        },
      ],
    },
  },
  {
    // The application layer uses ports, never an adapter: no database driver, no HTTP server, no CLI.
    files: ['src/app/**/*.ts'],
    ignores: ['src/app/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['kysely', 'pg', 'better-sqlite3', 'fastify', '@fastify/*', 'openid-client', 'oidc-provider', '../storage/*', '../../storage/*', '../cli/*', '../../cli/*', '../server/*', '../../server/*'] },
      ],
    },
  },
  {
    // Tests of core may read fixtures and drive the storage adapter; the domain code itself may not.
    files: ['src/core/**/*.test.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  { files: ['eslint.config.js', 'vitest.config.ts'], ...tseslint.configs.disableTypeChecked },
  {
    // The web UI: React components declare what they render by their JSX; browser tests and logic tests as tests.
    files: ['web/**/*.tsx', 'web/e2e/**', 'web/**/*.test.ts'],
    rules: { '@typescript-eslint/explicit-function-return-type': 'off' },
  },
  {
    // The browser bundle reaches the server only through the typed client: never the app layer, storage or core
    // code at run time (type-only imports of the contract are erased).
    files: ['web/src/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src/app/*', '**/src/storage/*', '**/src/server/*', '**/src/cli/*'], allowTypeImports: true }] }],
    },
  },
  {
    // The export scripts the CI examples run (plain Node, outside the TypeScript project; tested in src/ingest).
    files: ['docs/**/*.mjs', 'scripts/**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: { process: 'readonly', fetch: 'readonly', console: 'readonly' } },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/explicit-function-return-type': 'off' },
  },
);
