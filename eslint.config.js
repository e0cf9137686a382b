// ESLint: typescript-eslint's recommended rules with type information for TypeScript,
// eslint-plugin-svelte's for components. `npm run lint` runs it; CI fails on any error.
import js from '@eslint/js';
import globals from 'globals';
import svelte from 'eslint-plugin-svelte';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'server/store/*.mjs', 'server/import/*.mjs', 'server/export/*.mjs', 'server/lib/*.mjs', 'tests/support/worker-pool/*.mjs'] },
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      // Unused names are errors, except the ones a signature needs and says so with `_`.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', destructuredArrayIgnorePattern: '^_' }],
      // A promise nobody awaits or catches is how an error vanishes: say `void` when meant.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
      // Control characters are exactly what our input checks look for (binary bodies, link schemes).
      'no-control-regex': 'off',
      // Reactive collections here are replaced whole ($state.raw of a new Set/Map), never
      // mutated in place, and URLs are parsed, not kept: Svelte's reactive twins add nothing.
      'svelte/prefer-svelte-reactivity': 'off',
    },
  },
  {
    // The write guard: only BoardWriter issues the permit a board's `change` requires,
    // so no other path can write into a board without asking it.
    files: ['**/*.ts', '**/*.svelte'],
    ignores: ['server/docsync/board-writer.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/write-permit.js'], importNames: ['issueWritePermit'], message: 'Write into boards through BoardWriter (server/docsync/board-writer.ts): it asks the write guard.' }],
      }],
    },
  },
  {
    // Benchmarks, tests and scripts report on the console; the logger module writes to it.
    files: ['bench/**', 'tests/**', 'scripts/**', 'server/lib/logger.ts'],
    rules: { 'no-console': 'off' },
  },
);
