import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import noOnlyTests from 'eslint-plugin-no-only-tests';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import noOuterDbInTransaction from './eslint-rules/no-outer-db-in-transaction.js';

// Every domain module under src/modules: each may import another only through that module's index.ts.
const modules = readdirSync(join(import.meta.dirname, 'src/modules'), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);
const moduleZones = modules.map((m) => ({
  target: `./src/modules/${m}`,
  from: './src/modules',
  except: [`./${m}`, ...modules.filter((o) => o !== m).map((o) => `./${o}/index.ts`)],
  message: 'A module imports another module only through its index.ts (STYLE C6, C17)',
}));

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
    plugins: { 'import-x': importX, 'no-only-tests': noOnlyTests, distansia: { rules: { 'no-outer-db-in-transaction': noOuterDbInTransaction } } },
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    settings: {
      // import-x reads the imports of other files (no-cycle) only for these extensions, with this parser.
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      // Maps the `.js` specifiers of our ESM sources to their `.ts` files; without it every zone below
      // silently passes, because an unresolved import matches no path.
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'distansia/no-outer-db-in-transaction': 'error',
      'no-only-tests/no-only-tests': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
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
          { target: './src/platform', from: ['./src/app.ts', './src/composition.ts', './src/cli.ts', './src/main.ts'], message: 'platform/* never imports the application' },
          { target: './src/modules', from: ['./src/app.ts', './src/composition.ts', './src/cli.ts', './src/main.ts'], message: 'a module never imports the composition root; it receives its dependencies' },
          ...moduleZones,
          { target: './src/contracts', from: './src/platform', message: 'contracts import only zod' },
          { target: './src/contracts', from: './src/modules', message: 'contracts import only zod' },
          { target: './web', from: './src', except: ['./contracts'], message: 'web uses only src/contracts' },
          // Routes call the service; only the module's own use cases and policies reach its repository
          // (another module's repository is already out of reach through the zones above).
          { target: './src/modules/*/*.routes.ts', from: './src/modules/*/*.repo.ts', message: 'routes call the service, never the repository (STYLE C2)' },
          { target: './src/modules/*/index.ts', from: './src/modules/*/*.repo.ts', message: 'a module does not publish its repository (STYLE C6)' },
          // The demo seeds through the modules' public use cases, like any other caller.
          { target: './src/demo', from: './src/modules', except: modules.map((m) => `./${m}/index.ts`), message: 'the demo uses modules only through their index.ts' },
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
    // Seeding a second factor without its proof is for the demo, the test worlds and benchmarks only.
    files: ['src/**/*.ts'],
    ignores: ['src/demo/**', 'src/test/**', '**/*.test.ts', 'src/modules/identity/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['**/modules/*/*', '!**/modules/*/index.js'], message: 'Import another module only through its index.ts' },
          { group: ['**/identity/index.js'], importNames: ['seedConfirmedTotp'], message: 'seedConfirmedTotp skips the proof of the second factor: demo, tests and benchmarks only' },
        ],
      }],
    },
  },
  {
    // Performance: the web app's first load validates with these contracts (bench/README.md, under 250 kB);
    // classic zod here would put its 38 kB back into every first load. zod/mini, or zod's types only.
    files: ['src/contracts/directory-public.ts', 'src/contracts/registry-reference.ts', 'src/contracts/problem.ts', 'src/contracts/text.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'zod', allowTypeImports: true, message: 'first-load contracts use zod/mini (bench/README.md)' }],
        patterns: [{ group: ['./*', '!./directory-public.js', '!./registry-reference.js', '!./problem.js', '!./text.js'], message: 'first-load contracts import only each other (bench/README.md)' }],
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
