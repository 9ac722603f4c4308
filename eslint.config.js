// Lint for what the type checker lets through: promises nobody awaits (a check that "passes"
// before it ran), async callbacks where a void one is expected, awaits on non-promises, and
// unused code. Type-aware: it uses tsconfig.json's program, the one `tsc` checks.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'goldens/', 'results/', 'reports/', 'models/'] },
  {
    files: ['harness/**/*.ts', 'scenarios/**/*.ts', 'scripts/**/*.ts', 'bin/*.js'],
    extends: [js.configs.recommended, ...tseslint.configs.recommended],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  // bin/ holds the few lines that start tsx; outside tsconfig.json, so linted without types.
  { files: ['bin/*.js'], extends: [tseslint.configs.disableTypeChecked], languageOptions: { globals: { process: 'readonly' } } },
);
