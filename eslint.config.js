import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

const timeAndEnvBans = [
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Use the injected Clock (STYLE C10).' },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Use the injected Clock (STYLE C10).' },
  { selector: "MemberExpression[object.name='Temporal'][property.name='Now']", message: 'Use the injected Clock (STYLE C10).' },
  { selector: "MemberExpression[object.name='process'][property.name='env']", message: 'Read configuration through src/platform/config.ts (STYLE C15).' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'web/dist/**', 'data/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    plugins: { 'import-x': importX },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', ...timeAndEnvBans],
      // Module boundaries (STYLE C17).
      'import-x/no-restricted-paths': ['error', {
        zones: [
          { target: './src/platform', from: './src/modules', message: 'platform/* never imports modules/*' },
          { target: './src/contracts', from: './src/platform', message: 'contracts import only zod' },
          { target: './src/contracts', from: './src/modules', message: 'contracts import only zod' },
          { target: './web', from: './src', except: ['./contracts'], message: 'web uses only src/contracts' },
          { target: './src/modules/*/!(*.service|*.test|*.int.test|*.pg.test).ts', from: './src/modules/*/*.repo.ts', message: 'a repository is imported only by its own service' },
        ],
      }],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/modules/*/*', '!**/modules/*/index.js'], message: 'Import another module only through its index.ts' },
        ],
      }],
    },
  },
  {
    // The platform layer is where time and environment are read; tests, benches, e2e and the CLI entry may too.
    files: ['src/platform/**', 'bench/**', 'e2e/**', '**/*.test.ts', '**/*.test.tsx', 'web/**', 'vitest.config.ts', 'eslint.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['bench/**', 'e2e/**', 'bin/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'src/test/**', 'bench/**', 'e2e/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
